package dev.floe.bench;

import dev.floe.core.PartitionOffsets;
import dev.floe.core.SourcePartition;
import dev.floe.core.TableId;
import dev.floe.core.row.Field;
import dev.floe.core.row.Row;
import dev.floe.core.row.Type;
import dev.floe.core.sink.TableSpec;
import dev.floe.core.sink.WriteBatch;
import dev.floe.sinks.delta.DeltaTableSink;
import io.delta.standalone.DeltaLog;
import io.delta.standalone.Snapshot;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;

/**
 * How long a reader that knows nothing of a Delta table takes to open it (log replay to the latest
 * snapshot, listing every file) after N one-row Floe commits, with Floe's default checkpoint every
 * 10 commits and with checkpoints effectively off. Timing belongs here, not in tests.
 *
 * <pre>java -cp "bench/target/floe-bench.jar:bench/target/lib/*" dev.floe.bench.DeltaOpenBench
 *   [commits=500] [opens=20] [dir=bench/target/delta-open]</pre>
 */
public final class DeltaOpenBench {
  private static final Type.Struct EVENT =
      new Type.Struct(
          List.of(
              Field.required("p", Type.Primitive.INT), Field.required("o", Type.Primitive.LONG)));

  private DeltaOpenBench() {}

  public static void main(String[] args) throws Exception {
    int commits = args.length > 0 ? Integer.parseInt(args[0]) : 500;
    int opens = args.length > 1 ? Integer.parseInt(args[1]) : 20;
    Path dir = Path.of(args.length > 2 ? args[2] : "bench/target/delta-open");
    if (Files.exists(dir)) {
      try (var files = Files.walk(dir)) {
        files.sorted(Collections.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
    DeltaTableSink sink = new DeltaTableSink(dir.toString());
    for (String[] t :
        new String[][] {{"bench.checkpointed", "10"}, {"bench.json_only", "100000"}}) {
      TableSpec spec =
          new TableSpec(
              TableId.parse(t[0]),
              "local",
              List.of(),
              128L << 20,
              Map.of("delta.checkpointInterval", t[1]));
      long start = System.nanoTime();
      for (long o = 0; o < commits; o++) {
        WriteBatch batch = sink.newBatch(spec);
        batch.write(EVENT, Row.wrap(0, o));
        batch.commit("bench", o == 0 ? PartitionOffsets.empty() : offsets(o), offsets(o + 1));
      }
      double commitMs = (System.nanoTime() - start) / 1e6 / commits;
      String location = DeltaTableSink.location(dir.toString(), spec.id()).toString();
      List<Double> ms = new ArrayList<>();
      long files = 0;
      for (int i = 0; i < opens + 3; i++) {
        long s = System.nanoTime();
        Snapshot snapshot = DeltaLog.forTable(new Configuration(), location).snapshot();
        files = snapshot.getAllFiles().size();
        if (i >= 3) { // the first opens warm the JIT
          ms.add((System.nanoTime() - s) / 1e6);
        }
      }
      Collections.sort(ms);
      System.out.printf(
          "%s (checkpoint interval %s): %d commits, %.1f ms per commit; open + list %d files:"
              + " median %.1f ms, min %.1f ms, max %.1f ms over %d opens%n",
          t[0],
          t[1],
          commits,
          commitMs,
          files,
          ms.get(ms.size() / 2),
          ms.get(0),
          ms.get(ms.size() - 1),
          ms.size());
    }
  }

  private static PartitionOffsets offsets(long next) {
    return PartitionOffsets.of(Map.of(new SourcePartition("events", 0), next));
  }
}
