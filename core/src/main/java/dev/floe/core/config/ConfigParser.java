package dev.floe.core.config;

import dev.floe.core.TableId;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * Reads {@code floe.yaml} into a {@link FloeConfig}, validating everything that can be checked
 * without connecting anywhere. The reference for every key is {@code docs/configuration.md}.
 */
public final class ConfigParser {
  /** The catalog every config has unless it defines its own {@code local}: JDBC on SQLite. */
  public static final String LOCAL_CATALOG = "local";

  private static final Set<String> TOP =
      Set.of(
          "kafka",
          "schema-registry",
          "warehouse",
          "s3",
          "catalogs",
          "tables",
          "workers",
          "health",
          "http",
          "maintenance");
  private static final Set<String> S3 =
      Set.of(
          "endpoint",
          "region",
          "path-style-access",
          "access-key-id",
          "secret-access-key",
          "multipart-size");
  private static final Set<String> REGISTRY =
      Set.of("url", "basic-auth", "bearer-token", "timeout", "retry-for");
  private static final Set<String> BASIC_AUTH = Set.of("username", "password");
  private static final Set<String> CATALOG =
      Set.of(
          "type",
          "uri",
          "warehouse",
          "user",
          "password",
          "credential",
          "token",
          "properties",
          "sync-interval",
          "refresh-interval");

  /** Floe owns these consumer settings: exactly-once depends on them. */
  private static final Set<String> MANAGED_KAFKA =
      Set.of("enable.auto.commit", "key.deserializer", "value.deserializer");

  private final Predicate<String> isKafkaKey;
  private final Function<String, String> env;

  /**
   * @param isKafkaKey whether a key under {@code kafka} is a Kafka client property (the consumer
   *     module knows the names; core has no Kafka dependency)
   */
  public ConfigParser(Predicate<String> isKafkaKey, Function<String, String> env) {
    this.isKafkaKey = isKafkaKey;
    this.env = env;
  }

  public FloeConfig parse(Path file) {
    try {
      return parse(Files.readString(file), file.toAbsolutePath().getParent());
    } catch (IOException e) {
      throw dev.floe.core.Errors.of(
          "Cannot read config file " + file, "check the path and its permissions", e);
    }
  }

  /**
   * @param baseDir directory that relative warehouse paths are resolved against
   */
  public FloeConfig parse(String yaml, Path baseDir) {
    YamlDocument doc = YamlDocument.parse(yaml);
    if (doc.root() == null || !doc.root().isObject()) {
      throw dev.floe.core.Errors.config(
          "(file)",
          1,
          "the config is empty or not a mapping",
          "start from the example in docs/configuration.md");
    }
    ConfigNode root = new ConfigNode(doc, doc.root(), "", env);
    root.rejectUnknownKeys(TOP);
    Map<String, String> kafka = kafka(root.child("kafka"));
    RegistrySettings registry =
        root.has("schema-registry") ? registry(root.child("schema-registry")) : null;
    String warehouse = warehouse(root, baseDir);
    S3Settings s3 = s3(root, warehouse);
    Map<String, CatalogSettings> catalogs =
        catalogs(root.child("catalogs"), s3 == null ? warehouse : baseDir.toString());
    List<TableMapping> tables = tables(root, catalogs, registry, baseDir);
    int workers = root.intValue("workers", 1, 1);
    ConfigNode health = root.child("health");
    health.rejectUnknownKeys(Set.of("unhealthy-after"));
    java.time.Duration unhealthyAfter =
        health.duration("unhealthy-after", FloeConfig.DEFAULT_UNHEALTHY_AFTER);
    return new FloeConfig(
        kafka, registry, warehouse, catalogs, tables, workers, unhealthyAfter, http(root), s3);
  }

  private static HttpSettings http(ConfigNode root) {
    if (!root.has("http")) {
      return HttpSettings.DEFAULT;
    }
    ConfigNode http = root.child("http");
    http.rejectUnknownKeys(Set.of("port", "host"));
    int port = http.intValue("port", HttpSettings.DEFAULT_PORT, -1);
    if (port > 65535) {
      throw http.error(
          "port",
          port + " is not a TCP port",
          "use 1..65535, 0 for any free port, or -1 to turn the endpoint off");
    }
    return new HttpSettings(
        http.string("host", HttpSettings.DEFAULT.host()), port, http.has("port"));
  }

  private Map<String, String> kafka(ConfigNode node) {
    Map<String, String> props = new LinkedHashMap<>();
    for (String key : node.keys()) {
      if (MANAGED_KAFKA.contains(key)) {
        throw node.error(
            key, "is managed by Floe (offsets live in the table commits)", "remove it");
      }
      if (!isKafkaKey.test(key)) {
        throw node.error(
            key,
            "is not a Kafka client property",
            "check the spelling against the Kafka consumer configs");
      }
      props.put(key, node.string(key, null));
    }
    if (!props.containsKey("bootstrap.servers")) {
      throw node.error(
          "bootstrap.servers", "is required", "add kafka.bootstrap.servers: host:9092");
    }
    props.putIfAbsent("group.id", "floe");
    // A new table should hold the whole topic, as Tableflow does, not only what arrives from now
    // on.
    props.putIfAbsent("auto.offset.reset", "earliest");
    // Records of aborted producer transactions must never reach a table.
    props.putIfAbsent("isolation.level", "read_committed");
    return props;
  }

  private RegistrySettings registry(ConfigNode node) {
    node.rejectUnknownKeys(REGISTRY);
    String url = node.requiredString("url", "add schema-registry.url: http://host:8081");
    if (!url.startsWith("http://") && !url.startsWith("https://")) {
      throw node.error(
          "url", "'" + url + "' is not an http(s) URL", "write it as http://host:8081");
    }
    String user = null;
    String password = null;
    if (node.has("basic-auth")) {
      ConfigNode auth = node.child("basic-auth");
      auth.rejectUnknownKeys(BASIC_AUTH);
      user =
          auth.requiredString(
              "username", "add username (and password, e.g. ${env:REGISTRY_PASSWORD})");
      password =
          auth.requiredString("password", "add password, e.g. password: ${env:REGISTRY_PASSWORD}");
    }
    String token = node.string("bearer-token", null);
    if (user != null && token != null) {
      throw node.error(
          "bearer-token",
          "both basic-auth and bearer-token are set",
          "keep the one your registry expects");
    }
    return new RegistrySettings(
        url.replaceAll("/+$", ""),
        user,
        password,
        token,
        node.duration("timeout", Duration.ofSeconds(10)),
        node.duration("retry-for", Duration.ofMinutes(5)));
  }

  private String warehouse(ConfigNode root, Path baseDir) {
    String w =
        root.requiredString(
            "warehouse",
            "add warehouse: /var/lib/floe/warehouse (a local directory) or s3://bucket/prefix");
    if (w.startsWith("s3://") || w.startsWith("s3a://")) {
      return s3Warehouse(root, w);
    }
    if (w.startsWith("file:")) {
      w = w.replaceFirst("^file:(//)?", "");
    } else if (w.matches("^[a-zA-Z][a-zA-Z0-9+.-]*://.*")) {
      throw root.error(
          "warehouse",
          "'" + w + "': only local and S3 warehouses are supported in this version",
          "use a local directory, file:///path or s3://bucket/prefix");
    }
    return baseDir.resolve(w).normalize().toString();
  }

  /**
   * An S3 warehouse as {@code s3://bucket/prefix}, without a trailing slash. {@code s3a://} is
   * accepted and written as {@code s3://}: Iceberg's S3FileIO reads both, and the Delta side maps
   * the scheme to Hadoop's S3A itself.
   */
  private static String s3Warehouse(ConfigNode root, String w) {
    String rest = w.substring(w.indexOf("://") + 3).replaceAll("/+$", "");
    String bucket = rest.contains("/") ? rest.substring(0, rest.indexOf('/')) : rest;
    // S3 bucket naming rules: 3-63 characters of lower-case letters, digits, dots and hyphens
    if (!bucket.matches("[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]")) {
      throw root.error(
          "warehouse",
          "'" + w + "' does not name a valid S3 bucket",
          "write s3://bucket/prefix with a bucket of 3-63 lower-case letters, digits, '.' or '-'");
    }
    return "s3://" + rest;
  }

  private S3Settings s3(ConfigNode root, String warehouse) {
    boolean onS3 = warehouse.startsWith("s3://");
    if (!onS3) {
      if (root.has("s3")) {
        throw root.error(
            "s3",
            "is set but the warehouse '" + warehouse + "' is not on S3",
            "remove the s3 block or set warehouse: s3://bucket/prefix");
      }
      return null;
    }
    ConfigNode node = root.child("s3");
    node.rejectUnknownKeys(S3);
    String endpoint = node.string("endpoint", null);
    if (endpoint != null && !endpoint.matches("^https?://.+")) {
      throw node.error(
          "endpoint",
          "'" + endpoint + "' is not an http(s) URL",
          "write it as http://host:9000 or https://s3.example.com");
    }
    String keyId = node.string("access-key-id", null);
    String secret = node.string("secret-access-key", null);
    if ((keyId == null) != (secret == null)) {
      throw node.error(
          keyId == null ? "access-key-id" : "secret-access-key",
          "is missing: static credentials need both access-key-id and secret-access-key",
          "set both (e.g. secret-access-key: ${env:AWS_SECRET_ACCESS_KEY}), or neither to use the"
              + " default AWS credentials chain");
    }
    long multipart = node.bytes("multipart-size", S3Settings.DEFAULT_MULTIPART_SIZE);
    if (multipart > Integer.MAX_VALUE) { // Iceberg's S3FileIO takes the part size as an int
      throw node.error(
          "multipart-size", "is above 2GiB, the largest part Floe uploads", "use 2GiB or less");
    }
    if (multipart < 5L * 1024 * 1024) {
      throw node.error(
          "multipart-size", "is below S3's minimum part size of 5MiB", "use 5MiB or more");
    }
    return new S3Settings(
        endpoint == null ? null : endpoint.replaceAll("/+$", ""),
        node.string("region", null),
        node.bool("path-style-access", false),
        keyId,
        secret,
        multipart);
  }

  /**
   * @param catalogDir where the implicit local catalog keeps its SQLite file: the warehouse when it
   *     is local, else the config file's directory (SQLite cannot live on S3)
   */
  private Map<String, CatalogSettings> catalogs(ConfigNode node, String catalogDir) {
    Map<String, CatalogSettings> catalogs = new LinkedHashMap<>();
    for (String name : node.keys()) {
      ConfigNode c = node.child(name);
      c.rejectUnknownKeys(CATALOG);
      CatalogSettings.Type type = c.enumValue("type", CatalogSettings.Type.class, null);
      if (type == null) {
        throw c.error("type", "is required", "use type: jdbc, rest, hive or glue");
      }
      String uri = switch (type) { // Glue has a regional endpoint of its own; uri only overrides it
            case GLUE -> c.string("uri", null);
            case JDBC ->
                c.requiredString(
                    "uri", "add uri: jdbc:postgresql://host/db (or jdbc:sqlite:/path/catalog.db)");
            case REST -> c.requiredString("uri", "add uri: https://host/api/catalog");
            case HIVE -> c.requiredString("uri", "add uri: thrift://metastore-host:9083");
          };
      Map<String, String> props = new HashMap<>(c.child("properties").stringMap());
      putIfSet(props, "jdbc.user", c.string("user", null));
      putIfSet(props, "jdbc.password", c.string("password", null));
      putIfSet(props, "credential", c.string("credential", null));
      putIfSet(props, "token", c.string("token", null));
      catalogs.put(
          name,
          new CatalogSettings(
              name,
              type,
              uri,
              c.string("warehouse", null),
              props,
              c.duration("sync-interval", CatalogSettings.DEFAULT_SYNC_INTERVAL),
              c.duration("refresh-interval", CatalogSettings.DEFAULT_REFRESH_INTERVAL)));
    }
    catalogs.putIfAbsent(
        LOCAL_CATALOG,
        new CatalogSettings(
            LOCAL_CATALOG,
            CatalogSettings.Type.JDBC,
            "jdbc:sqlite:" + Path.of(catalogDir, "floe-catalog.db"),
            null,
            Map.of()));
    return catalogs;
  }

  private List<TableMapping> tables(
      ConfigNode root,
      Map<String, CatalogSettings> catalogs,
      RegistrySettings registry,
      Path baseDir) {
    List<ConfigNode> nodes = root.nodeList("tables");
    if (nodes.isEmpty()) {
      throw root.error(
          "tables",
          "no table mappings",
          "add at least one entry under tables: with topics and table");
    }
    List<TableMapping> mappings = new ArrayList<>();
    Map<TableId, TableMapping> owners = new HashMap<>();
    String defaultCatalog = defaultCatalog(catalogs);
    Maintenance defaults = MaintenanceParser.parse(root, Maintenance.NONE); // mappings inherit it
    for (int i = 0; i < nodes.size(); i++) {
      TableMapping m =
          TableMappingParser.parse(i, nodes.get(i), catalogs, defaultCatalog, baseDir, defaults);
      for (String topic : m.topics()) {
        TableMapping previous = owners.putIfAbsent(m.tableFor(topic), m);
        if (previous != null && previous != m) {
          throw nodes
              .get(i)
              .error(
                  "table",
                  "table " + m.tableFor(topic) + " is also written by " + previous.label(),
                  "give each mapping its own table");
        }
      }
      mappings.add(m);
      if (registry == null && m.valueFormat() == TableMapping.ValueFormat.CONFLUENT) {
        throw root.error(
            "schema-registry",
            "is required: "
                + m.label()
                + " reads Confluent-framed values, which are decoded with their registered schemas",
            "add schema-registry: { url: http://host:8081 }, or set value-format: json with a value-schema for plain JSON");
      }
    }
    return mappings;
  }

  /** The only user-defined catalog if there is exactly one, else the embedded local catalog. */
  private static String defaultCatalog(Map<String, CatalogSettings> catalogs) {
    // catalogs keeps file order and the implicit local catalog comes last
    List<String> names = List.copyOf(catalogs.keySet());
    boolean implicitLocal = names.indexOf(LOCAL_CATALOG) == names.size() - 1;
    return names.size() == 2 && implicitLocal ? names.get(0) : LOCAL_CATALOG;
  }

  private static void putIfSet(Map<String, String> props, String key, String value) {
    if (value != null) {
      props.put(key, value);
    }
  }
}
