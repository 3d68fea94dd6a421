package dev.floe.bench;

import dev.floe.core.config.ConfigParser;
import dev.floe.core.config.FloeConfig;
import dev.floe.embedded.EmbeddedSchemaRegistry;
import dev.floe.embedded.KafkaBroker;
import dev.floe.sinks.iceberg.IcebergCatalogs;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.Catalog;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.exceptions.NoSuchTableException;

/**
 * End-to-end benchmark: a KRaft broker and a schema registry in this JVM, the whole topic produced
 * first, then Floe started as a separate JVM and timed until the table's current snapshot holds
 * every record. Reports records/s, MB/s, Floe's CPU seconds and peak RSS, data files and snapshots.
 * See docs/benchmarks.md.
 */
public final class EndToEndBench {
  private static final String TOPIC = "bench-events";
  private static final TableIdentifier TABLE = TableIdentifier.of("bench", "events");
  private static final long CATALOG_POLL_MS = 250;

  private EndToEndBench() {}

  public static void main(String[] args) throws Exception {
    BenchOptions o;
    try {
      o = BenchOptions.parse(args);
    } catch (IllegalArgumentException e) {
      System.err.println(e.getMessage());
      System.exit(2);
      return;
    }
    if (!Files.isRegularFile(o.appJar())) {
      System.err.println(
          "No Floe app jar at "
              + o.appJar()
              + "; build it first: mvn -q -B -pl bench -am -DskipTests install");
      System.exit(2);
    }
    boolean ok = new Run(o).call();
    System.exit(ok ? 0 : 1);
  }

  private record Run(BenchOptions o) {
    boolean call() throws Exception {
      Path dir =
          o.dir()
              .resolve(
                  "run-"
                      + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")));
      Files.createDirectories(dir);
      say("Work dir %s; options %s", dir, o);
      Result result;
      try (KafkaBroker broker = KafkaBroker.start(dir.resolve("kafka"));
          EmbeddedSchemaRegistry registry = EmbeddedSchemaRegistry.start()) {
        broker.createTopic(TOPIC, o.partitions());
        int schemaId = registry.register(TOPIC + "-value", "AVRO", BenchEvents.SCHEMA.toString());
        say(
            "Producing %,d records to %s (%d partitions, compression %s, idempotent, acks=all)...",
            o.records(), TOPIC, o.partitions(), o.compression());
        BenchProducer.Produced produced =
            new BenchProducer(broker.bootstrapServers(), o.compression())
                .produce(
                    TOPIC,
                    schemaId,
                    o.records(),
                    o.upsert() ? new BenchEvents(42, (int) o.keys()) : new BenchEvents(42));
        say(
            "Produced %,d records in %.1f s (%,.0f/s): average Avro payload %.1f bytes, framed %.1f bytes, %.1f MB in all",
            produced.records(),
            produced.seconds(),
            produced.records() / produced.seconds(),
            produced.avgPayload(),
            produced.avgFramed(),
            produced.framedBytes() / 1e6);
        Path config = writeConfig(dir, broker.bootstrapServers(), registry.url());
        result = measure(dir, config, produced);
      }
      report(result);
      if (o.upsert() && result.complete() && o.formats().contains("iceberg")) {
        reportReads(dir);
      }
      if (!o.keep()) { // the data is large; the config and Floe's log stay for a look afterwards
        deleteRecursively(dir.resolve("kafka"));
        deleteRecursively(dir.resolve("warehouse"));
      }
      return result.complete();
    }

    private Result measure(Path dir, Path configFile, BenchProducer.Produced produced)
        throws Exception {
      FloeConfig config = new ConfigParser(key -> true, System::getenv).parse(configFile);
      long harnessPid = ProcessHandle.current().pid();
      double harnessCpuBefore = ProcStats.cpuSeconds(harnessPid);
      Catalog catalog = IcebergCatalogs.load(config, "local");
      DeltaProgress delta = deltaProgress(config, o.partitions());
      say(
          "Starting Floe: java -Xmx%s %s-jar %s run --config %s",
          o.heap(),
          o.floeJvmOptions().isEmpty() ? "" : String.join(" ", o.floeJvmOptions()) + " ",
          o.appJar(),
          configFile);
      try (FloeProcess floe =
          FloeProcess.start(
              o.appJar(), o.heap(), o.floeJvmOptions(), configFile, dir.resolve("floe.log"))) {
        long deadline = floe.startedNanos() + o.timeoutSeconds() * 1_000_000_000L;
        long lastPoll = 0;
        long doneNanos = -1;
        long rows = 0;
        while (doneNanos < 0 && System.nanoTime() < deadline && floe.isAlive()) {
          FloeProcess.Commit commit = floe.nextCommit(CATALOG_POLL_MS);
          long now = System.nanoTime();
          // Ask the catalog after each commit line, and every 250 ms in case the log format
          // changes.
          if (commit != null || now - lastPoll >= CATALOG_POLL_MS * 1_000_000L) {
            lastPoll = now;
            rows = consumed(o, catalog, delta);
            if (rows >= o.records()) {
              doneNanos = commit != null ? commit.nanos() : now;
            }
          }
        }
        double cpu = floe.isAlive() ? ProcStats.cpuSeconds(floe.pid()) : -1;
        long peakRss = floe.isAlive() ? ProcStats.peakRssBytes(floe.pid()) : -1;
        double harnessCpu = ProcStats.cpuSeconds(harnessPid) - harnessCpuBefore;
        boolean died = !floe.isAlive();
        floe.close();
        if (died) {
          say("Floe exited early with code %d; see %s", floe.exitValue(), dir.resolve("floe.log"));
        } else if (doneNanos < 0) {
          say(
              "Timed out after %d s with %,d of %,d rows in the table",
              o.timeoutSeconds(), rows, o.records());
        }
        TableFacts facts =
            o.formats().contains("iceberg")
                ? tableFacts(catalog)
                : deltaFacts(config, o.partitions());
        if (catalog instanceof AutoCloseable closeable) {
          closeable.close();
        }
        return new Result(
            o,
            produced,
            floe.startedNanos(),
            floe.startingNanos(),
            floe.startingCpu(),
            floe.assignedNanos(),
            doneNanos,
            floe.commits(),
            cpu,
            peakRss,
            harnessCpu,
            facts,
            Files.readString(dir.resolve("floe-command.txt")).trim());
      }
    }

    private Path writeConfig(Path dir, String bootstrap, String registryUrl) throws IOException {
      Path file = dir.resolve("floe.yaml");
      String partitionBy =
          o.partitionBy().isEmpty() ? "" : "\n    partition-by: [\"" + o.partitionBy() + "\"]";
      Files.writeString(
          file,
          """
          # Written by dev.floe.bench.EndToEndBench
          kafka:
            bootstrap.servers: %s
            group.id: floe-bench
          schema-registry:
            url: %s
          warehouse: warehouse
          workers: %d
          tables:
            - topics: [%s]
              table: %s%s%s
              formats: [%s]
              commit: { interval: %s, max-records: %d }
              target-file-size: %s
          """
              .formatted(
                  bootstrap,
                  registryUrl,
                  o.workers(),
                  TOPIC,
                  TABLE,
                  partitionBy,
                  o.upsert()
                      ? "\n    mode: upsert\n    key: { format: string, columns: [user_id] }"
                      : "",
                  String.join(", ", o.formats()),
                  o.commitInterval(),
                  o.commitMaxRecords(),
                  o.targetFileSize()));
      return file;
    }

    /** Scans of the upsert table and of an append-only copy of its final rows. */
    private void reportReads(Path dir) throws IOException {
      FloeConfig config =
          new ConfigParser(key -> true, System::getenv).parse(dir.resolve("floe.yaml"));
      Catalog catalog = IcebergCatalogs.load(config, "local");
      ReadAmplification.Result reads = ReadAmplification.measure(catalog, TABLE);
      TableFacts facts = tableFacts(catalog);
      String text =
          String.format(
              "upsert reads:        %,d live rows of %,d keys; %d data + %d delete files"
                  + " (%,d equality, %,d position deletes)%n"
                  + "full scan:           %.2f s upsert table vs %.2f s append-only table of the"
                  + " same rows: read amplification %.1fx",
              reads.upsert().rows(),
              o.keys(),
              facts.dataFiles(),
              facts.deleteFiles(),
              facts.equalityDeletes(),
              facts.positionDeletes(),
              reads.upsert().seconds(),
              reads.append().seconds(),
              reads.ratio());
      System.out.println(text);
      if (o.results() != null) {
        Files.writeString(
            o.results(),
            text + System.lineSeparator(),
            StandardOpenOption.CREATE,
            StandardOpenOption.APPEND);
      }
      if (catalog instanceof AutoCloseable closeable) {
        try {
          closeable.close();
        } catch (Exception e) {
          throw new IOException(e);
        }
      }
    }

    private void report(Result r) throws IOException {
      String summary = r.summary();
      System.out.println();
      System.out.println(summary);
      System.out.println(r.markdownRow());
      System.out.flush();
      if (o.results() != null) {
        Files.createDirectories(o.results().toAbsolutePath().getParent());
        Files.writeString(
            o.results(), r.json() + "\n", StandardOpenOption.CREATE, StandardOpenOption.APPEND);
      }
    }
  }

  record TableFacts(
      long totalRecords,
      long dataFiles,
      long fileBytes,
      int snapshots,
      long consumed,
      long deleteFiles,
      long equalityDeletes,
      long positionDeletes) {}

  /** Records every table of the run covers: the smallest count, since all must be done. */
  private static long consumed(BenchOptions o, Catalog catalog, DeltaProgress delta) {
    long rows = Long.MAX_VALUE;
    if (o.formats().contains("iceberg")) {
      rows = Math.min(rows, consumed(catalog));
    }
    if (o.formats().contains("delta")) {
      rows = Math.min(rows, delta.consumed());
    }
    return rows;
  }

  /** The bench table's Delta progress, read incrementally by the completion poll. */
  private static DeltaProgress deltaProgress(FloeConfig config, int partitions) {
    List<String> appIds = new java.util.ArrayList<>();
    for (int p = 0; p < partitions; p++) {
      appIds.add("floe/" + config.groupId() + "/" + TOPIC + "/" + p);
    }
    return new DeltaProgress(
        dev.floe.sinks.delta.DeltaTableSink.location(
            config.warehouse(), dev.floe.core.TableId.parse(TABLE.toString())),
        appIds);
  }

  /**
   * The Delta table's facts from its log: files, rows from the add actions' statistics, and the
   * records consumed from the {@code txn} versions.
   */
  private static TableFacts deltaFacts(FloeConfig config, int partitions) {
    io.delta.standalone.Snapshot s =
        io.delta.standalone.DeltaLog.forTable(
                new org.apache.hadoop.conf.Configuration(),
                dev.floe.sinks.delta.DeltaTableSink.location(
                        config.warehouse(), dev.floe.core.TableId.parse(TABLE.toString()))
                    .toString())
            .update();
    if (s.getVersion() < 0) {
      return new TableFacts(0, 0, 0, 0, 0, 0, 0, 0);
    }
    long rows = 0;
    long bytes = 0;
    List<io.delta.standalone.actions.AddFile> files = s.getAllFiles();
    for (io.delta.standalone.actions.AddFile f : files) {
      bytes += f.getSize();
      java.util.regex.Matcher m =
          java.util.regex.Pattern.compile("\"numRecords\":(\\d+)").matcher(f.getStats());
      rows += m.find() ? Long.parseLong(m.group(1)) : 0;
    }
    return new TableFacts(
        rows,
        files.size(),
        bytes,
        (int) s.getVersion() + 1,
        deltaProgress(config, partitions).consumed(),
        0,
        0,
        0);
  }

  /**
   * Records the table's latest commit covers: the sum of the next offsets it records for the bench
   * group (the topic starts at offset 0). For upserts this differs from the rows in the table.
   */
  private static long consumed(Catalog catalog) {
    try {
      Snapshot s = catalog.loadTable(TABLE).currentSnapshot();
      String json = s == null ? null : s.summary().get("floe.offsets.floe-bench");
      if (json == null) {
        return 0;
      }
      long sum = 0;
      var partitions = new com.fasterxml.jackson.databind.ObjectMapper().readTree(json);
      for (var topic : partitions) {
        for (var next : topic) {
          sum += next.asLong();
        }
      }
      return sum;
    } catch (NoSuchTableException e) {
      return 0;
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private static TableFacts tableFacts(Catalog catalog) {
    try {
      Table table = catalog.loadTable(TABLE);
      Snapshot s = table.currentSnapshot();
      if (s == null) {
        return new TableFacts(0, 0, 0, 0, 0, 0, 0, 0);
      }
      Map<String, String> sum = s.summary();
      int snapshots = 0;
      for (Snapshot ignored : table.snapshots()) {
        snapshots++;
      }
      return new TableFacts(
          Long.parseLong(sum.getOrDefault("total-records", "0")),
          Long.parseLong(sum.getOrDefault("total-data-files", "0")),
          Long.parseLong(sum.getOrDefault("total-files-size", "0")),
          snapshots,
          consumed(catalog),
          Long.parseLong(sum.getOrDefault("total-delete-files", "0")),
          Long.parseLong(sum.getOrDefault("total-equality-deletes", "0")),
          Long.parseLong(sum.getOrDefault("total-position-deletes", "0")));
    } catch (NoSuchTableException e) {
      return new TableFacts(0, 0, 0, 0, 0, 0, 0, 0);
    }
  }

  record Result(
      BenchOptions o,
      BenchProducer.Produced produced,
      long startNanos,
      long startingNanos,
      double startingCpu,
      long assignedNanos,
      long doneNanos,
      List<FloeProcess.Commit> commits,
      double cpuSeconds,
      long peakRss,
      double harnessCpu,
      TableFacts table,
      String command) {

    boolean complete() {
      return doneNanos > 0 && table.consumed() == o.records();
    }

    double seconds() {
      return (doneNanos - startNanos) / 1e9;
    }

    private double since(long nanos) {
      return nanos < 0 ? Double.NaN : (nanos - startNanos) / 1e9;
    }

    double recordsPerSecond() {
      return o.records() / seconds();
    }

    double mbPerSecond() {
      return produced.framedBytes() / 1e6 / seconds();
    }

    double firstCommit() {
      return commits.isEmpty() ? Double.NaN : since(commits.get(0).nanos());
    }

    /**
     * Records/s once Floe's JVM is up and its config parsed: the steady rate without JVM start-up.
     */
    double afterStartRate() {
      return startingNanos < 0 ? Double.NaN : o.records() / ((doneNanos - startingNanos) / 1e9);
    }

    String summary() {
      return String.join(
          "\n",
          "=== Floe end-to-end benchmark"
              + (o.label().isEmpty() ? "" : " (" + o.label() + ")")
              + " ===",
          String.format(
              "records %,d in %d partitions, avg Avro payload %.1f B (framed %.1f B), compression %s",
              o.records(),
              o.partitions(),
              produced.avgPayload(),
              produced.avgFramed(),
              o.compression()),
          String.format(
              "floe: formats %s, workers %d, heap %s, commit interval %s / max-records %,d, partition-by %s",
              o.formats(),
              o.workers(),
              o.heap(),
              o.commitInterval(),
              o.commitMaxRecords(),
              o.partitionBy().isEmpty() ? "none" : o.partitionBy()),
          String.format(
              "complete:            %s (table holds %,d rows)",
              complete() ? "yes" : "NO", table.totalRecords()),
          String.format(
              "elapsed:             %.2f s from process start to the commit that completes the table",
              seconds()),
          String.format(
              "throughput:          %,.0f records/s, %.1f MB/s (framed value bytes, MB = 10^6 B)",
              recordsPerSecond(), mbPerSecond()),
          String.format(
              "JVM start overhead:  %.2f s to 'Floe starting' (%.2f CPU-s); partitions assigned at %.2f s",
              since(startingNanos), startingCpu, since(assignedNanos)),
          String.format(
              "first commit at:     %.2f s; rate after JVM start %,.0f records/s",
              firstCommit(), afterStartRate()),
          String.format(
              "Floe CPU:            %.1f CPU-s (user+sys, CLK_TCK %d), %.0f%% of one core on average",
              cpuSeconds, ProcStats.clockTicksPerSecond(), 100 * cpuSeconds / seconds()),
          String.format("Floe peak RSS:       %.0f MiB (VmHWM)", peakRss / 1048576.0),
          String.format("harness (broker) CPU during the run: %.1f CPU-s", harnessCpu),
          String.format(
              "table:               %d data files, %.1f MB of data, %d snapshots; %d commit lines: %s",
              table.dataFiles(),
              table.fileBytes() / 1e6,
              table.snapshots(),
              commits.size(),
              commits.stream()
                  .map(c -> String.format("%.1fs:%d", since(c.nanos()), c.rows()))
                  .toList()),
          "command:             " + command);
    }

    String markdownRow() {
      return String.format(
          "| %s | %,d | %d | %d | %s / %,d | %s | %.1f | **%,.0f** | %.1f | %.1f | %.0f MiB | %d | %d | %.1f | %.1f |",
          o.label().isEmpty() ? "-" : o.label(),
          o.records(),
          o.partitions(),
          o.workers(),
          o.commitInterval(),
          o.commitMaxRecords(),
          o.heap(),
          seconds(),
          recordsPerSecond(),
          mbPerSecond(),
          cpuSeconds,
          peakRss / 1048576.0,
          table.dataFiles(),
          table.snapshots(),
          since(startingNanos),
          firstCommit());
    }

    String json() {
      return String.format(
          java.util.Locale.ROOT,
          "{\"label\":\"%s\",\"records\":%d,\"partitions\":%d,\"workers\":%d,\"interval\":\"%s\",\"maxRecords\":%d,"
              + "\"heap\":\"%s\",\"compression\":\"%s\",\"partitionBy\":\"%s\",\"avgPayload\":%.1f,\"avgFramed\":%.1f,"
              + "\"complete\":%b,\"seconds\":%.3f,\"recordsPerSecond\":%.0f,\"mbPerSecond\":%.2f,\"cpuSeconds\":%.2f,"
              + "\"peakRssMiB\":%.0f,\"dataFiles\":%d,\"snapshots\":%d,\"jvmStart\":%.2f,\"firstCommit\":%.2f,"
              + "\"harnessCpu\":%.2f,\"command\":\"%s\"}",
          o.label(),
          o.records(),
          o.partitions(),
          o.workers(),
          o.commitInterval(),
          o.commitMaxRecords(),
          o.heap(),
          o.compression(),
          o.partitionBy(),
          produced.avgPayload(),
          produced.avgFramed(),
          complete(),
          seconds(),
          recordsPerSecond(),
          mbPerSecond(),
          cpuSeconds,
          peakRss / 1048576.0,
          table.dataFiles(),
          table.snapshots(),
          since(startingNanos),
          firstCommit(),
          harnessCpu,
          command.replace("\"", "\\\""));
    }
  }

  private static void say(String format, Object... args) {
    System.out.printf("[bench %tT] %s%n", System.currentTimeMillis(), String.format(format, args));
    System.out.flush();
  }

  private static void deleteRecursively(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(dir)) {
      for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }
}
