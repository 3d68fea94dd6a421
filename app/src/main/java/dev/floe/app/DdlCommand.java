package dev.floe.app;

import dev.floe.catalogsync.ddl.AttachStatements;
import dev.floe.core.Errors;
import dev.floe.core.FloeException;
import dev.floe.core.TableId;
import dev.floe.core.config.CatalogSettings;
import dev.floe.core.config.FloeConfig;
import dev.floe.core.config.TableMapping;
import dev.floe.sinks.delta.DeltaTableSink;
import dev.floe.sinks.iceberg.IcebergCatalogs;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.apache.iceberg.HasTableOperations;
import org.apache.iceberg.catalog.Catalog;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.exceptions.NoSuchTableException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(
    name = "ddl",
    description =
        "Prints the statements that attach a table to a query engine (see docs/querying.md).")
final class DdlCommand implements Callable<Integer> {
  @Mixin ConfigOption config;

  @Option(names = "--table", required = true, description = "the table, e.g. sales.orders")
  String table;

  @Option(
      names = "--engine",
      required = true,
      description = "snowflake, athena, trino, spark or duckdb")
  String engine;

  @Option(
      names = "--format",
      description = "iceberg or delta, for a mapping that writes both (default: iceberg)")
  String format;

  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() {
    FloeConfig parsed = config.load();
    try {
      AttachStatements.Engine e = engine(engine);
      java.io.PrintWriter out = spec.commandLine().getOut();
      out.print(AttachStatements.render(e, facts(parsed)));
      out.flush(); // print does not flush, and the output ends with its own newline
      return ExitCodes.OK;
    } catch (FloeException e) {
      spec.commandLine().getErr().println("floe: " + e.getMessage());
      return ExitCodes.FAILED;
    }
  }

  private static AttachStatements.Engine engine(String name) {
    try {
      return AttachStatements.Engine.parse(name);
    } catch (IllegalArgumentException e) {
      throw Errors.of(
          "Unknown engine '" + name + "'", "use snowflake, athena, trino, spark or duckdb", null);
    }
  }

  /** What the engines need to know about the table, read from its catalog or its log. */
  private AttachStatements.Table facts(FloeConfig config) {
    TableId id = TableId.parse(table);
    TableMapping m =
        config.tables().stream()
            .filter(t -> t.produces(id))
            .findFirst()
            .orElseThrow(
                () ->
                    Errors.of(
                        "No mapping in " + this.config + " writes table " + id,
                        "name a table of the config's tables: (namespace.name)",
                        null));
    String f = format != null ? format : m.formats().get(0).name().toLowerCase();
    List<CatalogSettings> catalogs = new ArrayList<>();
    String location;
    if (f.equals("iceberg")) {
      catalogs.add(config.catalogs().get(m.catalog()));
      location = metadataLocation(config, m.catalog(), id);
    } else if (f.equals("delta")) {
      Path root = DeltaTableSink.location(config.warehouse(), id);
      if (!Files.isDirectory(root.resolve("_delta_log"))) {
        throw Errors.of(
            "Delta table " + id + " does not exist yet at " + root,
            "start floe run and wait for its first commit",
            null);
      }
      location = root.toUri().toString();
    } else {
      throw Errors.of("Unknown format '" + f + "'", "use --format iceberg or delta", null);
    }
    m.registerIn().forEach(name -> catalogs.add(config.catalogs().get(name)));
    return new AttachStatements.Table(id, f, location, config.warehouse(), catalogs);
  }

  private static String metadataLocation(FloeConfig config, String catalogName, TableId id) {
    Catalog catalog = IcebergCatalogs.load(config, catalogName);
    try {
      return ((HasTableOperations) catalog.loadTable(TableIdentifier.parse(id.toString())))
          .operations()
          .current()
          .metadataFileLocation();
    } catch (NoSuchTableException e) {
      throw Errors.of(
          "Iceberg table " + id + " does not exist yet in catalog '" + catalogName + "'",
          "start floe run and wait for its first commit",
          e);
    } finally {
      if (catalog instanceof AutoCloseable c) {
        try {
          c.close();
        } catch (Exception e) {
          // releases connections only
        }
      }
    }
  }
}
