package dev.floe.catalogsync;

import dev.floe.core.config.CatalogSettings;
import java.net.URI;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.hadoop.hive.metastore.api.Database;
import org.apache.hadoop.hive.metastore.api.EnvironmentContext;
import org.apache.hadoop.hive.metastore.api.GetTableRequest;
import org.apache.hadoop.hive.metastore.api.NoSuchObjectException;
import org.apache.hadoop.hive.metastore.api.SerDeInfo;
import org.apache.hadoop.hive.metastore.api.StorageDescriptor;
import org.apache.hadoop.hive.metastore.api.Table;
import org.apache.hadoop.hive.metastore.api.ThriftHiveMetastore;
import org.apache.thrift.TException;
import org.apache.thrift.protocol.TBinaryProtocol;
import org.apache.thrift.transport.TSocket;

/**
 * A Hive Metastore, through its Thrift API directly (not HiveMetaStoreClient, which needs Hadoop on
 * the class path). Iceberg tables are external tables with {@code table_type=ICEBERG} and {@code
 * metadata_location}, as Iceberg's HiveCatalog writes them, and move with the conditional {@code
 * alter_table} that HiveCatalog commits with (expected_parameter_key/value). Delta tables are
 * external tables with {@code spark.sql.sources.provider=delta} at their location, as Spark writes
 * them; readers take the schema from the Delta log. Unsecured metastores only (no Kerberos/SASL).
 */
final class HiveTarget implements SyncTarget {
  private static final int TIMEOUT_MS = 30_000;
  private final CatalogSettings settings;

  HiveTarget(CatalogSettings settings) {
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
    URI uri = URI.create(settings.uri());
    TSocket socket = null;
    try {
      socket = new TSocket(uri.getHost(), uri.getPort() < 0 ? 9083 : uri.getPort(), TIMEOUT_MS);
      socket.open();
      sync(new ThriftHiveMetastore.Client(new TBinaryProtocol(socket)), state);
    } catch (TException e) {
      throw new IllegalStateException("Hive Metastore call failed", e);
    } finally {
      if (socket != null) {
        socket.close();
      }
    }
  }

  private void sync(ThriftHiveMetastore.Client hms, TableState state) throws TException {
    String db = String.join("_", state.id().namespace()).toLowerCase(Locale.ROOT);
    String name = state.id().name().toLowerCase(Locale.ROOT); // the metastore lower-cases names
    try {
      hms.get_database(db);
    } catch (NoSuchObjectException e) {
      Database d = new Database();
      d.setName(db);
      d.setParameters(new HashMap<>());
      hms.create_database(d);
    }
    Table existing;
    try {
      existing = hms.get_table_req(new GetTableRequest(db, name)).getTable();
    } catch (NoSuchObjectException e) {
      hms.create_table(table(db, name, state, null));
      return;
    }
    Map<String, String> params =
        existing.getParameters() == null ? Map.of() : existing.getParameters();
    String type =
        state.iceberg()
            ? params.getOrDefault("table_type", "")
            : params.getOrDefault("spark.sql.sources.provider", "");
    String theirs =
        state.iceberg()
            ? MetadataFiles.tableRoot(params.getOrDefault("metadata_location", ""))
            : existing.getSd().getLocation();
    if (!type.equalsIgnoreCase(state.format()) || !MetadataFiles.sameRoot(theirs, state.root())) {
      throw SyncFailures.otherTable(
          settings, state, (type.isEmpty() ? "a" : type) + " table at " + theirs);
    }
    String current = params.get("metadata_location");
    if (state.iceberg() && MetadataFiles.isNewer(state.location(), current)) {
      // moves only if nobody moved it since get_table (HIVE-26882, as Iceberg's HiveCatalog does)
      EnvironmentContext only =
          new EnvironmentContext(
              Map.of(
                  "expected_parameter_key", "metadata_location",
                  "expected_parameter_value", current,
                  "DO_NOT_UPDATE_STATS", "true"));
      hms.alter_table_with_environment_context(db, name, table(db, name, state, current), only);
    }
  }

  private static Table table(String db, String name, TableState state, String previous) {
    Map<String, String> params = new HashMap<>();
    params.put("EXTERNAL", "TRUE");
    SerDeInfo serde = new SerDeInfo();
    serde.setParameters(new HashMap<>());
    StorageDescriptor sd = new StorageDescriptor();
    sd.setLocation(state.root());
    // engines read the schema from the table's own metadata; the columns are for browsing it
    sd.setCols(
        new java.util.ArrayList<>(
            state.columns().stream()
                .map(
                    c ->
                        new org.apache.hadoop.hive.metastore.api.FieldSchema(
                            c.name(), c.type(), null))
                .toList()));
    sd.setSerdeInfo(serde);
    if (state.iceberg()) {
      params.put("table_type", "ICEBERG");
      params.put("metadata_location", state.location());
      if (previous != null) {
        params.put("previous_metadata_location", previous);
      }
    } else {
      params.put("spark.sql.sources.provider", "delta");
      params.put("table_type", "DELTA");
      serde.getParameters().put("path", state.root());
    }
    Table t = new Table();
    t.setDbName(db);
    t.setTableName(name);
    t.setTableType("EXTERNAL_TABLE");
    t.setParameters(params);
    t.setSd(sd);
    t.setPartitionKeys(List.of());
    return t;
  }

  @Override
  public void close() {}
}
