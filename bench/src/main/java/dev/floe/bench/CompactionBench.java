package dev.floe.bench;

import dev.floe.core.PartitionOffsets;
import dev.floe.core.SourcePartition;
import dev.floe.core.TableId;
import dev.floe.core.config.CatalogSettings;
import dev.floe.core.config.FloeConfig;
import dev.floe.core.config.PartitionField;
import dev.floe.core.config.TableMapping;
import dev.floe.core.row.Field;
import dev.floe.core.row.Row;
import dev.floe.core.row.Type;
import dev.floe.core.sink.TableSink;
import dev.floe.core.sink.TableSpec;
import dev.floe.core.sink.WriteBatch;
import dev.floe.sinks.delta.DeltaTableSink;
import dev.floe.sinks.iceberg.CompactionReport;
import dev.floe.sinks.iceberg.IcebergCatalogs;
import dev.floe.sinks.iceberg.IcebergTableSink;
import io.delta.standalone.DeltaLog;
import io.delta.standalone.data.CloseableIterator;
import io.delta.standalone.data.RowRecord;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.Catalog;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.data.IcebergGenerics;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.io.CloseableIterable;

/**
 * Compaction of a streamed upsert table: {@code files} small data files (commits of one small file
 * per bucket, as a stream with short commit intervals leaves them), then 20% of the keys updated
 * through upserts; compacted with Floe's compaction (Iceberg) or OPTIMIZE (Delta). Reports files
 * and bytes before/after, compaction MB/s (input bytes / time), and full-scan time before and after
 * with an independent reader (Iceberg generics; delta-standalone's own row reader), next to an
 * append-only table of the same final rows written in one commit.
 *
 * <pre>bench/run-compaction.sh [format=iceberg|delta] [rows=200000] [files=2000] [updated=0.2]
 *   [updateCommits=10] [dir=bench/target/compaction]</pre>
 */
public final class CompactionBench {
  private static final int BUCKETS = 8;
  private static final Type.Struct ROW =
      new Type.Struct(
          List.of(
              Field.required("id", Type.Primitive.STRING),
              Field.required("user_id", Type.Primitive.LONG),
              Field.optional("amount", Type.Primitive.DOUBLE),
              Field.optional("country", Type.Primitive.STRING),
              Field.optional("note", Type.Primitive.STRING),
              Field.optional("ts_ms", Type.Primitive.LONG)));

  private CompactionBench() {}

  public static void main(String[] args) throws Exception {
    Map<String, String> opts = new HashMap<>();
    for (String a : args) {
      String[] kv = a.split("=", 2);
      opts.put(kv[0], kv[1]);
    }
    String format = opts.getOrDefault("format", "iceberg");
    int rows = Integer.parseInt(opts.getOrDefault("rows", "200000"));
    int files = Integer.parseInt(opts.getOrDefault("files", "2000"));
    double updated = Double.parseDouble(opts.getOrDefault("updated", "0.2"));
    int updateCommits = Integer.parseInt(opts.getOrDefault("updateCommits", "10"));
    Path dir = Path.of(opts.getOrDefault("dir", "bench/target/compaction")).toAbsolutePath();
    if (Files.exists(dir)) {
      try (var all = Files.walk(dir)) {
        all.sorted(Collections.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
    Files.createDirectories(dir);
    FloeConfig config = config(dir);
    TableSink sink =
        format.equals("delta") ? new DeltaTableSink(config) : new IcebergTableSink(config);
    TableSpec upsert = spec("bench.upserted", List.of("id"));
    TableSpec append = spec("bench.appended", List.of());

    // 1. the stream: commits of one small file per bucket, new keys in order
    int commits = files / BUCKETS;
    int perCommit = rows / commits;
    Map<String, Row> model = new HashMap<>();
    Random random = new Random(42);
    long t0 = System.nanoTime();
    long offset = 0;
    int id = 0;
    for (int c = 0; c < commits; c++) {
      WriteBatch b = sink.newBatch(upsert);
      for (int i = 0; i < perCommit; i++, id++) {
        Row r = row(String.format("k%09d", id), random, 0);
        b.write(ROW, r);
        model.put(String.format("k%09d", id), r);
      }
      offset = commit(b, offset, perCommit);
    }
    long written = System.nanoTime() - t0;
    // 2. 20% of the keys updated through upserts, in a few commits
    int updates = (int) (model.size() * updated);
    List<String> keys = new java.util.ArrayList<>(model.keySet());
    Collections.shuffle(keys, random);
    long t1 = System.nanoTime();
    for (int c = 0; c < updateCommits; c++) {
      WriteBatch b = sink.newBatch(upsert);
      int n = 0;
      for (int i = c * updates / updateCommits; i < (c + 1) * updates / updateCommits; i++) {
        Row r = row(keys.get(i), random, 1);
        b.write(ROW, r);
        model.put(keys.get(i), r);
        n++;
      }
      offset = commit(b, offset, n);
    }
    long updatedNanos = System.nanoTime() - t1;
    // 3. the reference: the same final rows, append-only, one commit
    WriteBatch all = sink.newBatch(append);
    model.values().forEach(r -> all.write(ROW, r));
    all.commit("bench", PartitionOffsets.empty(), PartitionOffsets.of(Map.of(part(), 1L)));

    System.out.printf(
        "%s: %,d rows in %d commits (%.1f s), %,d updated in %d commits (%.1f s)%n",
        format, model.size(), commits, written / 1e9, updates, updateCommits, updatedNanos / 1e9);
    Layout before = layout(format, config, dir, "bench.upserted");
    Layout reference = layout(format, config, dir, "bench.appended");
    double scanBefore = scan(format, config, dir, "bench.upserted", model.size());
    double scanAppend = scan(format, config, dir, "bench.appended", model.size());

    long c0 = System.nanoTime();
    String done;
    if (sink instanceof IcebergTableSink iceberg) {
      CompactionReport report = iceberg.compact(upsert, false);
      done = report.describe();
    } else {
      done = sink.compact(upsert);
    }
    double compactSeconds = (System.nanoTime() - c0) / 1e9;
    Layout after = layout(format, config, dir, "bench.upserted");
    double scanAfter = scan(format, config, dir, "bench.upserted", model.size());

    String manifests = "";
    double scanRewritten = scanAfter;
    if (sink instanceof IcebergTableSink iceberg) { // every commit left a manifest behind
      manifests =
          iceberg.maintain(
              upsert,
              new dev.floe.core.sink.MaintenanceJob(
                  dev.floe.core.sink.MaintenanceJob.Kind.REWRITE_MANIFESTS, null, 0, false));
      scanRewritten = scan(format, config, dir, "bench.upserted", model.size());
    }
    System.out.println(done);
    System.out.println(manifests);
    System.out.printf(
        "before:   %5d data files, %4d delete files, %8.1f MB; full scan %6.2f s%n",
        before.data, before.deletes, before.bytes / 1e6, scanBefore);
    System.out.printf(
        "after:    %5d data files, %4d delete files, %8.1f MB; full scan %6.2f s%n",
        after.data, after.deletes, after.bytes / 1e6, scanAfter);
    System.out.printf(
        "after rewrite-manifests: full scan %6.2f s (%.2fx of append-only)%n",
        scanRewritten, scanRewritten / scanAppend);
    System.out.printf(
        "append:   %5d data files, %4d delete files, %8.1f MB; full scan %6.2f s%n",
        reference.data, reference.deletes, reference.bytes / 1e6, scanAppend);
    System.out.printf(
        "compaction: %.1f s, %.1f MB/s of input; scan after / append-only = %.2fx; before /"
            + " after = %.1fx%n",
        compactSeconds,
        (before.bytes / 1e6) / compactSeconds,
        scanAfter / scanAppend,
        scanBefore / scanAfter);
    sink.close();
  }

  private static Row row(String id, Random random, int version) {
    return Row.wrap(
        id,
        (long) random.nextInt(1_000_000),
        random.nextDouble() * 1000,
        List.of("DE", "FR", "US", "JP", "BR").get(random.nextInt(5)),
        "v" + version + "-" + Long.toHexString(random.nextLong()),
        1_700_000_000_000L + random.nextInt(1_000_000_000));
  }

  private static long commit(WriteBatch b, long offset, int n) {
    PartitionOffsets expected =
        offset == 0 ? PartitionOffsets.empty() : PartitionOffsets.of(Map.of(part(), offset));
    b.commit("bench", expected, PartitionOffsets.of(Map.of(part(), offset + n)));
    return offset + n;
  }

  private static SourcePartition part() {
    return new SourcePartition("bench", 0);
  }

  private record Layout(int data, int deletes, long bytes) {}

  private static Layout layout(String format, FloeConfig config, Path dir, String table) {
    if (format.equals("delta")) {
      var files = log(dir, table).update().getAllFiles();
      return new Layout(
          files.size(),
          0,
          files.stream().mapToLong(io.delta.standalone.actions.AddFile::getSize).sum());
    }
    Table t = iceberg(config, table);
    var summary = t.currentSnapshot().summary();
    return new Layout(
        Integer.parseInt(summary.get("total-data-files")),
        Integer.parseInt(summary.get("total-delete-files")),
        Long.parseLong(summary.get("total-files-size")));
  }

  /**
   * The best of five full scans (the first also warms the JIT and the page cache), each planning
   * and reading the whole table; opening the table (catalog, metadata JSON, Delta log replay) is
   * outside the clock, as it depends on the history's length, which expiry bounds, not on the
   * layout compaction changes.
   */
  private static double scan(String format, FloeConfig config, Path dir, String table, int rows)
      throws Exception {
    double best = Double.MAX_VALUE;
    for (int run = 0; run < 5; run++) {
      long n = 0;
      double sum = 0;
      long start;
      if (format.equals("delta")) {
        io.delta.standalone.Snapshot snapshot = log(dir, table).update();
        start = System.nanoTime();
        try (CloseableIterator<RowRecord> it = snapshot.open()) {
          while (it.hasNext()) {
            RowRecord r = it.next();
            sum += r.isNullAt("amount") ? 0 : r.getDouble("amount");
            n++;
          }
        }
      } else {
        Table loaded = iceberg(config, table);
        start = System.nanoTime();
        try (CloseableIterable<Record> it = IcebergGenerics.read(loaded).build()) {
          for (Record r : it) {
            Object a = r.getField("amount");
            sum += a == null ? 0 : (Double) a;
            n++;
          }
        }
      }
      double seconds = (System.nanoTime() - start) / 1e9;
      if (n != rows || Double.isNaN(sum)) {
        throw new IllegalStateException(table + " has " + n + " rows, expected " + rows);
      }
      best = Math.min(best, seconds);
    }
    return best;
  }

  private static DeltaLog log(Path dir, String table) {
    return DeltaLog.forTable(
        new org.apache.hadoop.conf.Configuration(),
        DeltaTableSink.location(dir.toString(), TableId.parse(table)).toString());
  }

  private static Table iceberg(FloeConfig config, String table) {
    Catalog catalog = IcebergCatalogs.load(config, "local");
    return catalog.loadTable(TableIdentifier.parse(table));
  }

  private static TableSpec spec(String table, List<String> key) {
    return new TableSpec(
        TableId.parse(table),
        "local",
        List.of(PartitionField.parse("bucket[" + BUCKETS + "](id)")),
        128L << 20,
        Map.of(),
        key,
        TableMapping.SchemaEvolution.FULL);
  }

  private static FloeConfig config(Path dir) {
    CatalogSettings local =
        new CatalogSettings(
            "local",
            CatalogSettings.Type.JDBC,
            "jdbc:sqlite:" + dir.resolve("floe-catalog.db"),
            null,
            Map.of());
    return new FloeConfig(
        Map.of("group.id", "bench"), null, dir.toString(), Map.of("local", local), List.of(), 1);
  }
}
