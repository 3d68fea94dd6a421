package dev.floe.sinks.iceberg;

import dev.floe.core.Errors;
import dev.floe.core.row.Type;
import dev.floe.core.sink.TableSpec;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.iceberg.PartitionSpec;
import org.apache.iceberg.Schema;
import org.apache.iceberg.Table;
import org.apache.iceberg.TableProperties;
import org.apache.iceberg.catalog.Catalog;
import org.apache.iceberg.catalog.Namespace;
import org.apache.iceberg.catalog.SupportsNamespaces;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.exceptions.AlreadyExistsException;
import org.apache.iceberg.exceptions.NoSuchTableException;

/** Finding and creating the tables of {@link TableSpec}s in their catalogs. */
final class Tables {
  /** Readable by every engine Floe targets (Athena and Trino do not read v3 deletion vectors). */
  static final String FORMAT_VERSION = "2";

  private final IcebergCatalogs catalogs;

  Tables(IcebergCatalogs catalogs) {
    this.catalogs = catalogs;
  }

  /** The table, or null when it does not exist. */
  Table load(TableSpec spec) {
    try {
      return catalogs.catalog(spec.catalog()).loadTable(identifier(spec));
    } catch (NoSuchTableException e) {
      return null;
    }
  }

  /**
   * The table, created from {@code schema} and the spec when it does not exist yet; {@code source}
   * names the schema's source (see WriteBatch#source), or is null.
   */
  Table loadOrCreate(TableSpec spec, Type.Struct schema, String source) {
    Table table = load(spec);
    if (table == null) {
      table = create(spec, schema, source);
      SourceIds.record(table, schema);
    }
    return table;
  }

  private Table create(TableSpec spec, Type.Struct rowSchema, String source) {
    Catalog catalog = catalogs.catalog(spec.catalog());
    Schema schema = SchemaMapping.toSchema(rowSchema);
    PartitionSpec partitioning = PartitionSpecs.of(spec.id(), schema, spec.partitionBy());
    createNamespace(catalog, spec.id().namespace());
    try {
      return catalog
          .buildTable(identifier(spec), schema)
          .withPartitionSpec(partitioning)
          .withProperties(properties(spec))
          .withProperties(
              source == null
                  ? Map.of()
                  : Map.of(dev.floe.core.SchemaChangeException.TABLE_SOURCE_PROPERTY, source))
          .create();
    } catch (AlreadyExistsException e) { // another worker or process created it meanwhile
      return catalog.loadTable(identifier(spec));
    } catch (RuntimeException e) {
      throw Errors.of(
          "Cannot create table " + spec.id() + " in catalog '" + spec.catalog() + "'",
          "check that Floe may create tables there, or create the table yourself",
          e);
    }
  }

  static Map<String, String> properties(TableSpec spec) {
    Map<String, String> props = new HashMap<>();
    props.put(TableProperties.FORMAT_VERSION, FORMAT_VERSION);
    props.put(TableProperties.PARQUET_COMPRESSION, "zstd");
    props.put(
        TableProperties.WRITE_TARGET_FILE_SIZE_BYTES, String.valueOf(spec.targetFileSizeBytes()));
    // the mapping's own properties win; delta.* ones are for the mapping's Delta table
    spec.properties()
        .forEach(
            (k, v) -> {
              if (!k.startsWith("delta.")) {
                props.put(k, v);
              }
            });
    props.put(dev.floe.core.sink.TableKeys.PROPERTY, dev.floe.core.sink.TableKeys.of(spec));
    return props;
  }

  private static void createNamespace(Catalog catalog, List<String> levels) {
    if (!(catalog instanceof SupportsNamespaces namespaces)) {
      return;
    }
    for (int i = 1; i <= levels.size(); i++) { // parents first: some catalogs require them
      Namespace ns = Namespace.of(levels.subList(0, i).toArray(String[]::new));
      if (!namespaces.namespaceExists(ns)) {
        try {
          namespaces.createNamespace(ns);
        } catch (RuntimeException e) {
          // created concurrently (JDBC reports a constraint violation, not AlreadyExistsException)
          if (!namespaces.namespaceExists(ns)) {
            throw Errors.of(
                "Cannot create namespace " + ns + " for a table of catalog " + catalog.name(),
                "check that Floe may create namespaces there, or create it yourself",
                e);
          }
        }
      }
    }
  }

  static TableIdentifier identifier(TableSpec spec) {
    return TableIdentifier.of(
        Namespace.of(spec.id().namespace().toArray(String[]::new)), spec.id().name());
  }
}
