package dev.floe.sinks.iceberg;

import dev.floe.core.row.Row;
import org.apache.iceberg.StructLike;

/**
 * A {@link Row} seen as the table's struct, without copying: Iceberg's internal Parquet writer and
 * {@code PartitionKey} read values in exactly the representation rows hold. One instance is reused
 * for every row (and one per nested struct field), because writers consume a row before the next.
 */
final class RowStruct implements StructLike {
  private final RowLayout layout;
  private final RowStruct[] nested; // reused views of direct struct fields, by table position
  private Row row;

  RowStruct(RowLayout layout) {
    this.layout = layout;
    this.nested = layout.nestedStructs();
  }

  RowStruct wrap(Row row) {
    this.row = row;
    return this;
  }

  @Override
  public int size() {
    return layout.size();
  }

  @Override
  public <T> T get(int pos, Class<T> javaClass) {
    Object value = layout.value(row, pos);
    if (value != null && layout.adapts()) {
      value =
          nested != null && nested[pos] != null
              ? nested[pos].wrap((Row) value)
              : layout.adapt(pos, value);
    }
    return javaClass.cast(value);
  }

  @Override
  public <T> void set(int pos, T value) {
    throw new UnsupportedOperationException("RowStruct is a read-only view of a row");
  }
}
