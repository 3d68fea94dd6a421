package dev.floe.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.floe.core.SourcePartition;
import dev.floe.core.TableId;
import dev.floe.core.config.FloeConfig;
import dev.floe.embedded.FreePorts;
import dev.floe.embedded.KafkaBroker;
import dev.floe.sinks.delta.DeltaTableSink;
import dev.floe.testsupport.ConfluentAvroProducer;
import dev.floe.testsupport.S3Server;
import dev.floe.testsupport.SchemaRegistry;
import dev.floe.testsupport.SharedServices;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.iceberg.data.Record;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Warehouses on S3 ({@code warehouse: s3://bucket/prefix}) against a real S3-compatible server
 * (S3Mock in a child JVM, path-style access): upserts, compaction and a SIGKILLed {@code floe run}
 * land every record exactly once in Iceberg and Delta tables, as Iceberg's generic reader sees them
 * through the catalog and S3FileIO, and delta-standalone with parquet-hadoop over Hadoop's S3A;
 * Delta VACUUM and log cleanup delete only what the latest version does not need; a wrong bucket or
 * endpoint stops {@code floe run} at start-up without printing the secret.
 */
class S3WarehouseIT {
  static final KafkaBroker broker = SharedServices.broker();
  static final SchemaRegistry registry = SharedServices.registry();
  static final String SECRET = "s3cr3t-never-printed";
  static S3Server s3;
  @TempDir Path dir;

  @BeforeAll
  static void startS3() {
    s3 = S3Server.start();
  }

  @AfterAll
  static void stopS3() {
    s3.close();
  }

  @Test
  void upsertsOnS3KeepTheLatestRowPerKeyAndSurviveCompactionVacuumAndLogCleanup() throws Exception {
    s3.createBucket("upserts");
    String topic = "s3-accounts";
    Map<SourcePartition, Long> ends = new HashMap<>();
    Map<String, Long> model = produceAccounts(topic, ends);
    Path file =
        write(
            "s3://upserts/lake",
            s3.endpoint(),
            "s3-upserts",
            """
            tables:
              - topics: [%s]
                table: bank.accounts
                formats: [iceberg, delta]
                mode: upsert
                key: { format: string, columns: [id] }
                partition-by: ["bucket[2](id)"]
                commit: { interval: 500ms, max-records: 300 }
            """
                .formatted(topic));
    FloeConfig config = ConfigFiles.load(file);

    Throwable failure =
        Pipelines.runUntil(
            config,
            Duration.ofSeconds(120),
            () -> CommittedOffsets.reachedInBothFormats(config, "bank.accounts", ends));
    assertThat(failure).isNull();

    assertThat(IcebergTables.load(config, "bank.accounts").location())
        .startsWith("s3://upserts/lake/");
    assertThat(s3.hasObjectsUnder("upserts", "lake/bank/accounts/data/")).isTrue();
    assertThat(Files.exists(dir.resolve("lake"))).as("nothing written locally").isFalse();
    assertThat(accounts(config)).isEqualTo(model);
    assertThat(s3.hasObjectsUnder("upserts", "lake/delta-tables/bank/accounts/_delta_log/"))
        .isTrue();
    Map<String, Long> delta = new HashMap<>();
    for (Map<String, Object> r : DeltaTables.rows(config, "bank.accounts")) {
      Long previous = delta.put((String) r.get("id"), (Long) r.get("balance"));
      assertThat(previous).as("one Delta row per key: %s", r.get("id")).isNull();
    }
    assertThat(delta).as("Delta copy-on-write on S3").isEqualTo(model);
    assertThat(DeltaTables.log(config, "bank.accounts").update().getVersion())
        .as("several commits, so that later ones rewrite earlier ones' files")
        .isGreaterThan(3);

    Cli.Result compacted =
        Cli.floe("maintain", "--config", file.toString(), "--table", "bank.accounts");
    assertThat(compacted.exitCode()).as(compacted.err()).isZero();
    assertThat(compacted.out())
        .contains("iceberg: bank.accounts: compacted")
        .contains("delta: bank.accounts: optimized");
    assertThat(accounts(config)).as("the same rows after compaction").isEqualTo(model);
    Map<String, Long> optimized = new HashMap<>();
    for (Map<String, Object> r : DeltaTables.rows(config, "bank.accounts")) {
      optimized.put((String) r.get("id"), (Long) r.get("balance"));
    }
    assertThat(optimized).as("the same Delta rows after OPTIMIZE on S3").isEqualTo(model);

    // VACUUM lists and deletes through S3FileIO: the files OPTIMIZE and the upserts removed go once
    // their removal is older than the retention, every file the latest version references stays
    Set<String> referenced = DeltaTables.livePaths(config, "bank.accounts");
    Set<String> stored = DeltaTables.filesOutsideTheLog(config, "bank.accounts");
    assertThat(stored).containsAll(referenced);
    int unreferenced = stored.size() - referenced.size();
    assertThat(unreferenced).as("files removed from the log, still on S3").isPositive();
    Thread.sleep(2_000); // older than --older-than 1s: written and removed before the cutoff
    Cli.Result dryRun = maintain(file, "vacuum", "--older-than", "1s", "--force", "--dry-run");
    assertThat(dryRun.exitCode()).as(dryRun.err()).isZero();
    assertThat(dryRun.out())
        .contains("delta: bank.accounts: would vacuum " + unreferenced + " unreferenced files");
    assertThat(DeltaTables.filesOutsideTheLog(config, "bank.accounts")).isEqualTo(stored);
    Cli.Result vacuum = maintain(file, "vacuum", "--older-than", "1s", "--force");
    assertThat(vacuum.exitCode()).as(vacuum.err()).isZero();
    assertThat(vacuum.out())
        .contains("delta: bank.accounts: vacuumed " + unreferenced + " unreferenced files")
        .contains(stored.size() + " files")
        .contains("-> " + referenced.size() + " files");
    assertThat(DeltaTables.filesOutsideTheLog(config, "bank.accounts")).isEqualTo(referenced);
    assertThat(deltaAccounts(config)).as("the same Delta rows after VACUUM").isEqualTo(model);

    // log cleanup lists _delta_log through S3FileIO too: commits before the checkpoint go, but not
    // the newest Floe commit (the one before OPTIMIZE's), whose commitInfo holds the offsets
    long optimize = DeltaTables.log(config, "bank.accounts").update().getVersion();
    Cli.Result checkpoint = maintain(file, "checkpoint");
    assertThat(checkpoint.out()).contains("delta: bank.accounts: checkpointed version " + optimize);
    Thread.sleep(2_000);
    Cli.Result expire = maintain(file, "expire", "--older-than", "1s", "--force");
    assertThat(expire.exitCode()).as(expire.err()).isZero();
    assertThat(expire.out())
        .contains("delta: bank.accounts: deleted")
        .contains("log files of versions before " + (optimize - 1));
    String log = "lake/delta-tables/bank/accounts/_delta_log/";
    assertThat(s3.hasObjectsUnder("upserts", log + String.format("%020d.json", 0))).isFalse();
    assertThat(s3.hasObjectsUnder("upserts", log + String.format("%020d.json", optimize - 2)))
        .isFalse();
    assertThat(s3.hasObjectsUnder("upserts", log + String.format("%020d.json", optimize - 1)))
        .isTrue();
    assertThat(s3.hasObjectsUnder("upserts", log + String.format("%020d.checkpoint", optimize)))
        .isTrue();
    assertThat(DeltaTables.log(config, "bank.accounts").update().getVersion()).isEqualTo(optimize);
    assertThat(deltaAccounts(config)).as("the same Delta rows after log cleanup").isEqualTo(model);
    ends.forEach(
        (partition, end) ->
            assertThat(
                    DeltaTables.txnVersion(
                        config, "bank.accounts", partition.topic(), partition.partition()))
                .as("offsets of %s after log cleanup", partition)
                .isEqualTo(end));
    try (DeltaTableSink sink = new DeltaTableSink(config)) {
      assertThat(
              sink.committedOffsets(
                      config.tables().get(0).spec(TableId.parse("bank.accounts")), config.groupId())
                  .asMap())
          .as("where Floe resumes: the newest Floe commit survived the cleanup")
          .isEqualTo(ends);
    }
  }

  /** {@code floe maintain} of bank.accounts' Delta table. */
  private static Cli.Result maintain(Path file, String job, String... options) {
    List<String> args =
        new java.util.ArrayList<>(
            List.of(
                "maintain",
                "--config",
                file.toString(),
                "--table",
                "bank.accounts",
                "--job",
                job,
                "--format",
                "delta"));
    args.addAll(List.of(options));
    return Cli.floe(args.toArray(String[]::new));
  }

  private static Map<String, Long> deltaAccounts(FloeConfig config) {
    Map<String, Long> table = new HashMap<>();
    for (Map<String, Object> r : DeltaTables.rows(config, "bank.accounts")) {
      Long previous = table.put((String) r.get("id"), (Long) r.get("balance"));
      assertThat(previous).as("one Delta row per key: %s", r.get("id")).isNull();
    }
    return table;
  }

  @Test
  void killNineMidStreamThenRestartLandsEveryRecordOnceOnS3() throws Exception {
    s3.createBucket("crash");
    int records = 30_000;
    broker.createTopic("s3-crash", 2);
    List<RecordMetadata> produced;
    try (ConfluentAvroProducer producer =
        new ConfluentAvroProducer(broker.bootstrapServers(), registry)) {
      produced = Events.produce(producer, "s3-crash", 0, records);
    }
    Path file =
        write(
            "s3a://crash/wh",
            s3.endpoint(),
            "s3-crash",
            """
            tables:
              - topics: [s3-crash]
                table: raw.crash
                formats: [iceberg, delta]
                commit: { interval: 1s, max-records: 2000 }
            """);
    FloeConfig config = ConfigFiles.load(file);
    Path logs = Path.of("target", "s3-crash-it");

    for (int kill = 0; kill < 2; kill++) {
      boolean midCommit = kill == 1;
      long before = IcebergTables.rowCount(config, "raw.crash");
      try (ChildFloe floe = ChildFloe.run(file, logs.resolve("run-" + kill + ".log"))) {
        await()
            .atMost(Duration.ofSeconds(120))
            .until(() -> IcebergTables.rowCount(config, "raw.crash") > before || !floe.isAlive());
        // the second time, right after a commit starts: files uploaded, snapshot not yet swapped
        int seen = floe.commitsStarted();
        await()
            .atMost(Duration.ofSeconds(60))
            .until(() -> !midCommit || floe.commitsStarted() > seen || !floe.isAlive());
        assertThat(floe.isAlive()).as("floe died by itself:\n%s", floe.logTail()).isTrue();
        floe.kill();
      }
    }
    try (ChildFloe floe = ChildFloe.run(file, logs.resolve("run-final.log"))) {
      await()
          .atMost(Duration.ofSeconds(180))
          .until(
              () ->
                  IcebergTables.rowCount(config, "raw.crash") >= records
                          && DeltaTables.rowCount(config, "raw.crash") >= records
                      || !floe.isAlive());
      assertThat(floe.terminate()).as("exit after SIGTERM:\n%s", floe.logTail()).isZero();
    }

    List<Record> rows = IcebergTables.rows(config, "raw.crash");
    Map<String, Long> copies =
        rows.stream()
            .collect(Collectors.groupingBy(IcebergTables::position, Collectors.counting()));
    Set<String> expected =
        produced.stream().map(m -> m.partition() + "/" + m.offset()).collect(Collectors.toSet());
    assertThat(copies).allSatisfy((position, n) -> assertThat(n).as(position).isEqualTo(1L));
    assertThat(copies.keySet()).isEqualTo(expected);

    Map<String, Long> deltaCopies =
        DeltaTables.rows(config, "raw.crash").stream()
            .collect(Collectors.groupingBy(DeltaTables::position, Collectors.counting()));
    assertThat(deltaCopies)
        .allSatisfy((position, n) -> assertThat(n).as("Delta " + position).isEqualTo(1L));
    assertThat(deltaCopies.keySet()).isEqualTo(expected);
    // 30,000 records in commits of at most 2,000: Delta's checkpoint at version 10 went to S3 too
    assertThat(DeltaTables.log(config, "raw.crash").update().getVersion()).isGreaterThan(10);
    assertThat(s3.hasObjectsUnder("crash", "wh/delta-tables/raw/crash/_delta_log/_last_checkpoint"))
        .isTrue();
    for (String run : List.of("run-0.log", "run-1.log", "run-final.log")) {
      assertThat(Files.readString(logs.resolve(run))).as(run).doesNotContain(SECRET);
    }
  }

  @Test
  void filesLargerThanThePartSizeAreUploadedInPartsForBothFormats() throws Exception {
    s3.createBucket("bigfiles");
    broker.createTopic("s3-blobs", 1);
    // 1 KiB of random bytes each: one ~11 MiB file per format, past S3FileIO's multipart threshold
    // (1.5 parts)
    int records = 11_000;
    Random random = new Random(11);
    try (ConfluentAvroProducer producer =
        new ConfluentAvroProducer(broker.bootstrapServers(), registry)) {
      for (int i = 0; i < records; i++) {
        byte[] payload = new byte[1024];
        random.nextBytes(payload);
        GenericRecord blob = new GenericData.Record(BLOB);
        blob.put("id", (long) i);
        blob.put("payload", java.nio.ByteBuffer.wrap(payload));
        producer.send("s3-blobs", blob);
      }
      producer.flush();
    }
    // parts of 5 MiB (S3's minimum) so that each data file goes up in three
    Path file =
        write(
            "s3://bigfiles/wh",
            s3.endpoint(),
            "s3-blobs",
            """
            tables:
              - topics: [s3-blobs]
                table: raw.blobs
                formats: [iceberg, delta]
                kafka-metadata: { enabled: false }
                commit: { interval: 10m, max-records: %d }
            """
                .formatted(records),
            "  multipart-size: 5MiB\n");
    FloeConfig config = ConfigFiles.load(file);
    assertThat(config.s3().multipartSize()).isEqualTo(5L << 20);

    Throwable failure =
        Pipelines.runUntil(
            config,
            Duration.ofSeconds(120),
            () ->
                IcebergTables.rowCount(config, "raw.blobs") == records
                    && DeltaTables.rowCount(config, "raw.blobs") == records);
    assertThat(failure).isNull();

    List<String> icebergFiles = new java.util.ArrayList<>();
    IcebergTables.load(config, "raw.blobs")
        .currentSnapshot()
        .addedDataFiles(IcebergTables.load(config, "raw.blobs").io())
        .forEach(f -> icebergFiles.add(f.location()));
    assertThat(icebergFiles).hasSize(1);
    String icebergKey = icebergFiles.get(0).substring("s3://bigfiles/".length());
    assertThat(s3.etag("bigfiles", icebergKey)).as("Iceberg data file").matches(".+-3");
    List<io.delta.standalone.actions.AddFile> deltaFiles =
        DeltaTables.log(config, "raw.blobs").update().getAllFiles();
    assertThat(deltaFiles).hasSize(1);
    assertThat(s3.etag("bigfiles", "wh/delta-tables/raw/blobs/" + deltaFiles.get(0).getPath()))
        .as("Delta data file")
        .matches(".+-3");
    assertThat(DeltaTables.rows(config, "raw.blobs")).hasSize(records);
  }

  static final org.apache.avro.Schema BLOB =
      new org.apache.avro.Schema.Parser()
          .parse(
              """
              {"type": "record", "name": "Blob", "namespace": "it.s3", "fields": [
                {"name": "id", "type": "long"},
                {"name": "payload", "type": "bytes"}]}""");

  @Test
  void aMissingBucketStopsFloeRunAtStartUpNamingTheBucketWithoutTheSecret() throws IOException {
    Path file = write("s3://no-such-bucket/wh", s3.endpoint(), "s3-missing", oneTable("s3-bad"));

    Cli.Result run = Cli.floe("run", "--config", file.toString());

    assertThat(run.exitCode()).isEqualTo(ExitCodes.FAILED);
    assertThat(run.err())
        .contains("bucket 'no-such-bucket'")
        .contains(s3.endpoint())
        .contains("create the bucket")
        .doesNotContain(SECRET);
    assertThat(run.out()).doesNotContain(SECRET);
  }

  @Test
  void anUnreachableEndpointStopsFloeRunAtStartUpNamingTheEndpoint() throws IOException {
    String nobody = "http://127.0.0.1:" + FreePorts.pick();
    Path file = write("s3://lake/wh", nobody, "s3-unreachable", oneTable("s3-bad"));

    Cli.Result run = Cli.floe("run", "--config", file.toString());

    assertThat(run.exitCode()).isEqualTo(ExitCodes.FAILED);
    assertThat(run.err())
        .contains("cannot reach " + nobody)
        .contains("s3.endpoint")
        .doesNotContain(SECRET);
  }

  @Test
  void maintenanceOnAMissingBucketFailsNamingTheTableAndTheFix() throws IOException {
    Path file = write("s3://vanished/wh", s3.endpoint(), "s3-vanished", oneTable("s3-bad"));

    Cli.Result vacuum =
        Cli.floe(
            "maintain",
            "--config",
            file.toString(),
            "--table",
            "raw.bad",
            "--job",
            "vacuum",
            "--format",
            "delta",
            "--older-than",
            "1s",
            "--force");

    assertThat(vacuum.exitCode()).isEqualTo(ExitCodes.FAILED);
    assertThat(vacuum.err())
        .contains("delta table raw.bad")
        .contains("vanished")
        .contains("check that the warehouse's storage is reachable")
        .doesNotContain(SECRET)
        .doesNotContain("\tat ");
  }

  private static String oneTable(String topic) {
    return """
        tables:
          - topics: [%s]
            table: raw.bad
        """
        .formatted(topic);
  }

  /** A floe.yaml with an S3 warehouse on the test's S3Mock and static (fake) credentials. */
  private Path write(String warehouse, String endpoint, String group, String tablesYaml)
      throws IOException {
    return write(warehouse, endpoint, group, tablesYaml, "");
  }

  private Path write(
      String warehouse, String endpoint, String group, String tablesYaml, String moreS3)
      throws IOException {
    String yaml =
        """
        kafka:
          bootstrap.servers: %s
          group.id: %s
          session.timeout.ms: 6000
          heartbeat.interval.ms: 1000
        schema-registry:
          url: %s
        warehouse: %s
        s3:
          endpoint: %s
          path-style-access: true
          access-key-id: floe-test
          secret-access-key: %s
        """
                .formatted(
                    broker.bootstrapServers(), group, registry.url(), warehouse, endpoint, SECRET)
            + moreS3
            + tablesYaml;
    return Files.writeString(dir.resolve("floe.yaml"), yaml);
  }

  private static Map<String, Long> accounts(FloeConfig config) {
    Map<String, Long> table = new HashMap<>();
    for (Record r : IcebergTables.rows(config, "bank.accounts")) {
      Long previous = table.put((String) r.getField("id"), (Long) r.getField("balance"));
      assertThat(previous).as("one row per key: %s", r.getField("id")).isNull();
    }
    return table;
  }

  /** 1,500 updates, tombstones and re-inserts over 150 keys; the model of the latest balances. */
  private static Map<String, Long> produceAccounts(String topic, Map<SourcePartition, Long> ends)
      throws Exception {
    broker.createTopic(topic, 2);
    Map<String, Long> model = new HashMap<>();
    Random random = new Random(7);
    try (ConfluentAvroProducer values =
            new ConfluentAvroProducer(broker.bootstrapServers(), registry);
        KafkaProducer<byte[], byte[]> tombstones =
            new KafkaProducer<>(
                Map.of("bootstrap.servers", broker.bootstrapServers()),
                new ByteArraySerializer(),
                new ByteArraySerializer())) {
      for (int i = 0; i < 1_500; i++) {
        String id = "acct-" + random.nextInt(150);
        byte[] key = id.getBytes(StandardCharsets.UTF_8);
        RecordMetadata m;
        if (random.nextInt(8) == 0) {
          m = tombstones.send(new ProducerRecord<>(topic, key, null)).get();
          model.remove(id);
        } else {
          long balance = random.nextInt(1_000_000);
          GenericRecord account = new GenericData.Record(UpsertIT.ACCOUNT);
          account.put("id", id);
          account.put("balance", balance);
          account.put("version", i);
          m = values.send(topic, null, key, account, null).get();
          model.put(id, balance);
        }
        ends.merge(new SourcePartition(topic, m.partition()), m.offset() + 1, Math::max);
      }
    }
    return model;
  }
}
