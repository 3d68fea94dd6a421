package dev.floe.sparkreader;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.struct;
import static org.apache.spark.sql.functions.to_json;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * Runs SQL queries in Spark local mode and writes each result as JSON lines, one object per row.
 *
 * <p>Arguments: {@code (--conf KEY=VALUE)... (--out FILE --sql QUERY)...}. The confs are Spark
 * settings, typically an Iceberg catalog ({@code spark.sql.catalog.NAME=...SparkCatalog} with its
 * {@code type}, {@code uri}, ...), so that the test also shows that a reader which knows only the
 * catalog finds the tables by name; Delta tables are read by path as {@code delta.`/path`}.
 *
 * <p>Values keep full precision in the JSON: timestamps with microseconds and offset, decimals as
 * numbers, binary as base64, nulls as explicit {@code null}s.
 */
public final class SparkQuery {
  private static final Map<String, String> JSON_OPTIONS =
      Map.of(
          "timestampFormat", "yyyy-MM-dd'T'HH:mm:ss.SSSSSSXXX",
          "timestampNTZFormat", "yyyy-MM-dd'T'HH:mm:ss.SSSSSS",
          "ignoreNullFields", "false");

  private SparkQuery() {}

  public static void main(String[] args) throws IOException {
    Map<String, String> confs = new LinkedHashMap<>();
    List<String[]> queries = new ArrayList<>();
    String out = null;
    for (int i = 0; i < args.length; i += 2) {
      String value = args[i + 1];
      switch (args[i]) {
        case "--conf" ->
            confs.put(
                value.substring(0, value.indexOf('=')), value.substring(value.indexOf('=') + 1));
        case "--out" -> out = value;
        case "--sql" -> queries.add(new String[] {out, value});
        default -> throw new IllegalArgumentException("Unknown argument " + args[i]);
      }
    }
    try (SparkSession spark = session(confs)) {
      for (String[] query : queries) {
        write(spark.sql(query[1]), Path.of(query[0]));
      }
    }
  }

  private static SparkSession session(Map<String, String> confs) {
    SparkSession.Builder builder =
        SparkSession.builder()
            .master("local[2]")
            .appName("floe-spark-reader")
            .config("spark.ui.enabled", "false")
            .config("spark.driver.host", "127.0.0.1")
            .config("spark.driver.bindAddress", "127.0.0.1")
            .config("spark.sql.shuffle.partitions", "2")
            .config("spark.sql.session.timeZone", "UTC")
            .config(
                "spark.sql.extensions",
                "io.delta.sql.DeltaSparkSessionExtension,"
                    + "org.apache.iceberg.spark.extensions.IcebergSparkSessionExtensions")
            .config(
                "spark.sql.catalog.spark_catalog",
                "org.apache.spark.sql.delta.catalog.DeltaCatalog");
    confs.forEach(builder::config);
    return builder.getOrCreate();
  }

  private static void write(Dataset<Row> result, Path out) throws IOException {
    List<String> lines =
        result
            .select(to_json(struct(col("*")), JSON_OPTIONS))
            .as(org.apache.spark.sql.Encoders.STRING())
            .collectAsList();
    Files.createDirectories(out.toAbsolutePath().getParent());
    Files.write(out, lines, StandardCharsets.UTF_8);
    System.out.println(out + ": " + lines.size() + " rows");
  }
}
