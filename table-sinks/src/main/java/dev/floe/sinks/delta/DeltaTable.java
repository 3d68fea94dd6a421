package dev.floe.sinks.delta;

import dev.floe.core.Errors;
import dev.floe.core.row.Type;
import dev.floe.core.sink.TableSpec;
import io.delta.standalone.actions.Metadata;
import io.delta.standalone.types.StructField;
import io.delta.standalone.types.StructType;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * An open Delta table as a batch writes it: its log, its schema split into the columns in data
 * files and the partition columns, and how the mapping's partition entries fill the latter.
 */
final class DeltaTable {
  /**
   * Checkpoint every this many commits unless the mapping sets {@code delta.checkpointInterval}.
   */
  static final String CHECKPOINT_INTERVAL = "delta.checkpointInterval";

  static final String DEFAULT_CHECKPOINT_INTERVAL = "10";

  private final TableSpec spec;
  private final String location;
  private final TableLog log;
  private final DeltaPartitioning partitioning;
  private final StructType schema;
  private final StructType fileColumns;
  private final Set<String> partitionColumns;

  private DeltaTable(
      TableSpec spec,
      String location,
      TableLog log,
      DeltaPartitioning partitioning,
      StructType schema,
      Set<String> partitionColumns) {
    this.spec = spec;
    this.location = location;
    this.log = log;
    this.partitioning = partitioning;
    this.schema = schema;
    this.partitionColumns = partitionColumns;
    List<StructField> inFiles = new ArrayList<>();
    for (StructField f : schema.getFields()) {
      if (!partitionColumns.contains(f.getName())) {
        inFiles.add(f);
      }
    }
    this.fileColumns = new StructType(inFiles.toArray(StructField[]::new));
  }

  /**
   * Opens the table at {@code location}, creating it from the first rows' schema and the mapping's
   * partition entries when it does not exist.
   */
  static DeltaTable openOrCreate(
      TableSpec spec, String location, TableLog log, Type.Struct rows, String source) {
    DeltaPartitioning partitioning = DeltaPartitioning.of(spec.id(), spec.partitionBy(), rows);
    if (!log.exists()) {
      List<StructField> fields = new ArrayList<>(List.of(DeltaSchemas.toDelta(rows).getFields()));
      fields.addAll(partitioning.derivedFields());
      try {
        log.create(
            new StructType(fields.toArray(StructField[]::new)),
            partitioning.names(),
            configuration(spec, source));
      } catch (Exception e) { // delta-standalone also throws checked IOExceptions undeclared
        if (!log.exists()) {
          throw Errors.of(
              "Cannot create Delta table " + spec.id() + " at " + location + ": " + e.getMessage(),
              "check that Floe may write there and that the table's delta.* properties are valid",
              e);
        }
      }
    }
    Metadata meta = log.metadata();
    dev.floe.core.sink.TableKeys.check(
        spec, meta.getConfiguration().get(dev.floe.core.sink.TableKeys.PROPERTY));
    if (!meta.getPartitionColumns().equals(partitioning.names())) {
      throw Errors.of(
          "Delta table "
              + spec.id()
              + " at "
              + location
              + " is partitioned by "
              + meta.getPartitionColumns()
              + " but its mapping's partition-by "
              + spec.partitionBy()
              + " gives "
              + partitioning.names(),
          "make partition-by match the table, or move the table away so that Floe creates it anew",
          null);
    }
    return new DeltaTable(
        spec,
        location,
        log,
        partitioning,
        meta.getSchema(),
        new HashSet<>(meta.getPartitionColumns()));
  }

  /** The table as it will be with {@code evolved} as its schema (same partition columns). */
  DeltaTable withSchema(StructType evolved) {
    return new DeltaTable(spec, location, log, partitioning, evolved, partitionColumns);
  }

  /**
   * The table's configuration at creation: Delta's own keys from the mapping's properties, and the
   * source schema of the rows that created it (null when unknown).
   */
  static Map<String, String> configuration(TableSpec spec, String source) {
    Map<String, String> config = new HashMap<>();
    config.put(dev.floe.core.sink.TableKeys.PROPERTY, dev.floe.core.sink.TableKeys.of(spec));
    if (source != null) {
      config.put(dev.floe.core.SchemaChangeException.TABLE_SOURCE_PROPERTY, source);
    }
    config.put(CHECKPOINT_INTERVAL, DEFAULT_CHECKPOINT_INTERVAL);
    spec.properties()
        .forEach(
            (k, v) -> {
              if (k.startsWith("delta.")) {
                config.put(k, v);
              }
            });
    return config;
  }

  String location() {
    return location;
  }

  TableLog log() {
    return log;
  }

  DeltaPartitioning partitioning() {
    return partitioning;
  }

  /**
   * Checks that the mapping's key columns are top-level columns in the data files: copy-on-write
   * reads keys from the files and prunes them by the keys' statistics.
   */
  void requireKeyColumns() {
    List<String> inFiles = List.of(fileColumns.getFieldNames());
    for (String key : spec.keyColumns()) {
      if (!inFiles.contains(key)) {
        throw Errors.of(
            "Delta table "
                + spec.id()
                + " has no column '"
                + key
                + "' in its data files to use as key column"
                + (partitionColumns.contains(key) ? " (it is an identity partition column)" : ""),
            "set key.columns to top-level columns of the rows, and partition an upsert table by a"
                + " transform of them (e.g. bucket[16]("
                + key
                + ")), not by identity",
            null);
      }
      if (fileColumns.get(key).getDataType() instanceof StructType
          || fileColumns.get(key).getDataType().getTypeName().matches("array|map")) {
        throw Errors.of(
            "Key column '" + key + "' of Delta table " + spec.id() + " is not of a primitive type",
            "use key columns of primitive types (string, long, uuid, ...)",
            null);
      }
    }
  }

  /** The whole schema, partition columns included. */
  StructType schema() {
    return schema;
  }

  /** The columns that data files hold: the schema without partition columns. */
  StructType fileColumns() {
    return fileColumns;
  }

  Set<String> partitionColumns() {
    return partitionColumns;
  }

  TableSpec spec() {
    return spec;
  }
}
