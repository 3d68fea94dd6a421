package dev.floe.core.sink;

import dev.floe.core.TableId;
import dev.floe.core.config.PartitionField;
import java.util.List;
import java.util.Map;

/**
 * One concrete table as a sink needs it: its id (the mapping's template resolved for a topic) and
 * the mapping's table settings.
 *
 * @param catalog name of the catalog that holds the table (a key of the config's {@code catalogs})
 * @param properties extra table properties set at creation
 * @param schemaEvolution which changes of the rows' schema the sink applies to the table
 * @param keyColumns the columns that identify a row in upsert mode: a written row replaces the
 *     table's row of the same key; empty for append-only tables
 */
public record TableSpec(
    TableId id,
    String catalog,
    List<PartitionField> partitionBy,
    long targetFileSizeBytes,
    Map<String, String> properties,
    List<String> keyColumns,
    dev.floe.core.config.TableMapping.SchemaEvolution schemaEvolution) {
  public TableSpec {
    partitionBy = List.copyOf(partitionBy);
    properties = Map.copyOf(properties);
    keyColumns = List.copyOf(keyColumns);
  }

  /** An append-only table. */
  public TableSpec(
      TableId id,
      String catalog,
      List<PartitionField> partitionBy,
      long targetFileSizeBytes,
      Map<String, String> properties) {
    this(
        id,
        catalog,
        partitionBy,
        targetFileSizeBytes,
        properties,
        List.of(),
        dev.floe.core.config.TableMapping.SchemaEvolution.FULL);
  }

  /** Whether rows replace earlier rows of the same key. */
  public boolean upsert() {
    return !keyColumns.isEmpty();
  }
}
