package dev.floe.core.config;

import dev.floe.core.TableId;
import dev.floe.core.config.TableMapping.Format;
import dev.floe.core.config.TableMapping.Mode;
import dev.floe.core.config.TableMapping.OnError;
import dev.floe.core.config.TableMapping.ValueFormat;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/** Reads one entry of {@code tables} into a {@link TableMapping}. */
final class TableMappingParser {
  private static final Set<String> TABLE =
      Set.of(
          "topics",
          "topic-pattern",
          "value-format",
          "value-schema",
          "table",
          "formats",
          "mode",
          "partition-by",
          "commit",
          "catalog",
          "on-error",
          "target-file-size",
          "kafka-metadata",
          "key",
          "cdc",
          "maintenance",
          "schema-evolution",
          "dead-letter",
          "table-properties",
          "register-in");
  private static final Set<String> CDC = Set.of("keep-op");
  private static final Set<String> DEAD_LETTER = Set.of("topic");
  private static final Set<String> COMMIT = Set.of("interval", "max-records", "max-bytes");
  private static final Set<String> KAFKA_METADATA = Set.of("enabled", "column");
  private static final Set<String> KEY = Set.of("format", "schema", "flatten", "prefix", "columns");

  private TableMappingParser() {}

  /**
   * @param baseDir the config file's directory, which {@code value-schema} paths are relative to
   */
  static TableMapping parse(
      int index,
      ConfigNode node,
      Map<String, CatalogSettings> catalogs,
      String defaultCatalog,
      java.nio.file.Path baseDir,
      Maintenance maintenance) {
    node.rejectUnknownKeys(TABLE);
    List<String> topics = node.stringList("topics");
    String patternText = node.string("topic-pattern", null);
    if (topics.isEmpty() == (patternText == null)) {
      throw node.error(
          null,
          topics.isEmpty()
              ? "has neither topics nor topic-pattern"
              : "has both topics and topic-pattern",
          "set exactly one: topics: [orders] or topic-pattern: \"orders\\\\..*\"");
    }
    Pattern pattern = null;
    if (patternText != null) {
      try {
        pattern = Pattern.compile(patternText);
      } catch (PatternSyntaxException e) {
        throw node.error(
            "topic-pattern",
            "not a valid regular expression: " + e.getDescription(),
            "fix the expression (Java regex syntax)");
      }
    }
    String template = node.requiredString("table", "add table: namespace.name, e.g. raw.${topic}");
    try { // resolving with a sample name checks the template's shape even for topic patterns
      for (String topic : topics.isEmpty() ? List.of("sample") : topics) {
        TableId.parse(
            template.replace("${topic}", topic.toLowerCase().replaceAll("[^a-z0-9_]", "_")));
      }
    } catch (IllegalArgumentException e) {
      throw node.error(
          "table", e.getMessage(), "write namespace.name; ${topic} is replaced by the topic name");
    }
    List<Format> formats = formats(node);
    List<PartitionField> partitionBy = new ArrayList<>();
    List<String> fields = node.stringList("partition-by");
    for (int i = 0; i < fields.size(); i++) {
      try {
        partitionBy.add(PartitionField.parse(fields.get(i)));
      } catch (IllegalArgumentException e) {
        throw node.error(
            "partition-by[" + i + "]", e.getMessage(), "see docs/configuration.md#partition-by");
      }
    }
    String catalog = node.string("catalog", defaultCatalog);
    if (!catalogs.containsKey(catalog)) {
      throw node.error(
          "catalog",
          "catalog '" + catalog + "' is not defined",
          "define it under catalogs: or use one of " + catalogs.keySet());
    }
    if (!catalogs.get(catalog).type().canBeHome()) {
      throw node.error(
          "catalog",
          "catalog '"
              + catalog
              + "' is of type "
              + catalogs.get(catalog).typeName()
              + ", which Floe can only register tables in, not commit to",
          "commit to a jdbc or rest catalog and list '" + catalog + "' under register-in");
    }
    List<String> registerIn = registerIn(node, catalogs, catalog, formats);
    Mode mode = node.enumValue("mode", Mode.class, Mode.APPEND);
    KeySettings key = key(node, baseDir);
    checkKeyColumns(node, mode, key, partitionBy);
    return new TableMapping(
        index,
        topics,
        pattern,
        template,
        formats,
        mode,
        partitionBy,
        commit(node.child("commit")),
        catalog,
        node.enumValue("on-error", OnError.class, OnError.STOP),
        node.bytes("target-file-size", 128L << 20),
        kafkaMetadataColumn(node),
        tableProperties(node.child("table-properties")),
        node.enumValue("value-format", ValueFormat.class, ValueFormat.CONFLUENT),
        valueSchema(node, baseDir),
        key,
        cdcKeepOp(node, mode),
        node.enumValue(
            "schema-evolution",
            TableMapping.SchemaEvolution.class,
            TableMapping.SchemaEvolution.FULL),
        deadLetterTopic(node),
        MaintenanceParser.parse(node, maintenance),
        registerIn);
  }

  /** The mirror catalogs; each must exist and be able to hold a format the mapping writes. */
  private static List<String> registerIn(
      ConfigNode node, Map<String, CatalogSettings> catalogs, String home, List<Format> formats) {
    List<String> names = node.stringList("register-in");
    for (int i = 0; i < names.size(); i++) {
      String name = names.get(i);
      String key = "register-in[" + i + "]";
      CatalogSettings c = catalogs.get(name);
      if (c == null) {
        throw node.error(
            key,
            "catalog '" + name + "' is not defined",
            "define it under catalogs: or use one of " + catalogs.keySet());
      }
      if (name.equals(home)) {
        throw node.error(
            key,
            "catalog '" + name + "' is the table's home catalog, where Floe commits it anyway",
            "remove it from register-in, or set catalog: to the catalog Floe commits to (without"
                + " catalog:, a mapping commits to the only catalog you define)");
      }
      if (names.indexOf(name) != i) {
        throw node.error(key, "catalog '" + name + "' is listed twice", "list it once");
      }
      boolean iceberg = formats.contains(Format.ICEBERG);
      if (!iceberg && !c.type().holdsDelta()) {
        throw node.error(
            key,
            "catalog '"
                + name
                + "' ("
                + c.typeName()
                + ") holds Iceberg tables only, and this mapping writes Delta tables only",
            "register Delta tables in a hive or glue catalog, or add iceberg to formats");
      }
    }
    return names;
  }

  private static String deadLetterTopic(ConfigNode node) {
    OnError onError = node.enumValue("on-error", OnError.class, OnError.STOP);
    if (onError != OnError.DEAD_LETTER) {
      if (node.has("dead-letter")) {
        throw node.error(
            "dead-letter",
            "is only used with on-error: dead-letter",
            "set on-error: dead-letter, or remove dead-letter");
      }
      return null;
    }
    if (!node.has("dead-letter")) {
      return "${topic}.floe-dlq";
    }
    ConfigNode d = node.child("dead-letter");
    d.rejectUnknownKeys(DEAD_LETTER);
    String topic = d.string("topic", "${topic}.floe-dlq");
    if (!topic.replace("${topic}", "t").matches("[A-Za-z0-9._-]{1,249}")) {
      throw d.error(
          "topic",
          "'" + topic + "' is not a valid Kafka topic name",
          "use letters, digits, '.', '_' and '-', and ${topic} for the source topic");
    }
    return topic;
  }

  private static boolean cdcKeepOp(ConfigNode node, Mode mode) {
    if (!node.has("cdc")) {
      return false;
    }
    if (mode != Mode.CDC) {
      throw node.error("cdc", "is only used with mode: cdc", "set mode: cdc, or remove cdc");
    }
    ConfigNode cdc = node.child("cdc");
    cdc.rejectUnknownKeys(CDC);
    return cdc.bool("keep-op", false);
  }

  /**
   * Upserts need key columns, and partitions derived from them only: a key's equality delete must
   * land in the partition of the row it deletes, which a tombstone (no value) can only know from
   * the key.
   */
  private static void checkKeyColumns(
      ConfigNode node, Mode mode, KeySettings key, List<PartitionField> partitionBy) {
    if (mode == Mode.APPEND) {
      if (!key.columns().isEmpty()) {
        throw node.error(
            "key.columns",
            "is only used with mode: upsert or cdc",
            "set mode: upsert, or remove key.columns");
      }
      return;
    }
    if (key.columns().isEmpty()) {
      throw node.error(
          "key.columns",
          "is required with mode: " + Values.configName(mode),
          mode == Mode.CDC
              ? "name the source table's primary key columns (the fields of the Debezium key),"
                  + " e.g. key: { columns: [id] }"
              : "name the columns that identify a row, e.g. key: { columns: [order_id] } (value"
                  + " columns, or flattened Kafka key columns with key.flatten: true)");
    }
    if (new java.util.HashSet<>(key.columns()).size() != key.columns().size()) {
      throw node.error("key.columns", "lists a column twice", "list each key column once");
    }
    for (int i = 0; i < partitionBy.size(); i++) {
      String source = partitionBy.get(i).column();
      if (!key.columns().contains(source)) {
        throw node.error(
            "partition-by[" + i + "]",
            "partitions by '"
                + source
                + "', which is not a key column; with mode: "
                + Values.configName(mode)
                + " a key must stay in one partition (a delete only knows the key)",
            "partition by key columns only (e.g. bucket[16]("
                + key.columns().get(0)
                + ")), or use mode: append");
      }
    }
  }

  private static KeySettings key(ConfigNode node, java.nio.file.Path baseDir) {
    if (!node.has("key")) {
      return KeySettings.DEFAULT;
    }
    ConfigNode k = node.child("key");
    k.rejectUnknownKeys(KEY);
    KeySettings.KeyFormat format =
        k.enumValue("format", KeySettings.KeyFormat.class, KeySettings.KeyFormat.BYTES);
    String file = k.string("schema", null);
    String schema = null;
    if (format == KeySettings.KeyFormat.JSON) {
      if (file == null) {
        throw k.error(
            "schema",
            "is required with format: json",
            "point it at a JSON Schema file describing the keys, e.g. schema: schemas/order-key.json");
      }
      schema = jsonSchemaFile(k, "schema", baseDir.resolve(file));
    } else if (file != null) {
      throw k.error(
          "schema",
          "is only used with format: json (the other key formats carry or need no schema)",
          "remove it, or set format: json");
    }
    boolean flatten = k.bool("flatten", false);
    String prefix = k.string("prefix", "");
    if (!prefix.matches("[A-Za-z0-9_]*")) {
      throw k.error(
          "prefix", "'" + prefix + "' is not usable in column names", "use letters, digits and _");
    }
    if (!flatten && !prefix.isEmpty()) {
      throw k.error(
          "prefix", "only applies to flattened key columns", "set flatten: true or remove prefix");
    }
    return new KeySettings(format, schema, flatten, prefix, k.stringList("columns"));
  }

  /** Plain JSON needs the schema the registry would otherwise give; read and checked now. */
  private static String valueSchema(ConfigNode node, java.nio.file.Path baseDir) {
    ValueFormat format = node.enumValue("value-format", ValueFormat.class, ValueFormat.CONFLUENT);
    String file = node.string("value-schema", null);
    if (format == ValueFormat.CONFLUENT) {
      if (file != null) {
        throw node.error(
            "value-schema",
            "is only used with value-format: json (Confluent-framed values carry their"
                + " schema id)",
            "remove it, or set value-format: json");
      }
      return null;
    }
    if (file == null) {
      throw node.error(
          "value-schema",
          "is required with value-format: json",
          "point it at a JSON Schema file describing the values, e.g. value-schema: schemas/orders.json");
    }
    return jsonSchemaFile(node, "value-schema", baseDir.resolve(file));
  }

  private static String jsonSchemaFile(ConfigNode node, String key, java.nio.file.Path path) {
    try {
      String text = java.nio.file.Files.readString(path);
      new com.fasterxml.jackson.databind.ObjectMapper().readTree(text);
      return text;
    } catch (java.io.IOException e) {
      throw node.error(
          key,
          "cannot read a JSON Schema from "
              + path
              + ": "
              + (e instanceof java.nio.file.NoSuchFileException ? "no such file" : e.getMessage()),
          "check the path (relative to the config file) and that the file is valid JSON");
    }
  }

  private static List<Format> formats(ConfigNode node) {
    List<String> names = node.stringList("formats");
    List<Format> formats = new ArrayList<>();
    for (int i = 0; i < names.size(); i++) {
      String name = names.get(i);
      Format f =
          java.util.Arrays.stream(Format.values())
              .filter(v -> Values.configName(v).equals(name))
              .findFirst()
              .orElseThrow(
                  () ->
                      node.error(
                          "formats",
                          "'" + name + "' is not a supported format",
                          "use: " + Values.configNames(Format.class)));
      if (formats.contains(f)) {
        throw node.error("formats", "'" + name + "' is listed twice", "list each format once");
      }
      formats.add(f);
    }
    return formats.isEmpty() ? List.of(Format.ICEBERG) : formats;
  }

  /**
   * Keys starting with {@code delta.} are Delta table properties; the one Floe relies on is checked
   * now rather than at the first commit.
   */
  private static Map<String, String> tableProperties(ConfigNode node) {
    Map<String, String> props = node.stringMap();
    String interval = props.get("delta.checkpointInterval");
    if (interval != null && !interval.matches("[1-9][0-9]{0,8}")) {
      throw node.error(
          "delta.checkpointInterval",
          "'" + interval + "' is not a positive number of commits",
          "write e.g. delta.checkpointInterval: 10 (a checkpoint every 10 commits)");
    }
    return props;
  }

  private static CommitPolicy commit(ConfigNode node) {
    node.rejectUnknownKeys(COMMIT);
    CommitPolicy d = CommitPolicy.DEFAULT;
    return new CommitPolicy(
        node.duration("interval", d.interval()),
        node.longValue("max-records", d.maxRecords(), 1),
        node.bytes("max-bytes", d.maxBytes()));
  }

  private static String kafkaMetadataColumn(ConfigNode node) {
    if (!node.has("kafka-metadata")) {
      return "_kafka";
    }
    ConfigNode m = node.child("kafka-metadata");
    m.rejectUnknownKeys(KAFKA_METADATA);
    boolean enabled = m.bool("enabled", true);
    String column = m.string("column", "_kafka");
    if (!column.matches("[A-Za-z_][A-Za-z0-9_]*")) {
      throw m.error(
          "column",
          "'" + column + "' is not a valid column name",
          "use letters, digits and underscores");
    }
    return enabled ? column : null;
  }
}
