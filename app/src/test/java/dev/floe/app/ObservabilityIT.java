package dev.floe.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.floe.core.config.FloeConfig;
import dev.floe.embedded.KafkaBroker;
import dev.floe.testsupport.ConfluentAvroProducer;
import dev.floe.testsupport.SchemaRegistry;
import dev.floe.testsupport.SharedServices;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What an operator sees of a running Floe: the Prometheus metrics after a known workload, health
 * that follows positioning and the brokers, and {@code floe status} from the running instance and
 * from the tables alone.
 */
class ObservabilityIT {
  static final SchemaRegistry registry = SharedServices.registry();
  static final HttpClient HTTP = HttpClient.newHttpClient();
  @TempDir Path dir;

  @Test
  void metricsShowEveryProducedRecordNoLagAndFreshDataAndStatusAgrees() throws Exception {
    KafkaBroker broker = SharedServices.broker();
    broker.createTopic("obs-orders", 2);
    Path file =
        config(
            broker,
            "obs-orders",
            "floe-obs-metrics",
            "",
            "    maintenance: { compact: \"0/2 * * * * ?\" }\n");
    FloeConfig config = ConfigFiles.load(file);

    JsonNode liveTable;
    try (Instance floe = Instance.start(config)) {
      assertThat(floe.get("/health/live").statusCode()).isEqualTo(200);
      await()
          .atMost(Duration.ofSeconds(60))
          .until(() -> floe.get("/health/ready").statusCode() == 200);

      try (ConfluentAvroProducer producer =
          new ConfluentAvroProducer(broker.bootstrapServers(), registry)) {
        Events.produce(producer, "obs-orders", 0, 3000);
      }
      String table = "table=\"obs.obs_orders\"";
      await()
          .atMost(Duration.ofSeconds(60))
          .until(
              () ->
                  values(floe.scrape(), "floe_records_written_total", table)
                      .equals(List.of(3000.0)));
      // the lag gauges follow the commits within a second (they are refreshed after a poll)
      await()
          .atMost(Duration.ofSeconds(30))
          .untilAsserted(
              () -> {
                String m = floe.scrape();
                assertThat(values(m, "floe_consumer_lag_records", "topic=\"obs-orders\""))
                    .containsExactly(0.0, 0.0);
              });
      String metrics = floe.scrape();

      assertThat(value(metrics, "floe_records_read_total", "")).isEqualTo(3000);
      double commits = value(metrics, "floe_commits_total", table);
      assertThat(commits).isGreaterThanOrEqualTo(1);
      assertThat(value(metrics, "floe_commit_latency_seconds_count", table)).isEqualTo(commits);
      assertThat(value(metrics, "floe_commit_files_count", table)).isEqualTo(commits);
      assertThat(value(metrics, "floe_bytes_written_total", table)).isPositive();
      // records were produced into a running pipeline: the newest is at most one commit interval
      // (1 s) plus the commit and this scrape old
      assertThat(value(metrics, "floe_freshness_seconds", table)).isBetween(0.0, 1.0 + 9.0);
      assertThat(value(metrics, "floe_dead_letters_total", table)).isZero();
      assertThat(value(metrics, "floe_healthy", "")).isEqualTo(1);
      assertThat(metrics).contains("jvm_memory_used_bytes", "jvm_threads_live_threads");
      java.util.Set<String> exposed = new java.util.TreeSet<>();
      metrics
          .lines()
          .filter(l -> l.startsWith("floe_"))
          .forEach(l -> exposed.addAll(DashboardTest.families(l.replaceFirst("[{ ].*", ""))));
      assertThat(DashboardTest.documented()).as("docs/operations.md").containsAll(exposed);
      // the mapping compacts every 2 s: the scheduler's runs are counted
      await()
          .atMost(Duration.ofSeconds(30))
          .until(
              () ->
                  values(floe.scrape(), "floe_maintenance_runs_total", "outcome=\"ok\"").stream()
                          .mapToDouble(Double::doubleValue)
                          .sum()
                      >= 1);
      // ... and their effect: the table's files and rows as the last run left them
      await()
          .atMost(Duration.ofSeconds(30))
          .until(() -> values(floe.scrape(), "floe_table_rows", "obs.obs_orders").contains(3000.0));
      assertThat(values(floe.scrape(), "floe_table_data_files", "obs.obs_orders"))
          .singleElement()
          .satisfies(files -> assertThat(files).isBetween(1.0, 2.0));

      Cli.Result live =
          Cli.floe(
              "status",
              "-c",
              file.toString(),
              "--url",
              "http://localhost:" + floe.port() + "/status",
              "--json");
      assertThat(live.exitCode()).isZero();
      liveTable = onlyTable(live.out());
      assertThat(statusJson(live.out()).get("source").asText()).isEqualTo("running instance");
      assertThat(liveTable.get("freshnessSeconds").isNumber()).isTrue();
      assertCaughtUp(liveTable, 3000);
    }

    // no instance runs now: the same answer from the tables and the brokers, freshness included
    Cli.Result offline = Cli.floe("status", "-c", file.toString(), "--json");
    assertThat(offline.exitCode()).isZero();
    assertThat(statusJson(offline.out()).get("source").asText()).isEqualTo("tables and brokers");
    JsonNode table = onlyTable(offline.out());
    assertCaughtUp(table, 3000);
    assertThat(table.get("lastCommitMillis").asLong())
        .isBetween(System.currentTimeMillis() - 120_000, System.currentTimeMillis());
    // the newest committed record's timestamp is in the table (also past compaction snapshots)
    assertThat(table.get("freshnessSeconds").isNumber()).as(offline.out()).isTrue();
    assertThat(table.get("freshnessSeconds").asDouble())
        .isBetween(liveTable.get("freshnessSeconds").asDouble(), 300.0);

    Cli.Result human = Cli.floe("status", "-c", file.toString());
    assertThat(human.out()).contains("obs.obs_orders", "iceberg", "3,000", "obs-orders[1]");

    Cli.Result maintain =
        Cli.floe("maintain", "--config", file.toString(), "--table", "obs.obs_orders");
    assertThat(maintain.exitCode()).isZero();
    assertThat(maintain.err())
        .contains("maintain compact obs.obs_orders: started")
        .containsPattern("maintain compact obs.obs_orders: done after [0-9.]+ s");
  }

  @Test
  void badRecordsAndSchemaChangesAreCountedPerTableAndFormatAndShownInStatus() throws Exception {
    KafkaBroker broker = SharedServices.broker();
    broker.createTopic("obs-mixed", 1);
    Path file =
        config(
            broker,
            "obs-mixed",
            "floe-obs-mixed",
            "",
            "    formats: [iceberg, delta]\n    on-error: dead-letter\n");
    FloeConfig config = ConfigFiles.load(file);

    try (Instance floe = Instance.start(config)) {
      try (ConfluentAvroProducer producer =
              new ConfluentAvroProducer(broker.bootstrapServers(), registry);
          KafkaProducer<byte[], byte[]> raw =
              new KafkaProducer<>(
                  Map.<String, Object>of("bootstrap.servers", broker.bootstrapServers()),
                  new ByteArraySerializer(),
                  new ByteArraySerializer())) {
        Events.produce(producer, "obs-mixed", 0, 50);
        raw.send(new ProducerRecord<>("obs-mixed", "not avro".getBytes(StandardCharsets.UTF_8)))
            .get();
        for (long seq = 50; seq < 100; seq++) {
          producer.send("obs-mixed", withNote(Events.event(seq)));
        }
        producer.flush();
      }
      String iceberg = "format=\"iceberg\",table=\"obs.obs_mixed\"";
      String delta = "format=\"delta\",table=\"obs.obs_mixed\"";
      await()
          .atMost(Duration.ofSeconds(90))
          .until(
              () -> {
                String m = floe.scrape();
                return values(m, "floe_records_written_total", iceberg).equals(List.of(100.0))
                    && values(m, "floe_records_written_total", delta).equals(List.of(100.0));
              });
      String metrics = floe.scrape();
      for (String table : List.of(iceberg, delta)) {
        assertThat(value(metrics, "floe_dead_letters_total", table)).as(table).isEqualTo(1);
        assertThat(value(metrics, "floe_schema_evolutions_total", table)).as(table).isEqualTo(1);
      }

      JsonNode tables =
          statusJson(
                  Cli.floe(
                          "status",
                          "-c",
                          file.toString(),
                          "--url",
                          "http://localhost:" + floe.port() + "/status",
                          "--json")
                      .out())
              .get("tables");
      assertThat(tables).hasSize(2);
      for (JsonNode t : tables) {
        assertThat(t.get("rows").asLong()).as(t.get("format").asText()).isEqualTo(100);
        assertThat(t.get("lastError").asText()).contains("offset 50");
        assertThat(t.get("partitions").get(0).get("committed").asLong()).isEqualTo(101);
        assertThat(t.get("lag").asLong()).isZero();
      }
    }
    JsonNode offline = statusJson(Cli.floe("status", "-c", file.toString(), "--json").out());
    assertThat(offline.get("tables").findValuesAsText("format"))
        .containsExactly("iceberg", "delta");
    assertThat(offline.get("tables").findValues("rows")).allMatch(n -> n.asLong() == 100);
    assertThat(offline.get("tables").findValues("freshnessSeconds"))
        .as("recorded in the Iceberg snapshot summary and the Delta commitInfo")
        .allMatch(n -> n.isNumber() && n.asDouble() > 0 && n.asDouble() < 300);
  }

  /** The event with a new optional field: the tables gain a column. */
  private static GenericRecord withNote(GenericRecord event) {
    GenericRecord e = new GenericData.Record(WITH_NOTE);
    for (Schema.Field f : Events.SCHEMA.getFields()) {
      e.put(f.name(), event.get(f.name()));
    }
    e.put("note", "n" + event.get("seq"));
    return e;
  }

  static final Schema WITH_NOTE =
      new Schema.Parser()
          .parse(
              Events.SCHEMA
                  .toString()
                  .replace(
                      "]}",
                      ",{\"name\":\"note\",\"type\":[\"null\",\"string\"],\"default\":null}]}"));

  @Test
  void readinessWaitsForPositioningAndDropsWhileTheBrokerIsDownPastTheThreshold() throws Exception {
    try (KafkaBroker broker = KafkaBroker.start(dir.resolve("kafka"))) {
      broker.createTopic("obs-health", 1);
      FloeConfig config =
          ConfigFiles.load(
              config(broker, "obs-health", "floe-obs-health", "health: { unhealthy-after: 2s }\n"));
      try (Instance floe = Instance.start(config)) {
        await()
            .atMost(Duration.ofSeconds(60))
            .until(() -> floe.get("/health/ready").statusCode() == 200);

        Thread outage =
            new Thread(
                () -> {
                  try {
                    broker.restartAfter(Duration.ofSeconds(10));
                  } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                  }
                });
        outage.start();
        await()
            .atMost(Duration.ofSeconds(10))
            .until(() -> floe.get("/health/ready").statusCode() == 503);
        assertThat(floe.get("/health/ready").body()).contains("\"kafka\":false");
        assertThat(floe.get("/health/live").statusCode()).isEqualTo(200);

        outage.join();
        await()
            .atMost(Duration.ofSeconds(60))
            .until(() -> floe.get("/health/ready").statusCode() == 200);
      }
    }
  }

  @Test
  void notReadyBeforeThePartitionsArePositioned() throws Exception {
    KafkaBroker broker = SharedServices.broker();
    broker.createTopic("obs-early", 1);
    FloeConfig config = ConfigFiles.load(config(broker, "obs-early", "floe-obs-early", ""));
    try (Metrics metrics = new Metrics();
        Materializer materializer = new Materializer(config, metrics.registry());
        Operations operations = Operations.start(config, materializer, metrics)) {
      HttpResponse<String> ready = get(operations.port(), "/health/ready");
      assertThat(ready.statusCode()).isEqualTo(503);
      assertThat(ready.body()).contains("\"positioned\":false");
      assertThat(get(operations.port(), "/health/live").statusCode()).isEqualTo(200);
    }
  }

  // --- fixtures

  /** {@code floe run}'s parts in this JVM: the pipeline and its HTTP endpoint on a free port. */
  private record Instance(Metrics metrics, Materializer materializer, Operations operations)
      implements AutoCloseable {
    static Instance start(FloeConfig config) {
      Metrics metrics = new Metrics();
      Materializer materializer = new Materializer(config, metrics.registry());
      Operations operations = Operations.start(config, materializer, metrics);
      materializer.start();
      return new Instance(metrics, materializer, operations);
    }

    int port() {
      return operations.port();
    }

    HttpResponse<String> get(String path) throws Exception {
      return ObservabilityIT.get(port(), path);
    }

    String scrape() throws Exception {
      HttpResponse<String> response = get("/metrics");
      assertThat(response.statusCode()).isEqualTo(200);
      return response.body();
    }

    @Override
    public void close() {
      materializer.close();
      operations.close();
      metrics.close();
    }
  }

  static HttpResponse<String> get(int port, String path) throws Exception {
    return HTTP.send(
        HttpRequest.newBuilder(URI.create("http://localhost:" + port + path)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private Path config(KafkaBroker broker, String topic, String group, String extra) {
    return config(broker, topic, group, extra, "");
  }

  private Path config(
      KafkaBroker broker, String topic, String group, String extra, String mapping) {
    return TestConfigs.write(
        dir,
        broker,
        registry.url(),
        "30s",
        group,
        """
        http: { port: 0 }
        %stables:
          - topics: [%s]
            table: obs.${topic}
            commit: { interval: 1s }
        %s"""
            .formatted(extra, topic, mapping));
  }

  /** The value of the one sample of {@code name} whose labels contain {@code label}. */
  static double value(String scrape, String name, String label) {
    List<Double> all = values(scrape, name, label);
    assertThat(all).as("samples of %s{%s}", name, label).hasSize(1);
    return all.get(0);
  }

  static List<Double> values(String scrape, String name, String label) {
    Pattern sample = Pattern.compile("^" + name + "(\\{[^}]*})? (\\S+)$", Pattern.MULTILINE);
    List<Double> out = new ArrayList<>();
    Matcher m = sample.matcher(scrape);
    while (m.find()) {
      if (label.isEmpty() || (m.group(1) != null && m.group(1).contains(label))) {
        out.add(Double.parseDouble(m.group(2)));
      }
    }
    return out;
  }

  /**
   * The JSON document in what {@code floe status --json} printed; the tests' log lines go to stdout
   * too (logback-test.xml), from any thread, so they are cut off around it.
   */
  private static JsonNode statusJson(String out) throws Exception {
    int start = out.startsWith("{\n") ? 0 : out.indexOf("\n{\n") + 1;
    int end = out.indexOf("\n}", start) + 2;
    return HttpEndpoint.JSON.readTree(out.substring(start, end));
  }

  private static JsonNode onlyTable(String out) throws Exception {
    JsonNode tables = statusJson(out).get("tables");
    assertThat(tables).hasSize(1);
    return tables.get(0);
  }

  /** Every produced record is in the table, and each partition's committed offset is its end. */
  private static void assertCaughtUp(JsonNode table, long records) {
    assertThat(table.get("table").asText()).isEqualTo("obs.obs_orders");
    assertThat(table.get("format").asText()).isEqualTo("iceberg");
    assertThat(table.get("rows").asLong()).isEqualTo(records);
    assertThat(table.get("files").asLong()).isPositive();
    assertThat(table.get("lag").asLong()).isZero();
    long committed = 0;
    for (JsonNode p : table.get("partitions")) {
      assertThat(p.get("committed").asLong()).isEqualTo(p.get("end").asLong());
      assertThat(p.get("lag").asLong()).isZero();
      committed += p.get("committed").asLong();
    }
    assertThat(table.get("partitions")).hasSize(2);
    assertThat(committed).isEqualTo(records);
  }
}
