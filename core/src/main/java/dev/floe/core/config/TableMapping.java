package dev.floe.core.config;

import dev.floe.core.TableId;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * One entry of {@code tables}: which topics feed which table, and how.
 *
 * @param topics fixed topic names, empty when {@code topicPattern} is set
 * @param topicPattern a regex over topic names, or null
 * @param tableTemplate e.g. {@code raw.${topic}}
 * @param kafkaMetadataColumn name of the {@code _kafka} struct column, or null when disabled
 * @param valueSchema for {@link ValueFormat#JSON}: the JSON Schema document of the values; else
 *     null
 * @param key how the record key is decoded and whether it becomes columns
 * @param schemaEvolution which source schema changes the table follows
 * @param maintenance the mapping's {@code maintenance} block over the top-level one
 * @param deadLetterTopic with {@code on-error: dead-letter}: the topic template ({@code ${topic}}
 *     is the source topic) that bad records go to; else null
 * @param cdcKeepOp in CDC mode: keep the event's {@code op} and {@code ts_ms} as columns {@code
 *     __op} and {@code __ts_ms} (as Debezium's ExtractNewRecordState names them)
 * @param registerIn names of catalogs (keys of {@code catalogs}) that catalog sync keeps the
 *     mapping's tables registered in, besides the Iceberg table's home {@code catalog}
 */
public record TableMapping(
    int index,
    List<String> topics,
    Pattern topicPattern,
    String tableTemplate,
    List<Format> formats,
    Mode mode,
    List<PartitionField> partitionBy,
    CommitPolicy commit,
    String catalog,
    OnError onError,
    long targetFileSizeBytes,
    String kafkaMetadataColumn,
    Map<String, String> tableProperties,
    ValueFormat valueFormat,
    String valueSchema,
    KeySettings key,
    boolean cdcKeepOp,
    SchemaEvolution schemaEvolution,
    String deadLetterTopic,
    Maintenance maintenance,
    List<String> registerIn) {

  public enum Format {
    ICEBERG,
    DELTA
  }

  /** Which changes of the source schema Floe applies to the table by itself. */
  public enum SchemaEvolution {
    /** None: rows that need a change are bad input. */
    NONE,
    /** New columns, and columns becoming optional. */
    ADDITIVE,
    /** Also type promotions: int to long, float to double, wider decimals. */
    FULL
  }

  /** How record values are encoded. */
  public enum ValueFormat {
    /** Confluent wire format: the registry's schema type (Avro, Protobuf, JSON Schema) decides. */
    CONFLUENT,
    /** Plain JSON without a registry; the mapping's {@code value-schema} describes it. */
    JSON
  }

  public enum Mode {
    /** Every record becomes a row. */
    APPEND,
    /** The latest record per key is the row; a tombstone deletes the key. */
    UPSERT,
    /**
     * Debezium-style change events ({@code before}, {@code after}, {@code op}): creates and updates
     * upsert the {@code after} row, deletes delete the key.
     */
    CDC
  }

  /** Whether rows replace rows of the same key (upsert and CDC). */
  public boolean keyed() {
    return mode != Mode.APPEND;
  }

  /** What a record that cannot land in its table does (see {@link #deadLetterTopic}). */
  public enum OnError {
    /** Stop before committing past it; a restart meets it again. */
    STOP,
    /** Log it and go on: its offset counts as done, the table never holds it. */
    SKIP,
    /** Write it with the reason to the dead-letter topic, then go on. */
    DEAD_LETTER
  }

  public TableMapping {
    registerIn = List.copyOf(registerIn);
    topics = List.copyOf(topics);
    formats = List.copyOf(formats);
    partitionBy = List.copyOf(partitionBy);
    tableProperties = Map.copyOf(tableProperties);
  }

  /** A Quartz cron expression for compacting the mapping's tables, or null. */
  public String compactSchedule() {
    return maintenance.compact();
  }

  /** Snapshots older than this are expired after each scheduled compaction; null keeps them. */
  public java.time.Duration expireSnapshotsAfter() {
    return maintenance.expireSnapshots();
  }

  /**
   * Whether this mapping writes table {@code id}: the table of one of its topics, or for a topic
   * pattern a table of its template's shape ({@code ${topic}} stands for a sanitized topic name).
   */
  public boolean produces(TableId id) {
    if (topicPattern == null) {
      return topics.stream().anyMatch(t -> tableFor(t).equals(id));
    }
    String[] parts = tableTemplate.split("\\$\\{topic}", -1);
    StringBuilder regex = new StringBuilder();
    for (int i = 0; i < parts.length; i++) {
      regex.append(Pattern.quote(parts[i].toLowerCase(Locale.ROOT)));
      if (i < parts.length - 1) {
        regex.append("[a-z0-9_]+");
      }
    }
    return Pattern.matches(regex.toString(), id.toString());
  }

  /** What the table sinks need to know of the mapping's table {@code id}. */
  public dev.floe.core.sink.TableSpec spec(TableId id) {
    return new dev.floe.core.sink.TableSpec(
        id,
        catalog,
        partitionBy,
        targetFileSizeBytes,
        tableProperties,
        key.columns(),
        schemaEvolution);
  }

  /** Whether records of {@code topic} go to this mapping's table. */
  public boolean matches(String topic) {
    return topicPattern != null ? topicPattern.matcher(topic).matches() : topics.contains(topic);
  }

  /**
   * The table for a topic. {@code ${topic}} becomes the topic name lower-cased with every character
   * that is not a letter, digit or underscore replaced by '_' ({@code web.clicks-v2} → {@code
   * web_clicks_v2}), because catalogs accept only such names.
   */
  public TableId tableFor(String topic) {
    String safe = topic.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9_]", "_");
    return TableId.parse(tableTemplate.replace("${topic}", safe));
  }

  /** The dead-letter topic of records of {@code topic}, or null when the mapping has none. */
  public String deadLetterTopicFor(String topic) {
    return deadLetterTopic == null ? null : deadLetterTopic.replace("${topic}", topic);
  }

  /** A short label for messages: {@code tables[2] (raw.${topic})}. */
  public String label() {
    return "tables[" + index + "] (" + tableTemplate + ")";
  }
}
