package dev.floe.bench;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Command-line options of {@link EndToEndBench}; every one has a default that reproduces
 * docs/benchmarks.md.
 */
record BenchOptions(
    long records,
    int partitions,
    int workers,
    String commitInterval,
    long commitMaxRecords,
    String heap,
    String compression,
    String partitionBy,
    String targetFileSize,
    List<String> floeJvmOptions,
    Path appJar,
    Path dir,
    long timeoutSeconds,
    boolean keep,
    String label,
    Path results,
    List<String> formats,
    String mode,
    long keys) {

  static final String USAGE =
      """
      Usage: EndToEndBench [--records N] [--partitions N] [--workers N] [--commit-interval 30s]
                           [--commit-max-records N] [--heap 1g] [--compression none|lz4|zstd|snappy|gzip]
                           [--partition-by 'bucket[8](user_id)'] [--target-file-size 128MB]
                           [--floe-jvm-opts '-XX:...'] [--app-jar app/target/floe-app.jar] [--dir DIR]
                           [--timeout SECONDS] [--keep] [--label TEXT] [--results FILE]
                           [--formats iceberg|delta|iceberg,delta] [--mode append|upsert] [--keys N]""";

  static BenchOptions parse(String[] args) {
    long records = 1_000_000;
    int partitions = 4;
    int workers = 1;
    String interval = "30s";
    long maxRecords = 500_000;
    String heap = "1g";
    String compression = "none";
    String partitionBy = "";
    String targetFileSize = "128MB";
    List<String> jvm = new ArrayList<>();
    Path appJar = Path.of("app/target/floe-app.jar");
    Path dir = Path.of("bench/target/e2e");
    long timeout = 900;
    boolean keep = false;
    String label = "";
    Path results = null;
    List<String> formats = List.of("iceberg");
    String mode = "append";
    long keys = 100_000;
    for (int i = 0; i < args.length; i++) {
      String a = args[i];
      switch (a) {
        case "--records" -> records = Long.parseLong(value(args, ++i, a).replace("_", ""));
        case "--partitions" -> partitions = Integer.parseInt(value(args, ++i, a));
        case "--workers" -> workers = Integer.parseInt(value(args, ++i, a));
        case "--commit-interval" -> interval = value(args, ++i, a);
        case "--commit-max-records" ->
            maxRecords = Long.parseLong(value(args, ++i, a).replace("_", ""));
        case "--heap" -> heap = value(args, ++i, a);
        case "--compression" -> compression = value(args, ++i, a);
        case "--partition-by" -> partitionBy = value(args, ++i, a);
        case "--target-file-size" -> targetFileSize = value(args, ++i, a);
        case "--floe-jvm-opts" ->
            jvm.addAll(
                Arrays.stream(value(args, ++i, a).trim().split("\\s+"))
                    .filter(s -> !s.isEmpty())
                    .toList());
        case "--app-jar" -> appJar = Path.of(value(args, ++i, a));
        case "--dir" -> dir = Path.of(value(args, ++i, a));
        case "--timeout" -> timeout = Long.parseLong(value(args, ++i, a));
        case "--keep" -> keep = true;
        case "--label" -> label = value(args, ++i, a);
        case "--results" -> results = Path.of(value(args, ++i, a));
        case "--formats" -> formats = List.of(value(args, ++i, a).split(","));
        case "--mode" -> mode = value(args, ++i, a);
        case "--keys" -> keys = Long.parseLong(value(args, ++i, a).replace("_", ""));
        default -> throw new IllegalArgumentException("Unknown option " + a + "\n" + USAGE);
      }
    }
    if (!List.of("iceberg").equals(formats)
        && !List.of("delta").equals(formats)
        && !List.of("iceberg", "delta").equals(formats)) {
      throw new IllegalArgumentException(
          "--formats must be iceberg, delta or iceberg,delta, not " + formats + "\n" + USAGE);
    }
    if (!mode.equals("append") && !mode.equals("upsert")) {
      throw new IllegalArgumentException("--mode is append or upsert\n" + USAGE);
    }
    if (records <= 0 || partitions <= 0 || workers <= 0 || maxRecords <= 0 || keys <= 0) {
      throw new IllegalArgumentException(
          "--records, --partitions, --workers and --commit-max-records must be positive");
    }
    return new BenchOptions(
        records,
        partitions,
        workers,
        interval,
        maxRecords,
        heap,
        compression,
        partitionBy,
        targetFileSize,
        List.copyOf(jvm),
        appJar.toAbsolutePath(),
        dir.toAbsolutePath(),
        timeout,
        keep,
        label,
        results == null ? null : results.toAbsolutePath(),
        formats,
        mode,
        keys);
  }

  boolean upsert() {
    return mode.equals("upsert");
  }

  private static String value(String[] args, int i, String option) {
    if (i >= args.length) {
      throw new IllegalArgumentException(option + " needs a value\n" + USAGE);
    }
    return args[i];
  }
}
