package dev.floe.sinks.delta;

import static dev.floe.sinks.TableSpecs.keyed;
import static dev.floe.sinks.delta.DeltaFixtures.GROUP;
import static dev.floe.sinks.delta.DeltaFixtures.offsets;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.floe.core.PartitionOffsets;
import dev.floe.core.TableId;
import dev.floe.core.TransientException;
import dev.floe.core.row.Row;
import dev.floe.core.row.Type;
import dev.floe.core.sink.MaintenanceJob;
import dev.floe.core.sink.MaintenanceJob.Kind;
import dev.floe.core.sink.TableSpec;
import dev.floe.core.sink.WriteBatch;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Delta maintenance beside upserts: OPTIMIZE keeps every row and loses a race to an upsert cleanly,
 * VACUUM deletes only old unreferenced files, log cleanup keeps what readers and Floe's offsets
 * need. Tables are read back with Delta Kernel.
 */
class DeltaMaintenanceTest {
  @TempDir Path warehouse;

  static final Type.Struct ROW = DeltaUpsertTest.ROW;
  static final Type.Struct KEY = DeltaUpsertTest.KEY;

  @Test
  void optimizeBinPacksSmallFilesPerPartitionAndKeepsTheLatestRowPerKey() {
    DeltaTableSink sink = new DeltaTableSink(warehouse.toString());
    TableSpec spec = keyed("raw.opt", "id", "bucket[2](id)");
    Map<Long, String> model = upsertRounds(sink, spec, 12);
    int filesBefore = liveFiles("raw.opt");
    assertThat(filesBefore).isGreaterThanOrEqualTo(4);

    String done = sink.compact(spec);

    assertThat(done).contains("optimized 2 partition(s)");
    assertThat(liveFiles("raw.opt")).isEqualTo(2);
    assertThat(latest("raw.opt")).isEqualTo(model);
    long version = DeltaLogFiles.latestVersion(warehouse, "raw.opt");
    List<JsonNode> actions = DeltaLogFiles.actions(warehouse, "raw.opt", version);
    assertThat(actions)
        .filteredOn(a -> a.has("add") || a.has("remove"))
        .hasSize(filesBefore + 2)
        .allSatisfy(
            a ->
                assertThat((a.has("add") ? a.get("add") : a.get("remove")).get("dataChange"))
                    .hasToString("false"));
    assertThat(sink.committedOffsets(spec, GROUP)).isEqualTo(offsets("t", 0, 12 * 10L));
    assertThat(sink.compact(spec)).contains("nothing to optimize");

    // ingestion goes on over the compacted files
    WriteBatch more = sink.newBatch(spec);
    more.write(ROW, Row.wrap(3L, "after"));
    more.delete(KEY, Row.wrap(4L));
    more.commit(GROUP, offsets("t", 0, 120), offsets("t", 0, 122));
    model.put(3L, "after");
    model.remove(4L);
    assertThat(latest("raw.opt")).isEqualTo(model);
  }

  @Test
  void anOptimizeThatLosesARaceToAnUpsertIsPlannedAgainAndResurrectsNothing() {
    DeltaTableSink ingest = new DeltaTableSink(warehouse.toString());
    DeltaTableSink maintain =
        new DeltaTableSink(warehouse.toString(), FaultyLogStore.configuration());
    TableSpec spec = keyed("raw.race", "id");
    Map<Long, String> model = upsertRounds(ingest, spec, 5);
    long next = filesOfOtherKeys(ingest, spec, model, 50, 3);
    FloeTrip upsert = new FloeTrip(ingest, spec, next, 1);
    FaultyLogStore.BEFORE_NEXT_WRITE.set(upsert); // an upsert removes the files in between
    try {
      assertThat(maintain.compact(spec)).contains("optimized 1 partition");
    } finally {
      FaultyLogStore.BEFORE_NEXT_WRITE.set(null);
    }
    assertThat(upsert.commits).as("the first attempt lost to the upsert").isEqualTo(1);
    upsert.apply(model);
    assertThat(latest("raw.race")).as("the deleted keys stay deleted").isEqualTo(model);
    assertThat(DeltaLogFiles.parquetFiles(warehouse))
        .as("only the winning attempt's files are left of the optimize")
        .filteredOn(f -> f.getFileName().toString().contains("optimize-"))
        .hasSize(1);
  }

  @Test
  void anOptimizeThatLosesEveryAttemptGivesUpCleanly() {
    DeltaTableSink ingest = new DeltaTableSink(warehouse.toString());
    DeltaTableSink maintain =
        new DeltaTableSink(warehouse.toString(), FaultyLogStore.configuration());
    TableSpec spec = keyed("raw.busy", "id");
    Map<Long, String> model = upsertRounds(ingest, spec, 5);
    long next = filesOfOtherKeys(ingest, spec, model, 50, 3);
    FloeTrip upserts = new FloeTrip(ingest, spec, next, DeltaOptimize.ATTEMPTS);
    FaultyLogStore.BEFORE_NEXT_WRITE.set(upserts);
    try {
      assertThatThrownBy(() -> maintain.compact(spec))
          .isInstanceOf(TransientException.class)
          .hasMessageContaining("Optimize of Delta table raw.busy failed")
          .hasMessageContaining("runs again at its next schedule");
    } finally {
      FaultyLogStore.BEFORE_NEXT_WRITE.set(null);
    }
    assertThat(upserts.commits).isEqualTo(DeltaOptimize.ATTEMPTS);
    upserts.apply(model);
    assertThat(latest("raw.busy")).isEqualTo(model);
    assertThat(DeltaLogFiles.parquetFiles(warehouse))
        .noneMatch(f -> f.getFileName().toString().contains("optimize-"));
  }

  /**
   * Upserts that each delete the keys below 10 and update 10 to 19 (rewriting every file holding
   * one, the optimize's among them) just before the next version write, {@code times} times:
   * another writer winning the race.
   */
  private final class FloeTrip implements Runnable {
    private final DeltaTableSink sink;
    private final TableSpec spec;
    private final long from;
    private final int times;
    int commits;

    FloeTrip(DeltaTableSink sink, TableSpec spec, long from, int times) {
      this.sink = sink;
      this.spec = spec;
      this.from = from;
      this.times = times;
    }

    @Override
    public void run() {
      WriteBatch b = sink.newBatch(spec);
      for (long id = 0; id < 10; id++) {
        b.delete(KEY, Row.wrap(id));
        b.write(ROW, Row.wrap(id + 10, "u" + commits));
      }
      b.commit(GROUP, offsets("t", 0, from + commits), offsets("t", 0, from + commits + 1));
      commits++;
      if (commits < times) {
        FaultyLogStore.BEFORE_NEXT_WRITE.set(this);
      }
    }

    /** The upserts' changes, in the model. */
    void apply(Map<Long, String> model) {
      for (long id = 0; id < 10; id++) {
        model.remove(id);
        model.put(id + 10, "u" + (commits - 1));
      }
    }
  }

  @Test
  void vacuumDeletesOnlyUnreferencedFilesOlderThanTheRetention() throws Exception {
    DeltaTableSink sink = new DeltaTableSink(warehouse.toString());
    TableSpec spec = keyed("raw.vac", "id");
    Map<Long, String> model = upsertRounds(sink, spec, 6);
    sink.compact(spec); // every live file is now removed but recently
    Path table = location("raw.vac");
    Path stray = table.resolve("part-99999-crashed-batch.zstd.parquet");
    Files.write(stray, new byte[] {1, 2, 3}); // a crashed batch's file, never committed
    int onDisk = DeltaLogFiles.parquetFiles(warehouse).size();
    MaintenanceJob vacuum = new MaintenanceJob(Kind.VACUUM, Duration.ofHours(1), 0, false);

    assertThat(sink.maintain(spec, vacuum)).contains("vacuumed 0 unreferenced files");

    ageEverything(table, Duration.ofHours(2)); // files written 2h ago, removed just now
    String done = sink.maintain(spec, vacuum);
    assertThat(done).contains("vacuumed 1 unreferenced files");
    assertThat(stray).doesNotExist();
    assertThat(DeltaLogFiles.parquetFiles(warehouse)).hasSize(onDisk - 1);
    assertThat(latest("raw.vac")).isEqualTo(model);

    // once the removes are older than the retention too, only the live files stay
    MaintenanceJob dryRun = new MaintenanceJob(Kind.VACUUM, Duration.ofMillis(1), 0, true);
    assertThat(sink.maintain(spec, dryRun)).contains("would vacuum " + (onDisk - 2));
    assertThat(DeltaLogFiles.parquetFiles(warehouse)).hasSize(onDisk - 1);
    Thread.sleep(5);
    sink.maintain(spec, new MaintenanceJob(Kind.VACUUM, Duration.ofMillis(1), 0, false));
    assertThat(DeltaLogFiles.parquetFiles(warehouse)).hasSize(1);
    assertThat(latest("raw.vac")).isEqualTo(model);
  }

  @Test
  void vacuumFindsFilesInEscapedPartitionDirectoriesAndLeavesHiddenFilesAlone() throws Exception {
    DeltaTableSink sink = new DeltaTableSink(warehouse.toString());
    TableSpec spec = keyed("raw.esc", "id", "name");
    // partition directories name=a%2Fb, name=50%25, name=x%20y: the log writes them URI-encoded
    // once more (name=a%252Fb), the file system lists them as they are
    List<String> names = List.of("a/b", "50%", "x y", "plain");
    Map<Long, String> model = new TreeMap<>();
    for (int r = 0; r < 3; r++) {
      WriteBatch b = sink.newBatch(spec);
      for (long id = 0; id < 8; id++) {
        String name = names.get((int) ((id + r) % names.size()));
        b.write(ROW, Row.wrap(id, name));
        model.put(id, name);
      }
      b.commit(
          GROUP,
          r == 0 ? PartitionOffsets.empty() : offsets("t", 0, r * 10L),
          offsets("t", 0, (r + 1) * 10L));
    }
    Path table = location("raw.esc");
    assertThat(table.resolve("name=a%2Fb")).isDirectory();
    Path hiddenDir = Files.createDirectories(table.resolve("_staging"));
    Files.write(hiddenDir.resolve("part-00000-x.parquet"), new byte[] {1});
    Files.write(table.resolve(".part-00001-x.parquet"), new byte[] {1});
    int onDisk = DeltaLogFiles.parquetFiles(warehouse).size();
    int live = liveFiles("raw.esc");
    assertThat(onDisk - 2)
        .as("the upserts rewrote every file of the rounds before")
        .isGreaterThan(live);
    Thread.sleep(5);

    String done =
        sink.maintain(spec, new MaintenanceJob(Kind.VACUUM, Duration.ofMillis(1), 0, false));

    assertThat(done).contains("vacuumed " + (onDisk - 2 - live) + " unreferenced files");
    assertThat(DeltaLogFiles.parquetFiles(warehouse)).hasSize(live + 2);
    assertThat(hiddenDir.resolve("part-00000-x.parquet")).exists();
    assertThat(table.resolve(".part-00001-x.parquet")).exists();
    assertThat(latest("raw.esc")).isEqualTo(model);
  }

  @Test
  void vacuumLeavesATableNestedInTheTablesDirectoryAlone() throws Exception {
    DeltaTableSink sink = new DeltaTableSink(warehouse.toString());
    TableSpec outer = keyed("raw.outer", "id");
    TableSpec inner = keyed("raw.outer.inner", "id"); // lives in raw.outer's directory
    upsertRounds(sink, outer, 3);
    Map<Long, String> innerModel = upsertRounds(sink, inner, 3);
    assertThat(location("raw.outer.inner")).startsWith(location("raw.outer"));
    ageEverything(location("raw.outer"), Duration.ofDays(30));

    String done =
        sink.maintain(outer, new MaintenanceJob(Kind.VACUUM, Duration.ofDays(7), 0, false));

    assertThat(done).contains("vacuumed 0 unreferenced files");
    assertThat(latest("raw.outer.inner")).isEqualTo(innerModel);
  }

  @Test
  void logCleanupDeletesOldVersionsBeforeTheCheckpointAndKeepsTheNewestFloeCommit()
      throws Exception {
    DeltaTableSink sink = new DeltaTableSink(warehouse.toString());
    TableSpec spec = keyed("raw.logs", "id");
    Map<Long, String> model = upsertRounds(sink, spec, 14); // versions 0..14, checkpoint at 10
    sink.compact(spec); // version 15: not a Floe commit
    assertThat(sink.maintain(spec, MaintenanceJob.of(Kind.CHECKPOINT)))
        .contains("checkpointed version 15");
    Path log = DeltaLogFiles.logDir(warehouse, "raw.logs");
    ageEverything(log, Duration.ofDays(10));

    String done =
        sink.maintain(spec, new MaintenanceJob(Kind.EXPIRE, Duration.ofDays(7), 0, false));

    assertThat(done).contains("versions before 14");
    assertThat(log.resolve(String.format("%020d.json", 13))).doesNotExist();
    assertThat(log.resolve(String.format("%020d.checkpoint.parquet", 10))).doesNotExist();
    assertThat(log.resolve(String.format("%020d.json", 14))).exists();
    assertThat(log.resolve(String.format("%020d.checkpoint.parquet", 15))).exists();
    DeltaTableSink fresh = new DeltaTableSink(warehouse.toString());
    assertThat(fresh.committedOffsets(spec, GROUP)).isEqualTo(offsets("t", 0, 140L));
    assertThat(latest("raw.logs")).isEqualTo(model);

    // a checkpoint younger than the retention does not free the one before it: a reader that
    // listed the log just before it appeared still reads the older one
    WriteBatch more = sink.newBatch(spec);
    more.write(ROW, Row.wrap(1L, "late"));
    more.commit(GROUP, offsets("t", 0, 140L), offsets("t", 0, 141L));
    model.put(1L, "late");
    sink.maintain(spec, MaintenanceJob.of(Kind.CHECKPOINT));
    assertThat(sink.maintain(spec, new MaintenanceJob(Kind.EXPIRE, Duration.ofDays(7), 0, false)))
        .as("only what precedes the aged checkpoint 15, not 15 itself")
        .contains("versions before 15");
    assertThat(log.resolve(String.format("%020d.json", 14))).doesNotExist();
    assertThat(log.resolve(String.format("%020d.checkpoint.parquet", 15))).exists();
    assertThat(log.resolve(String.format("%020d.checkpoint.parquet", 16))).exists();
    assertThat(latest("raw.logs")).isEqualTo(model);
  }

  /**
   * {@code files} commits of keys from 100 up, which no upsert of keys below 20 rewrites: files the
   * optimize keeps wanting. Returns the next offset.
   */
  private long filesOfOtherKeys(
      DeltaTableSink sink, TableSpec spec, Map<Long, String> model, long from, int files) {
    for (int f = 0; f < files; f++) {
      WriteBatch b = sink.newBatch(spec);
      for (long id = 100 + f * 10L; id < 110 + f * 10L; id++) {
        b.write(ROW, Row.wrap(id, "other"));
        model.put(id, "other");
      }
      b.commit(GROUP, offsets("t", 0, from + f), offsets("t", 0, from + f + 1));
    }
    return from + files;
  }

  /** Rounds of ten upserts and a delete each: several small files. Returns the model. */
  private Map<Long, String> upsertRounds(DeltaTableSink sink, TableSpec spec, int rounds) {
    Map<Long, String> model = new TreeMap<>();
    for (int r = 0; r < rounds; r++) {
      WriteBatch b = sink.newBatch(spec);
      for (long i = 0; i < 9; i++) {
        long id = (r * 7L + i * 3) % 20;
        b.write(ROW, Row.wrap(id, "r" + r + "-" + id));
        model.put(id, "r" + r + "-" + id);
      }
      long gone = (r * 5L) % 20;
      b.delete(KEY, Row.wrap(gone));
      model.remove(gone);
      b.commit(
          GROUP,
          r == 0 ? PartitionOffsets.empty() : offsets("t", 0, r * 10L),
          offsets("t", 0, (r + 1) * 10L));
    }
    return model;
  }

  private static void ageEverything(Path dir, Duration age) throws Exception {
    FileTime then = FileTime.fromMillis(System.currentTimeMillis() - age.toMillis());
    try (Stream<Path> all = Files.walk(dir)) {
      for (Path f : (Iterable<Path>) all.filter(Files::isRegularFile)::iterator) {
        Files.setLastModifiedTime(f, then);
      }
    }
  }

  private int liveFiles(String table) {
    return DeltaFixtures.log(warehouse, table).update().getAllFiles().size();
  }

  private Map<Long, String> latest(String table) {
    Map<Long, String> rows = new TreeMap<>();
    for (Map<String, Object> r : KernelReader.read(location(table))) {
      assertThat(rows.put((Long) r.get("id"), (String) r.get("name"))).isNull();
    }
    return rows;
  }

  private Path location(String table) {
    return DeltaTableSink.location(warehouse.toString(), TableId.parse(table));
  }
}
