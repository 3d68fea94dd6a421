package dev.floe.app;

import dev.floe.consumer.decode.RecordDecoder;
import dev.floe.consumer.registry.RegisteredSchema;
import dev.floe.consumer.registry.SchemaRegistryClient;
import dev.floe.core.SchemaChangeException;
import dev.floe.core.config.FloeConfig;
import dev.floe.core.config.TableMapping;
import dev.floe.core.row.Type;
import dev.floe.core.sink.TableSpec;
import dev.floe.sinks.delta.DeltaTableSink;
import dev.floe.sinks.iceberg.IcebergTableSink;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(
    name = "plan-schema",
    description =
        "Shows what a new schema of a topic would change in its table, before any producer uses"
            + " it. Exit code 0: the table takes it (changes listed), 1: it would be refused.")
final class PlanSchemaCommand implements Callable<Integer> {
  @Mixin ConfigOption config;

  @Option(names = "--topic", required = true, description = "the topic whose schema changes")
  String topic;

  @ArgGroup(exclusive = true, multiplicity = "1")
  Source source;

  static final class Source {
    @Option(
        names = "--schema-file",
        description = "the new schema: .avsc (Avro), .proto (Protobuf) or .json (JSON Schema)")
    Path file;

    @Option(names = "--subject", description = "a registry subject, e.g. orders-value")
    String subject;
  }

  @Option(
      names = "--version",
      defaultValue = "latest",
      description = "with --subject: the version to plan (default: ${DEFAULT-VALUE})")
  String version;

  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() throws IOException {
    PrintWriter out = spec.commandLine().getOut();
    FloeConfig parsed = config.load();
    List<TableMapping> mappings = parsed.mappingsFor(topic);
    if (mappings.isEmpty()) {
      spec.commandLine().getErr().println("No mapping of " + config + " reads topic " + topic);
      return ExitCodes.BAD_CONFIG;
    }
    SchemaRegistryClient registry =
        parsed.schemaRegistry() == null ? null : new SchemaRegistryClient(parsed.schemaRegistry());
    RegisteredSchema schema = schema(registry);
    RecordDecoder decoder = new RecordDecoder(registry);
    int refused = 0;
    try (IcebergTableSink sink = new IcebergTableSink(parsed);
        DeltaTableSink delta = new DeltaTableSink(parsed)) {
      for (TableMapping m : mappings) {
        TableSpec table = m.spec(m.tableFor(topic));
        Type.Struct rows = decoder.rowType(schema, m);
        String level = m.schemaEvolution().name().toLowerCase(Locale.ROOT);
        boolean partial = m.key().decoded() || m.mode() == TableMapping.Mode.CDC;
        for (TableMapping.Format format : m.formats()) {
          boolean isDelta = format == TableMapping.Format.DELTA;
          String name = table.id() + (isDelta ? " (delta)" : "");
          try {
            List<String> changes =
                isDelta
                    ? delta.planSchema(table, rows, partial)
                    : sink.planSchema(table, rows, partial);
            print(out, name, changes, level);
          } catch (SchemaChangeException e) {
            refused++;
            out.printf("%s: refused: %s%n", name, e.getMessage());
          }
        }
      }
    }
    return refused == 0 ? ExitCodes.OK : ExitCodes.FAILED;
  }

  private static void print(PrintWriter out, String table, List<String> changes, String level) {
    if (changes == null) {
      out.printf("%s: does not exist yet; Floe creates it from this schema%n", table);
    } else if (changes.isEmpty()) {
      out.printf("%s: no change needed%n", table);
    } else {
      out.printf(
          "%s: %d change(s), allowed by schema-evolution: %s%n", table, changes.size(), level);
      changes.forEach(c -> out.println("  " + c));
    }
  }

  private RegisteredSchema schema(SchemaRegistryClient registry) throws IOException {
    if (source.subject != null) {
      if (registry == null) {
        throw new IllegalArgumentException("--subject needs schema-registry in the config");
      }
      return registry.version(source.subject, version);
    }
    String name = source.file.getFileName().toString().toLowerCase(Locale.ROOT);
    String type =
        name.endsWith(".avsc")
            ? "AVRO"
            : name.endsWith(".proto") ? "PROTOBUF" : name.endsWith(".json") ? "JSON" : null;
    if (type == null) {
      throw new IllegalArgumentException(
          source.file + ": name the file .avsc, .proto or .json so that its schema type is known");
    }
    return new RegisteredSchema(0, type, Files.readString(source.file));
  }
}
