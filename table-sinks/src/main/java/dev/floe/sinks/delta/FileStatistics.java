package dev.floe.sinks.delta;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import org.apache.iceberg.Metrics;
import org.apache.iceberg.Schema;
import org.apache.iceberg.types.Conversions;
import org.apache.iceberg.types.Type;
import org.apache.iceberg.types.Types;

/**
 * The {@code stats} of an {@code add} action, from the metrics Iceberg's Parquet writer collected:
 * {@code numRecords}, and per column reached through structs {@code nullCount}, {@code minValues}
 * and {@code maxValues} (in the nested shape Delta readers expect). Bounds are left out where Delta
 * does not skip on them (boolean, binary) or JSON cannot hold them (NaN, infinity); timestamps are
 * written in milliseconds as Delta does, the minimum rounded down and the maximum up so that both
 * stay true bounds. Strings are truncated to 32 characters, the maximum rounded up.
 */
final class FileStatistics {
  /** Iceberg metrics mode: Delta also indexes 32-character prefixes of strings. */
  static final String METRICS_MODE = "truncate(32)";

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final DateTimeFormatter MILLIS =
      DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

  private FileStatistics() {}

  /**
   * The stats as an {@code add} action's value: a JSON string holding the JSON object, as the
   * protocol has it (delta-standalone writes the value as it is given, so it must come quoted).
   */
  static String json(Schema fileSchema, Metrics metrics) {
    ObjectNode stats = JSON.createObjectNode();
    stats.put("numRecords", metrics.recordCount());
    ObjectNode min = stats.putObject("minValues");
    ObjectNode max = stats.putObject("maxValues");
    ObjectNode nulls = stats.putObject("nullCount");
    collect(fileSchema.asStruct(), metrics, min, max, nulls);
    try {
      return JSON.writeValueAsString(JSON.writeValueAsString(stats));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("statistics cannot be written as JSON", e);
    }
  }

  /** The record count of a stats value (quoted or not), 0 when absent. */
  static long numRecords(String stats) {
    if (stats == null) {
      return 0;
    }
    try {
      JsonNode node = JSON.readTree(stats);
      if (node.isTextual()) {
        node = JSON.readTree(node.asText());
      }
      JsonNode n = node.get("numRecords");
      return n == null ? 0 : n.asLong();
    } catch (JsonProcessingException e) {
      return 0;
    }
  }

  private static void collect(
      Types.StructType struct, Metrics metrics, ObjectNode min, ObjectNode max, ObjectNode nulls) {
    for (Types.NestedField f : struct.fields()) {
      if (f.type().isStructType()) {
        ObjectNode nestedMin = JSON.createObjectNode();
        ObjectNode nestedMax = JSON.createObjectNode();
        ObjectNode nestedNulls = JSON.createObjectNode();
        collect(f.type().asStructType(), metrics, nestedMin, nestedMax, nestedNulls);
        putIfNotEmpty(min, f.name(), nestedMin);
        putIfNotEmpty(max, f.name(), nestedMax);
        putIfNotEmpty(nulls, f.name(), nestedNulls);
        continue;
      }
      if (!f.type().isPrimitiveType()) {
        continue; // Delta keeps no statistics inside arrays and maps
      }
      Long nullCount = value(metrics.nullValueCounts(), f.fieldId());
      if (nullCount != null) {
        nulls.put(f.name(), nullCount);
      }
      bound(min, f, metrics.lowerBounds(), false);
      bound(max, f, metrics.upperBounds(), true);
    }
  }

  private static void bound(
      ObjectNode node, Types.NestedField f, Map<Integer, ByteBuffer> bounds, boolean upper) {
    ByteBuffer buffer = value(bounds, f.fieldId());
    if (buffer == null) {
      return;
    }
    Type type = f.type();
    Object v = Conversions.fromByteBuffer(type, buffer);
    switch (type.typeId()) {
      case INTEGER -> node.put(f.name(), (Integer) v);
      case LONG -> node.put(f.name(), (Long) v);
      case FLOAT -> {
        float x = (Float) v;
        if (Float.isFinite(x)) {
          node.put(f.name(), x);
        }
      }
      case DOUBLE -> {
        double x = (Double) v;
        if (Double.isFinite(x)) {
          node.put(f.name(), x);
        }
      }
      case STRING -> node.put(f.name(), v.toString());
      case DECIMAL -> node.put(f.name(), (BigDecimal) v);
      case DATE -> node.put(f.name(), LocalDate.ofEpochDay((Integer) v).toString());
      case TIMESTAMP -> node.put(f.name(), timestamp((Long) v, upper));
      default -> {} // boolean, binary: not used for skipping
    }
  }

  private static String timestamp(long micros, boolean upper) {
    long millis = Math.floorDiv(micros, 1000);
    if (upper && Math.floorMod(micros, 1000) != 0) {
      millis++;
    }
    return MILLIS.format(Instant.EPOCH.plus(millis, ChronoUnit.MILLIS));
  }

  private static void putIfNotEmpty(ObjectNode parent, String name, ObjectNode child) {
    if (!child.isEmpty()) {
      parent.set(name, child);
    }
  }

  private static <T> T value(Map<Integer, T> map, int id) {
    return map == null ? null : map.get(id);
  }
}
