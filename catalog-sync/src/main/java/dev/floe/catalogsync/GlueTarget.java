package dev.floe.catalogsync;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.floe.core.config.CatalogSettings;
import java.net.URI;
import java.util.Locale;

/**
 * The AWS Glue Data Catalog through its native API, which Athena reads. Iceberg tables are external
 * tables with {@code table_type=ICEBERG} and {@code metadata_location} (as Iceberg's GlueCatalog
 * writes them), moved with {@code UpdateTable} guarded by the table's version id; Delta tables are
 * external tables with {@code table_type=DELTA} at their location, whose schema Athena reads from
 * the Delta log. A namespace becomes one Glue database (levels joined by '_').
 */
final class GlueTarget implements SyncTarget {
  private final CatalogSettings settings;
  private GlueClient client; // built at first use: credentials are resolved then

  GlueTarget(CatalogSettings settings) {
    this.settings = settings;
  }

  @Override
  public CatalogSettings settings() {
    return settings;
  }

  @Override
  public boolean holds(String format) {
    return true;
  }

  @Override
  public void sync(TableState state) {
    GlueClient glue = client();
    String database = String.join("_", state.id().namespace());
    ensureDatabase(glue, database);
    JsonNode table = table(glue, database, state.id().name());
    if (table == null) {
      ObjectNode create = glue.body().put("DatabaseName", database);
      create.set("TableInput", tableInput(glue, state, null));
      glue.call("CreateTable", create);
      return;
    }
    JsonNode params = table.path("Parameters");
    String type = params.path("table_type").asText("").toUpperCase(Locale.ROOT);
    String theirs =
        state.iceberg()
            ? MetadataFiles.tableRoot(params.path("metadata_location").asText(""))
            : table.path("StorageDescriptor").path("Location").asText("");
    if (!type.equals(state.format().toUpperCase(Locale.ROOT))
        || !MetadataFiles.sameRoot(theirs, state.root())) {
      throw SyncFailures.otherTable(settings, state, type + " table at " + theirs);
    }
    String current = params.path("metadata_location").asText("");
    if (state.iceberg() && MetadataFiles.isNewer(state.location(), current)) {
      ObjectNode update = glue.body().put("DatabaseName", database);
      update.set("TableInput", tableInput(glue, state, current));
      // optimistic: the update fails if someone changed the table since GetTable
      update.put("VersionId", table.path("VersionId").asText());
      update.put("SkipArchive", true); // Iceberg keeps its own history
      glue.call("UpdateTable", update);
    }
  }

  private static void ensureDatabase(GlueClient glue, String database) {
    try {
      glue.call("GetDatabase", glue.body().put("Name", database));
    } catch (GlueClient.GlueException e) {
      if (!e.type.equals("EntityNotFoundException")) {
        throw e;
      }
      ObjectNode create = glue.body();
      create.putObject("DatabaseInput").put("Name", database);
      try {
        glue.call("CreateDatabase", create);
      } catch (GlueClient.GlueException raced) {
        if (!raced.type.equals("AlreadyExistsException")) {
          throw raced;
        }
      }
    }
  }

  private static JsonNode table(GlueClient glue, String database, String name) {
    try {
      return glue.call("GetTable", glue.body().put("DatabaseName", database).put("Name", name))
          .path("Table");
    } catch (GlueClient.GlueException e) {
      if (e.type.equals("EntityNotFoundException")) {
        return null;
      }
      throw e;
    }
  }

  private static ObjectNode tableInput(GlueClient glue, TableState state, String previous) {
    ObjectNode input = glue.body().without("CatalogId");
    input.put("Name", state.id().name()).put("TableType", "EXTERNAL_TABLE");
    ObjectNode params = input.putObject("Parameters").put("EXTERNAL", "TRUE");
    ObjectNode storage = input.putObject("StorageDescriptor");
    // engines read the schema from the table's own metadata; Glue's columns are for browsing it
    var columns = storage.putArray("Columns");
    state.columns().forEach(c -> columns.addObject().put("Name", c.name()).put("Type", c.type()));
    if (state.iceberg()) {
      params.put("table_type", "ICEBERG").put("metadata_location", state.location());
      if (previous != null) {
        params.put("previous_metadata_location", previous);
      }
      storage.put("Location", state.root());
    } else {
      // Athena reads table_type; Spark on Glue reads the provider and the path
      params.put("table_type", "DELTA").put("spark.sql.sources.provider", "delta");
      storage.put("Location", state.root());
      storage.putObject("SerdeInfo").putObject("Parameters").put("path", state.root());
    }
    return input;
  }

  private GlueClient client() {
    if (client == null) {
      String region =
          settings.properties().getOrDefault("glue.region", System.getenv("AWS_REGION"));
      if (region == null) {
        throw dev.floe.core.Errors.of(
            "Catalog '" + settings.name() + "' (glue) has no region",
            "set properties: { glue.region: eu-west-1 } or AWS_REGION",
            null);
      }
      URI endpoint =
          URI.create(
              settings.uri() != null
                  ? settings.uri()
                  : "https://glue." + region + ".amazonaws.com/");
      client =
          new GlueClient(
              endpoint,
              region,
              AwsCredentials.resolve(settings.name(), settings.properties(), System::getenv),
              settings.properties().get("glue.catalog-id"));
    }
    return client;
  }

  @Override
  public void close() {}
}
