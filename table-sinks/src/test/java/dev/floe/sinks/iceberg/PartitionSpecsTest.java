package dev.floe.sinks.iceberg;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.floe.core.FloeException;
import dev.floe.core.TableId;
import dev.floe.core.config.PartitionField;
import java.util.Arrays;
import org.apache.iceberg.PartitionSpec;
import org.apache.iceberg.Schema;
import org.junit.jupiter.api.Test;

class PartitionSpecsTest {
  static final Schema SCHEMA = SchemaMapping.toSchema(Fixtures.ALL_TYPES);
  static final TableId TABLE = TableId.parse("raw.events");

  static PartitionSpec spec(String... entries) {
    return PartitionSpecs.of(
        TABLE, SCHEMA, Arrays.stream(entries).map(PartitionField::parse).toList());
  }

  @Test
  void everyTransformBecomesItsIcebergTransform() {
    PartitionSpec spec =
        spec("s", "year(dt)", "month(ts)", "hour(tstz)", "bucket[16](u)", "truncate[4](s)");

    assertThat(spec.fields())
        .extracting(f -> f.transform().toString())
        .containsExactly("identity", "year", "month", "hour", "bucket[16]", "truncate[4]");
    assertThat(spec.fields())
        .extracting(f -> SCHEMA.findColumnName(f.sourceId()))
        .containsExactly("s", "dt", "ts", "tstz", "u", "s");
    assertThat(spec("day(tstz)").fields().get(0).transform().toString()).isEqualTo("day");
  }

  @Test
  void twoTimeTransformsOfOneColumnAreAnError() {
    assertThatThrownBy(() -> spec("day(ts)", "hour(ts)"))
        .isInstanceOf(FloeException.class)
        .hasMessageContaining("raw.events")
        .hasMessageContaining("hour(ts)");
  }

  @Test
  void nestedColumnsArePartitionable() {
    PartitionSpec spec = spec("ctx.os", "bucket[4](ctx.version)");

    assertThat(spec.fields())
        .extracting(f -> SCHEMA.findColumnName(f.sourceId()))
        .containsExactly("ctx.os", "ctx.version");
  }

  @Test
  void noPartitionByMeansUnpartitioned() {
    assertThat(spec().isUnpartitioned()).isTrue();
  }

  @Test
  void anUnknownColumnIsAnErrorThatNamesTableEntryAndAvailableColumns() {
    assertThatThrownBy(() -> spec("day(created_at)"))
        .isInstanceOf(FloeException.class)
        .hasMessageContaining("raw.events")
        .hasMessageContaining("day(created_at)")
        .hasMessageContaining("ctx.os")
        .hasMessageContaining("tstz");
  }

  @Test
  void aTransformThatDoesNotFitTheColumnTypeIsAnError() {
    assertThatThrownBy(() -> spec("day(s)"))
        .isInstanceOf(FloeException.class)
        .hasMessageContaining("day(s)")
        .hasMessageContaining("string")
        .hasMessageContaining("date or timestamp");
    assertThatThrownBy(() -> spec("hour(dt)")).isInstanceOf(FloeException.class);
    assertThatThrownBy(() -> spec("truncate[2](u)")).isInstanceOf(FloeException.class);
  }

  @Test
  void structsListsAndColumnsInsideListsAreNotPartitionable() {
    assertThatThrownBy(() -> spec("ctx"))
        .isInstanceOf(FloeException.class)
        .hasMessageContaining("'ctx'");
    assertThatThrownBy(() -> spec("tags")).isInstanceOf(FloeException.class);
    assertThatThrownBy(() -> spec("points.element.x")).isInstanceOf(FloeException.class);
  }
}
