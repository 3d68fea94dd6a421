package dev.floe.sinks.iceberg;

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
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.locks.Lock;
import org.apache.iceberg.DataFile;
import org.apache.iceberg.Table;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Rows of one table on their way into Parquet files, committed with their offsets by {@link
 * OffsetCommit}.
 */
final class IcebergWriteBatch implements WriteBatch {
  private static final Logger LOG = LoggerFactory.getLogger(IcebergWriteBatch.class);

  private final TableSpec spec;
  private final Tables tables;
  private final Lock commitLock;
  private final String commitId = UUID.randomUUID().toString();
  private final Map<Type.Struct, RowStruct> views = new IdentityHashMap<>();
  private Type.Struct lastSchema;
  private RowStruct lastView;
  private Table table;
  private PartitionedFiles files;
  private UpsertFiles upserts; // null for append-only tables
  private final List<SchemaEvolution> evolutions = new java.util.ArrayList<>();
  private org.apache.iceberg.Schema writeSchema; // the table's, or the one this batch evolves to
  private String source; // the source schema of the rows being written
  private long newestRecordMillis;
  private String evolvedBy; // the source schema of this batch's last evolution
  private Map<Integer, Integer> sourceIds; // the table's, plus those of columns this batch adds
  private boolean sourceIdsChanged;
  private final Map<Type.Struct, RowStruct> keyViews = new IdentityHashMap<>();
  private long records;
  private final BatchState state;
  private boolean keepFiles; // a commit may have landed: its files belong to the table

  IcebergWriteBatch(TableSpec spec, Tables tables, Lock commitLock) {
    this.spec = spec;
    this.tables = tables;
    this.commitLock = commitLock;
    this.state = new BatchState("table " + spec.id());
  }

  @Override
  public void write(Type.Struct schema, Row row) {
    state.requireOpen();
    RowStruct view = view(schema); // may open or create the table; nothing is written if it fails
    try {
      if (upserts != null) {
        upserts.upsert(view, row);
      } else {
        files.write(view.wrap(row));
      }
    } catch (dev.floe.core.FloeException e) {
      throw e; // a null key column: found before anything is written, the batch can still commit
    } catch (RuntimeException e) {
      // a row that fails half-way leaves its file's columns uneven: the batch cannot go on
      state.fail();
      throw Errors.of(
          "Cannot write a row to table " + spec.id() + " (row " + records + " of the batch): " + e,
          "check that the row's values have the Java types of its schema (see dev.floe.core.row.Type);"
              + " the batch is aborted and retried from the table's offsets",
          e);
    }
    records++;
  }

  @Override
  public void delete(Type.Struct keySchema, Row key) {
    state.requireOpen();
    if (!spec.upsert()) {
      throw new UnsupportedOperationException(
          "table " + spec.id() + " is append-only: it has no key columns to delete by");
    }
    if (files == null) {
      Table existing = tables.load(spec);
      if (existing == null) { // nothing to delete in a table that does not exist yet
        records++;
        return;
      }
      open(existing);
    }
    RowStruct view =
        keyViews.computeIfAbsent(
            keySchema, s -> new RowStruct(RowLayout.of(spec.id(), upserts.keyType(), s)));
    upserts.delete(view, key); // buffered: a bad key fails before anything changes
    records++;
  }

  @Override
  public boolean usable() {
    return state.open();
  }

  @Override
  public int schemaChanges() {
    return evolutions.size();
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
    state.close();
    List<org.apache.iceberg.DeleteFile> deleteFiles =
        upserts == null ? List.of() : upserts.close(); // first: it writes the buffered rows
    List<DataFile> dataFiles = files == null ? List.of() : files.close();
    if (table == null) {
      table = tables.load(spec);
    }
    if (table == null) { // nothing was written and there is no table to hold offsets: nothing to do
      return result(-1, dataFiles, start);
    }
    OffsetCommit commit =
        new OffsetCommit(spec.id(), table, dataFiles, deleteFiles, group, expected, next, commitId)
            .evolving(
                evolutions,
                writeSchema,
                sourceIdsChanged ? SourceIds.format(sourceIds) : null,
                evolvedBy)
            .newestRecord(newestRecordMillis);
    long snapshotId;
    commitLock.lock();
    try {
      snapshotId = commit.run();
      state.committed();
    } catch (RuntimeException e) {
      keepFiles = commit.uncertain();
      deleteFiles(e instanceof CommitFencedException ? "fenced" : "failed");
      throw e;
    } finally {
      commitLock.unlock();
    }
    // outside the try: the files belong to the table now, whatever building the result throws
    return result(snapshotId, dataFiles, start);
  }

  @Override
  public void abort() {
    if (state.abort(files == null ? () -> {} : files::close)) { // false once committed
      deleteFiles("aborted");
    }
  }

  /**
   * The view that presents rows of {@code schema} as the table's struct; opens the table at the
   * first row.
   */
  private RowStruct view(Type.Struct schema) {
    if (schema == lastSchema) { // consecutive rows nearly always share one schema instance
      return lastView;
    }
    if (files == null) {
      open(tables.loadOrCreate(spec, schema, source));
    }
    RowStruct view = views.get(schema);
    if (view == null) {
      view = layout(schema);
      views.put(schema, view);
    }
    lastSchema = schema;
    lastView = view;
    return view;
  }

  /**
   * How rows of {@code schema} are written, evolving the table's schema first when they need
   * columns or types it lacks: the changes take effect for the files written from now on and are
   * committed with them.
   */
  private RowStruct layout(Type.Struct schema) {
    SchemaEvolution evolution;
    try {
      evolution = SchemaEvolution.plan(spec, writeSchema, schema, sourceIds);
    } catch (SchemaChangeException e) {
      throw e.naming(evolvedBy != null ? evolvedBy : tableSource());
    }
    if (!evolution.isEmpty()) {
      evolvedBy = source;
      evolutions.add(evolution);
      org.apache.iceberg.UpdateSchema update = table.updateSchema();
      evolutions.forEach(e -> e.applyTo(update));
      writeSchema = update.apply();
      LOG.info("Table {}: evolving the schema for new rows: {}", spec.id(), evolution.described());
      files.evolve(writeSchema);
      views.clear();
      lastSchema = null;
      Map<Integer, Integer> merged = SourceIds.merge(sourceIds, writeSchema, schema);
      sourceIdsChanged |= !merged.equals(sourceIds);
      sourceIds = merged;
    }
    return new RowStruct(RowLayout.of(spec.id(), writeSchema.asStruct(), schema, sourceIds));
  }

  @Override
  public void source(String schema) {
    this.source = schema;
  }

  @Override
  public void newestRecord(long epochMillis) {
    this.newestRecordMillis = epochMillis;
  }

  private String tableSource() {
    return table.properties().get(SchemaChangeException.TABLE_SOURCE_PROPERTY);
  }

  private void open(Table existing) {
    dev.floe.core.sink.TableKeys.check(
        spec, existing.properties().get(dev.floe.core.sink.TableKeys.PROPERTY));
    table = existing;
    writeSchema = table.schema();
    sourceIds = SourceIds.read(table);
    files = new PartitionedFiles(table, commitId, spec.targetFileSizeBytes());
    if (spec.upsert()) {
      upserts = new UpsertFiles(spec.id(), table, files, spec.keyColumns());
    }
  }

  private void deleteFiles(String why) {
    if (files == null || keepFiles) {
      if (keepFiles && files != null) {
        LOG.warn(
            "Batch {} of table {} {} after a commit with an unknown outcome; keeping its files {}"
                + " (orphan-file removal cleans them if they are not in the table)",
            commitId,
            spec.id(),
            why,
            files.locations());
      }
      return;
    }
    for (String location : files.locations()) {
      try {
        table.io().deleteFile(location);
      } catch (RuntimeException e) {
        LOG.warn(
            "Cannot delete file {} of {} batch {} of table {}",
            location,
            why,
            commitId,
            spec.id(),
            e);
      }
    }
    files.locations().clear();
  }

  private CommitResult result(long snapshotId, List<DataFile> dataFiles, long start) {
    long bytes = 0;
    long rows = 0;
    for (DataFile f : dataFiles) {
      bytes += f.fileSizeInBytes();
      rows += f.recordCount();
    }
    return new CommitResult(
            spec.id(),
            "iceberg",
            snapshotId,
            dataFiles.size(),
            rows,
            bytes,
            (System.nanoTime() - start) / 1_000_000,
            // the committed metadata: the table's operations hold it after the commit went through
            snapshotId < 0
                ? null
                : ((org.apache.iceberg.HasTableOperations) table)
                    .operations()
                    .current()
                    .metadataFileLocation())
        .withColumns(
            snapshotId < 0
                ? List.of()
                : HiveColumns.of(
                    ((org.apache.iceberg.HasTableOperations) table)
                        .operations()
                        .current()
                        .schema()));
  }
}
