package dev.floe.testsupport;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Spark 4.0 in local mode as an independent reader of Floe's tables: Iceberg through Floe's JDBC
 * catalog ({@code <catalog>.<namespace>.<table>}), Delta by path ({@code delta.`/path`}).
 *
 * <p>Spark runs in a child JVM on the class path the {@code spark-reader} module writes, because
 * its Iceberg runtime (1.11, the last for Spark 4.0) and Jackson (2.18) clash with Floe's. Starting
 * Spark takes seconds, so run all of a test's queries in one {@link #query(Map)} call.
 */
public final class SparkSql {
  private static final ObjectMapper JSON =
      new ObjectMapper().enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);

  /** What Spark's own launcher opens on Java 17 (JavaModuleOptions). */
  private static final List<String> JAVA_17_OPTIONS =
      List.of(
          "-XX:+IgnoreUnrecognizedVMOptions",
          "--add-opens=java.base/java.lang=ALL-UNNAMED",
          "--add-opens=java.base/java.lang.invoke=ALL-UNNAMED",
          "--add-opens=java.base/java.lang.reflect=ALL-UNNAMED",
          "--add-opens=java.base/java.io=ALL-UNNAMED",
          "--add-opens=java.base/java.net=ALL-UNNAMED",
          "--add-opens=java.base/java.nio=ALL-UNNAMED",
          "--add-opens=java.base/java.util=ALL-UNNAMED",
          "--add-opens=java.base/java.util.concurrent=ALL-UNNAMED",
          "--add-opens=java.base/java.util.concurrent.atomic=ALL-UNNAMED",
          "--add-opens=java.base/jdk.internal.ref=ALL-UNNAMED",
          "--add-opens=java.base/sun.nio.ch=ALL-UNNAMED",
          "--add-opens=java.base/sun.nio.cs=ALL-UNNAMED",
          "--add-opens=java.base/sun.security.action=ALL-UNNAMED",
          "--add-opens=java.base/sun.util.calendar=ALL-UNNAMED",
          "-Djdk.reflect.useDirectMethodHandle=false",
          "-Dio.netty.tryReflectionSetAccessible=true");

  private final List<String> catalogArgs;

  private SparkSql(List<String> catalogArgs) {
    this.catalogArgs = catalogArgs;
  }

  /** A reader of Delta tables by path, without an Iceberg catalog. */
  public static SparkSql local() {
    return new SparkSql(List.of());
  }

  /**
   * A reader that also sees the Iceberg tables of a JDBC catalog as {@code name.ns.table}; {@code
   * name} is the catalog's name in Floe's config, under which the JDBC catalog keeps its tables.
   */
  public static SparkSql withIcebergCatalog(String name, String jdbcUri, String warehouse) {
    return withIcebergCatalog(
        name,
        Map.of(
            "type",
            "jdbc",
            "uri",
            jdbcUri,
            "warehouse",
            warehouse,
            // Floe's catalog tables carry the column that tells tables from views
            "jdbc.schema-version",
            "V1"));
  }

  /**
   * A reader that also sees the Iceberg tables of a catalog as {@code name.ns.table}, configured by
   * Iceberg catalog properties ({@code type}, {@code uri}, {@code token}, ...).
   */
  public static SparkSql withIcebergCatalog(String name, Map<String, String> properties) {
    List<String> args = new ArrayList<>();
    String prefix = "spark.sql.catalog." + name;
    args.addAll(List.of("--conf", prefix + "=org.apache.iceberg.spark.SparkCatalog"));
    properties.forEach((k, v) -> args.addAll(List.of("--conf", prefix + "." + k + "=" + v)));
    return new SparkSql(List.copyOf(args));
  }

  /** The Spark SQL name of a Delta table at {@code path}. */
  public static String delta(Path path) {
    return "delta.`" + path.toAbsolutePath() + "`";
  }

  /** Runs one query; see {@link #query(Map)}. */
  public List<ObjectNode> query(String sql) {
    return query(Map.of("result", sql)).get("result");
  }

  /**
   * Runs the queries (name to SQL) in one Spark session and returns each result's rows, as JSON
   * objects: timestamps are ISO-8601 strings with microseconds, decimals exact, binary base64.
   */
  public Map<String, List<ObjectNode>> query(Map<String, String> queries) {
    try {
      // under the module's target/, so that the log stays for a post-mortem
      Path reads = Files.createDirectories(Path.of("target", "spark-reads"));
      Path work = Files.createTempDirectory(reads, "query-");
      List<String> command = new ArrayList<>();
      command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
      command.add("-Xmx1g");
      command.addAll(JAVA_17_OPTIONS);
      command.add("-cp");
      command.add(classPath());
      command.add("dev.floe.sparkreader.SparkQuery");
      command.addAll(catalogArgs);
      Map<String, Path> outputs = new LinkedHashMap<>();
      queries.forEach(
          (name, sql) -> {
            Path out = work.resolve(name + ".jsonl");
            outputs.put(name, out);
            command.addAll(List.of("--out", out.toString(), "--sql", sql));
          });
      Path log = work.resolve("spark.log");
      Process spark =
          new ProcessBuilder(command)
              .redirectErrorStream(true)
              .redirectOutput(log.toFile())
              .start();
      if (!spark.waitFor(5, TimeUnit.MINUTES)) {
        spark.destroyForcibly();
        throw new IllegalStateException("Spark did not finish within 5 minutes; log: " + log);
      }
      if (spark.exitValue() != 0) {
        throw new IllegalStateException(
            "Spark failed (exit " + spark.exitValue() + "):\n" + tail(log) + "\nlog: " + log);
      }
      Map<String, List<ObjectNode>> results = new LinkedHashMap<>();
      for (Map.Entry<String, Path> e : outputs.entrySet()) {
        List<ObjectNode> rows = new ArrayList<>();
        for (String line : Files.readAllLines(e.getValue(), StandardCharsets.UTF_8)) {
          rows.add((ObjectNode) JSON.readTree(line));
        }
        results.put(e.getKey(), rows);
      }
      return results;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private static String tail(Path log) throws IOException {
    List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
    return String.join("\n", lines.subList(Math.max(0, lines.size() - 60), lines.size()));
  }

  /**
   * The spark-reader module's classes and dependencies. Maven builds it before the modules whose
   * tests use it; found by walking up from the working directory, as each module's tests run in
   * their own directory.
   */
  private static String classPath() throws IOException {
    for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
      Path target = dir.resolve("spark-reader").resolve("target");
      Path file = target.resolve("spark-classpath.txt");
      if (Files.isRegularFile(file)) {
        return target.resolve("classes")
            + java.io.File.pathSeparator
            + Files.readString(file).trim();
      }
    }
    throw new IllegalStateException(
        "No spark-reader/target/spark-classpath.txt above "
            + Path.of("").toAbsolutePath()
            + ": the Spark reader is not built. Run `mvn package -pl spark-reader` (mvn verify"
            + " builds it before the modules that use it).");
  }
}
