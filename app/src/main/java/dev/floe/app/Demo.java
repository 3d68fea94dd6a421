package dev.floe.app;

import dev.floe.app.demo.DemoProducer;
import dev.floe.app.demo.DemoReport;
import dev.floe.core.config.FloeConfig;
import dev.floe.embedded.EmbeddedSchemaRegistry;
import dev.floe.embedded.KafkaBroker;
import dev.floe.sinks.iceberg.IcebergCatalogs;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.stream.Stream;
import org.apache.iceberg.catalog.Catalog;

/**
 * {@code floe demo}: everything in one process, nothing to install. Writes a real floe.yaml into
 * the demo directory and runs it exactly as {@code floe run} would.
 */
final class Demo {
  private final Path dir;
  private final Duration duration;
  private final int rate;
  private final PrintWriter out;

  Demo(Path dir, Duration duration, int rate, PrintWriter out) {
    this.dir = dir;
    this.duration = duration;
    this.rate = rate;
    this.out = out;
  }

  boolean run() throws Exception {
    empty(dir);
    out.printf(
        "Floe demo in %s (emptied first): %d s of sample events at %d/s%n",
        dir, duration.toSeconds(), rate);
    out.flush();
    try (KafkaBroker broker = KafkaBroker.start(dir.resolve("kafka"));
        EmbeddedSchemaRegistry registry = EmbeddedSchemaRegistry.start()) {
      broker.createTopic("orders", 3);
      broker.createTopic("clickstream", 3);
      Path configFile = writeConfig(broker.bootstrapServers(), registry.url());
      FloeConfig config = ConfigFiles.load(configFile);
      out.printf(
          "Kafka broker (KRaft) on %s, schema registry on %s, config %s%n",
          broker.bootstrapServers(), registry.url(), configFile);
      out.flush();
      DemoProducer producer = new DemoProducer(broker.bootstrapServers(), registry, rate);
      Thread producing = new Thread(producer, "demo-producer");
      Metrics metrics = new Metrics();
      Materializer floe = new Materializer(config, metrics.registry());
      Operations operations = Operations.start(config, floe, metrics);
      out.printf(
          "Metrics on http://localhost:%d/metrics, health on /health/ready, status on /status%n",
          operations.port());
      out.flush();
      floe.start();
      producing.start();
      long started = System.nanoTime();
      while (System.nanoTime() - started < duration.toNanos() && floe.failure() == null) {
        Thread.sleep(2000);
        progress(producer.produced(), floe, started);
      }
      producer.stop();
      producing.join();
      producer.close();
      long produced = producer.produced();
      out.printf("Produced %,d events; waiting for the last commit...%n", produced);
      out.flush();
      long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
      while (floe.stats().totalRowsCommitted() < produced
          && floe.failure() == null
          && System.nanoTime() < deadline) {
        Thread.sleep(500);
      }
      floe.close();
      operations.close();
      metrics.close();
      if (floe.failure() != null) {
        out.println("Floe stopped with an error: " + floe.failure().getMessage());
        return false;
      }
      progress(produced, floe, started);
      return report(config, produced);
    }
  }

  private void progress(long produced, Materializer floe, long started) {
    double seconds = (System.nanoTime() - started) / 1e9;
    out.printf(
        "[%5.1fs] produced %,d | read %,d | committed %,d rows in %d commits %s%n",
        seconds,
        produced,
        floe.stats().recordsRead(),
        floe.stats().totalRowsCommitted(),
        floe.stats().commits(),
        floe.stats().rowsCommitted());
    out.flush();
  }

  private boolean report(FloeConfig config, long produced) throws Exception {
    Catalog catalog = IcebergCatalogs.load(config, config.tables().get(0).catalog());
    long rows;
    try {
      DemoReport report = new DemoReport(catalog, out);
      rows = report.print("sales.orders", 3) + report.print("web.clickstream", 3);
    } finally {
      if (catalog instanceof AutoCloseable closeable) {
        closeable.close();
      }
    }
    out.printf(
        "%nProduced %,d events; the tables hold %,d rows%s.%n",
        produced, rows, rows == produced ? " (every event exactly once)" : " (MISMATCH)");
    out.println(queryHelp(config));
    out.flush();
    return rows == produced;
  }

  private String queryHelp(FloeConfig config) {
    String db = config.catalog("local").orElseThrow().uri();
    return """

        Query the tables (Iceberg; JDBC catalog on the SQLite file %s):
          Spark:  spark-sql --packages org.apache.iceberg:iceberg-spark-runtime-4.0_2.13:1.11.0,org.xerial:sqlite-jdbc:3.47.1.0 \\
                    --conf spark.sql.catalog.local=org.apache.iceberg.spark.SparkCatalog \\
                    --conf spark.sql.catalog.local.type=jdbc --conf spark.sql.catalog.local.uri=%s \\
                    --conf spark.sql.catalog.local.warehouse=%s
                  SELECT status, count(*), sum(amount) FROM local.sales.orders GROUP BY status;
                  (name the Spark catalog `local`, as in floe.yaml: a JDBC catalog keeps its tables under its name)
          DuckDB: INSTALL iceberg; LOAD iceberg;
                  SELECT count(*) FROM iceberg_scan('<metadata file printed above>');
        Run it on your own topics: edit %s, then ./floe run --config %s"""
        .formatted(
            db.substring("jdbc:sqlite:".length()),
            db,
            config.warehouse(),
            dir.resolve("floe.yaml"),
            dir.resolve("floe.yaml"));
  }

  private Path writeConfig(String bootstrap, String registryUrl) throws IOException {
    Path file = dir.resolve("floe.yaml");
    Files.writeString(
        file,
        """
        # Written by `floe demo`. Every key is described in docs/configuration.md.
        kafka:
          bootstrap.servers: %s
          group.id: floe-demo
        schema-registry:
          url: %s
        warehouse: warehouse          # relative to this file
        http: { port: 0 }             # metrics, health and status on any free port (printed)
        tables:
          - topics: [orders]
            table: sales.orders
            partition-by: [day(order_ts)]
            commit: { interval: 5s }
          - topics: [clickstream]
            table: web.${topic}
            partition-by: [hour(event_ts), "bucket[4](user_id)"]
            commit: { interval: 5s, max-records: 20000 }
        """
            .formatted(bootstrap, registryUrl));
    return file;
  }

  /** Empties a previous demo's directory; refuses any other non-empty directory. */
  private static void empty(Path dir) throws IOException {
    if (Files.isDirectory(dir) && !Files.exists(dir.resolve("floe.yaml"))) {
      try (Stream<Path> entries = Files.list(dir)) {
        if (entries.findAny().isPresent()) {
          throw dev.floe.core.Errors.of(
              dir
                  + " is not empty and holds no demo (no floe.yaml written by floe demo); the demo empties its directory first",
              "choose another --dir, or an empty or new directory",
              null);
        }
      }
    }
    if (Files.exists(dir)) {
      try (Stream<Path> paths = Files.walk(dir)) {
        for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
          Files.delete(p);
        }
      }
    }
    Files.createDirectories(dir);
  }
}
