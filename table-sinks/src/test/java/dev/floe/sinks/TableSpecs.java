package dev.floe.sinks;

import dev.floe.core.TableId;
import dev.floe.core.config.PartitionField;
import dev.floe.core.config.TableMapping;
import dev.floe.core.sink.TableSpec;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/** Specs of the tables the tests write, by what matters to a test: keys and schema evolution. */
public final class TableSpecs {
  private TableSpecs() {}

  /** A table keyed by {@code key} that evolves freely: what upserts and deletes need. */
  public static TableSpec keyed(String table, String key, String... partitionBy) {
    return spec(table, partitionBy, List.of(key), TableMapping.SchemaEvolution.FULL);
  }

  /** An append-only table whose columns change only as far as {@code level} allows. */
  public static TableSpec evolving(
      String table, TableMapping.SchemaEvolution level, String... partitionBy) {
    return spec(table, partitionBy, List.of(), level);
  }

  private static TableSpec spec(
      String table, String[] partitionBy, List<String> keys, TableMapping.SchemaEvolution level) {
    return new TableSpec(
        TableId.parse(table),
        "local",
        Arrays.stream(partitionBy).map(PartitionField::parse).toList(),
        512L << 20,
        Map.of(),
        keys,
        level);
  }
}
