package dev.floe.catalogsync;

import dev.floe.core.TableId;
import dev.floe.core.config.CatalogSettings;
import dev.floe.core.config.FloeConfig;
import dev.floe.core.config.TableMapping;
import dev.floe.core.sink.CommitListener;
import dev.floe.core.sink.CommitResult;
import dev.floe.core.sink.TableSpec;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Keeps every table registered, at its newest commit, in the catalogs of its mapping's {@code
 * register-in}. Hand it each commit ({@link #committed}); it returns at once and syncs on threads
 * of its own, one per catalog, so that a slow or failing catalog never holds up ingestion.
 */
public final class CatalogSync implements CommitListener, AutoCloseable {
  private final Map<String, TargetWorker> workers = new LinkedHashMap<>();
  private final List<Route> routes = new ArrayList<>();

  /** A mapping's tables, and the catalogs they go to. */
  private record Route(TableMapping mapping, List<String> formats, List<String> catalogs) {}

  private CatalogSync(FloeConfig config) {
    for (TableMapping m : config.tables()) {
      if (m.registerIn().isEmpty()) {
        continue;
      }
      for (String name : m.registerIn()) {
        workers.computeIfAbsent(name, n -> new TargetWorker(target(config.catalogs().get(n))));
      }
      routes.add(
          new Route(
              m,
              m.formats().stream().map(f -> f.name().toLowerCase(java.util.Locale.ROOT)).toList(),
              m.registerIn()));
    }
  }

  /** Starts the sync threads of every catalog that some mapping registers its tables in. */
  public static CatalogSync start(FloeConfig config) {
    return new CatalogSync(config);
  }

  /** Whether any mapping registers tables anywhere (else this object does nothing). */
  public boolean active() {
    return !workers.isEmpty();
  }

  @Override
  public void committed(TableSpec table, CommitResult result) {
    if (result.location() == null) {
      return;
    }
    TableState state =
        new TableState(result.table(), result.format(), result.location(), result.columns());
    for (String name : catalogsOf(result.table(), result.format())) {
      TargetWorker w = workers.get(name);
      if (w.holds(result.format())) {
        w.offer(state);
      }
    }
  }

  /** Where every table stands in every catalog, since start. */
  public List<SyncStatus> status() {
    return workers.values().stream().flatMap(w -> w.status().stream()).toList();
  }

  /** Where one table stands in one catalog; null before its first commit since start. */
  public SyncStatus status(String catalog, TableId table, String format) {
    TargetWorker w = workers.get(catalog);
    return w == null ? null : w.status(table, format);
  }

  private List<String> catalogsOf(TableId table, String format) {
    for (Route r : routes) { // table names are unique across mappings (a config check)
      if (r.formats().contains(format) && r.mapping().produces(table)) {
        return r.catalogs();
      }
    }
    return List.of();
  }

  static SyncTarget target(CatalogSettings c) {
    return switch (c.type()) {
      case REST -> new RestTarget(c);
      case JDBC -> new JdbcTarget(c);
      case GLUE -> new GlueTarget(c);
      case HIVE -> new HiveTarget(c);
    };
  }

  @Override
  public void close() {
    workers.values().forEach(TargetWorker::close);
  }
}
