package dev.floe.sinks.delta;

import dev.floe.core.CommitFencedException;
import dev.floe.core.Errors;
import dev.floe.core.PartitionOffsets;
import dev.floe.core.SchemaChangeException;
import dev.floe.core.row.Row;
import dev.floe.core.row.Type;
import dev.floe.core.sink.BatchState;
import dev.floe.core.sink.CommitResult;
import dev.floe.core.sink.TableSpec;
import dev.floe.core.sink.WriteBatch;
import io.delta.standalone.actions.AddFile;
import io.delta.standalone.types.StructType;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.locks.Lock;
import java.util.function.Function;
import org.apache.iceberg.io.FileIO;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Rows of one Delta table on their way into Parquet files, committed with their offsets by {@link
 * DeltaOffsetCommit}.
 */
final class DeltaWriteBatch implements WriteBatch {
  private static final Logger LOG = LoggerFactory.getLogger(DeltaWriteBatch.class);

  /** How rows of one source schema are written: the file columns and the partition values. */
  private record Plan(DeltaRowView view, Function<Row, List<String>> partition) {}

  /** The latest row of a key in an upsert batch, or its deletion (schema and row null). */
  private record Change(Type.Struct schema, Row row) {}

  private final TableSpec spec;
  private final String location;
  private final FileIO io;
  private final TableLog log;
  private final Lock commitLock;
  private int schemaChanges; // evolutions this batch commits, for metrics
  private final String commitId = UUID.randomUUID().toString();
  private final Map<Type.Struct, Plan> plans = new IdentityHashMap<>();
  private Type.Struct lastSchema;
  private Plan lastPlan;
  private DeltaTable table;
  private StructType openedSchema; // the table's when the batch opened it
  private String source; // the source schema of the rows being written
  private long newestRecordMillis;
  private String evolvedBy; // the source schema of this batch's last evolution
  private DeltaDataFiles files;
  private long records;
  private final KeyValues keys; // null for append-only tables
  private final Map<List<Object>, Change> changes = new LinkedHashMap<>();
  private CopyOnWrite rewrite;
  private final BatchState state;
  private boolean keepFiles; // a commit may have landed: its files belong to the table

  DeltaWriteBatch(TableSpec spec, String location, FileIO io, TableLog log, Lock commitLock) {
    this.spec = spec;
    this.location = location;
    this.io = io;
    this.log = log;
    this.commitLock = commitLock;
    this.state = new BatchState("Delta table " + spec.id());
    this.keys = spec.upsert() ? new KeyValues(spec.id(), spec.keyColumns()) : null;
  }

  @Override
  public void write(Type.Struct schema, Row row) {
    state.requireOpen();
    Plan plan = plan(schema); // may open or create the table; nothing is written if it fails
    if (keys != null) { // only the last row of a key is written, at commit
      changes.put(keys.of(schema, row), new Change(schema, row));
      records++;
      return;
    }
    writeRow(plan, row);
    records++;
  }

  /**
   * Deletes the key's row: buffered like a row, then taken out of the table's files at commit. A
   * table that does not exist yet has nothing to delete.
   */
  @Override
  public void delete(Type.Struct keySchema, Row key) {
    state.requireOpen();
    if (keys == null) {
      throw new UnsupportedOperationException(
          "Delta table " + spec.id() + " is append-only: it has no key columns to delete by");
    }
    changes.put(keys.of(keySchema, key), new Change(null, null));
    records++;
  }

  private void writeRow(Plan plan, Row row) {
    try {
      files.write(plan.partition().apply(row), plan.view().wrap(row));
    } catch (RuntimeException e) {
      state.fail(); // a row that fails half-way leaves its file's columns uneven
      throw Errors.of(
          "Cannot write a row to Delta table "
              + spec.id()
              + " (row "
              + records
              + " of the batch): "
              + e,
          "check that the row's values have the Java types of its schema (see"
              + " dev.floe.core.row.Type); the batch is aborted and retried from the table's offsets",
          e);
    }
  }

  /** False once a row failed half-way: its file's columns are uneven and only abort is left. */
  @Override
  public boolean usable() {
    return !state.failed();
  }

  @Override
  public int schemaChanges() {
    return schemaChanges;
  }

  @Override
  public long records() {
    return records;
  }

  @Override
  public long bytes() {
    return files == null ? 0 : files.bytes();
  }

  @Override
  public CommitResult commit(String group, PartitionOffsets expected, PartitionOffsets next) {
    state.requireOpen();
    long start = System.nanoTime();
    writeChanges();
    state.close();
    List<AddFile> adds = files == null ? List.of() : files.close();
    if (table == null && !log.exists()) { // nothing written and no table to hold offsets
      return result(-1, adds, start);
    }
    if (!changes.isEmpty()) {
      rewrite =
          new CopyOnWrite(
              location,
              io,
              spec.keyColumns(),
              table != null ? table.partitioning().names() : log.metadata().getPartitionColumns(),
              changes.keySet(),
              commitId,
              spec.targetFileSizeBytes());
    }
    DeltaOffsetCommit commit =
        new DeltaOffsetCommit(spec.id(), log, adds, group, expected, next, commitId)
            .evolving(evolved() ? new SchemaChange(openedSchema, table.schema(), evolvedBy) : null)
            .rewriting(rewrite)
            .newestRecord(newestRecordMillis);
    long version;
    commitLock.lock();
    try {
      version = commit.run();
      state.committed();
    } catch (RuntimeException e) { // run() reports every failure as unchecked
      keepFiles = commit.uncertain();
      deleteFiles(e instanceof CommitFencedException ? "fenced" : "failed");
      throw e;
    } finally {
      commitLock.unlock();
    }
    // outside the try: the files belong to the table now, whatever building the result throws
    return result(version, adds, start);
  }

  @Override
  public void abort() {
    if (state.abort(files == null ? () -> {} : files::close)) { // false once committed
      deleteFiles("aborted");
    }
  }

  @Override
  public void source(String schema) {
    this.source = schema;
  }

  @Override
  public void newestRecord(long epochMillis) {
    this.newestRecordMillis = epochMillis;
  }

  private Plan plan(Type.Struct schema) {
    if (schema == lastSchema) { // consecutive rows nearly always share one schema instance
      return lastPlan;
    }
    if (table == null) {
      table = DeltaTable.openOrCreate(spec, location, log, schema, source);
      if (keys != null) {
        table.requireKeyColumns();
      }
      openedSchema = table.schema();
      files =
          new DeltaDataFiles(
              location,
              io,
              DeltaSchemas.fileSchema(table.fileColumns()),
              table.partitioning().names(),
              commitId,
              spec.targetFileSizeBytes());
    }
    Plan plan = plans.get(schema);
    if (plan == null) {
      try {
        evolve(schema);
        plan =
            new Plan(
                DeltaRowView.plan(spec.id(), table.fileColumns(), table.partitionColumns(), schema),
                table.partitioning().values(schema));
      } catch (SchemaChangeException e) {
        throw e.naming(
            evolvedBy != null
                ? evolvedBy
                : log.metadata()
                    .getConfiguration()
                    .get(SchemaChangeException.TABLE_SOURCE_PROPERTY));
      }
      plans.put(schema, plan);
    }
    lastSchema = schema;
    lastPlan = plan;
    return plan;
  }

  /** Writes the latest row of every key an upsert batch changed. */
  private void writeChanges() {
    for (Change c : changes.values()) {
      if (c.row() != null) {
        writeRow(plan(c.schema()), c.row()); // planned again: the table may have evolved since
      }
    }
  }

  /**
   * Evolves the table's schema first when rows of {@code schema} need columns it lacks: the change
   * takes effect for the files written from now on and is committed with them.
   */
  private void evolve(Type.Struct schema) {
    DeltaSchemaEvolution evolution =
        DeltaSchemaEvolution.plan(spec, table.schema(), table.partitionColumns(), schema);
    if (evolution.isEmpty()) {
      return;
    }
    LOG.info(
        "Delta table {}: evolving the schema for new rows: {}", spec.id(), evolution.described());
    evolvedBy = source;
    table = table.withSchema(evolution.schema());
    schemaChanges++;
    files.evolve(DeltaSchemas.fileSchema(table.fileColumns()));
    plans.clear(); // earlier schemas' rows are planned again against the new columns
    lastSchema = null;
  }

  private boolean evolved() {
    return table != null && table.schema() != openedSchema;
  }

  private void deleteFiles(String why) {
    List<String> written = new ArrayList<>();
    if (files != null) {
      written.addAll(files.locations());
      files.locations().clear();
    }
    if (rewrite != null) { // copies of files an upsert rewrote
      written.addAll(rewrite.locations());
      rewrite.locations().clear();
    }
    if (written.isEmpty()) {
      return;
    }
    if (keepFiles) {
      LOG.warn(
          "Batch {} of Delta table {} {} after a commit with an unknown outcome; keeping its files"
              + " {} (VACUUM removes them if they are not in the table)",
          commitId,
          spec.id(),
          why,
          written);
      return;
    }
    for (String file : written) {
      try {
        io.deleteFile(file);
      } catch (RuntimeException e) {
        LOG.warn(
            "Cannot delete file {} of {} batch {} of Delta table {}",
            file,
            why,
            commitId,
            spec.id(),
            e);
      }
    }
  }

  private CommitResult result(long version, List<AddFile> adds, long start) {
    long bytes = 0;
    for (AddFile f : adds) {
      bytes += f.getSize();
    }
    return new CommitResult(
            spec.id(),
            "delta",
            version,
            adds.size(),
            records,
            bytes,
            (System.nanoTime() - start) / 1_000_000,
            version < 0 ? null : DeltaTableSink.catalogUri(location))
        .withColumns(version < 0 || table == null ? List.of() : columns(table.schema()));
  }

  /** The columns as a Hive-style catalog lists them (Glue, Hive Metastore), partitions included. */
  private static List<dev.floe.core.sink.Column> columns(
      io.delta.standalone.types.StructType schema) {
    List<dev.floe.core.sink.Column> out = new ArrayList<>();
    for (io.delta.standalone.types.StructField f : schema.getFields()) {
      out.add(new dev.floe.core.sink.Column(f.getName(), f.getDataType().getCatalogString()));
    }
    return out;
  }
}
