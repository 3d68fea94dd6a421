package dev.floe.app;

import dev.floe.core.config.FloeConfig;
import dev.floe.embedded.KafkaBroker;
import dev.floe.testsupport.SchemaRegistry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Builds real configs cheaply: the same YAML a user writes, pointed at the test's broker and
 * registry.
 */
final class TestConfigs {
  private TestConfigs() {}

  /** Writes {@code floe.yaml} into {@code dir} (for child processes too) and parses it. */
  static FloeConfig parse(
      Path dir, KafkaBroker broker, SchemaRegistry registry, String tablesYaml) {
    return ConfigFiles.load(write(dir, broker, registry, "floe-it", tablesYaml));
  }

  static Path write(
      Path dir, KafkaBroker broker, SchemaRegistry registry, String group, String tablesYaml) {
    return write(dir, broker, registry.url(), "30s", group, tablesYaml);
  }

  /** As above, for any Confluent-API registry and registry retry time. */
  static Path write(
      Path dir,
      KafkaBroker broker,
      String registryUrl,
      String retryFor,
      String group,
      String tablesYaml) {
    String yaml =
        """
        kafka:
          bootstrap.servers: %s
          group.id: %s
          session.timeout.ms: 6000
          heartbeat.interval.ms: 1000
        schema-registry:
          url: %s
          retry-for: %s
        warehouse: warehouse
        """
                .formatted(broker.bootstrapServers(), group, registryUrl, retryFor)
            + tablesYaml;
    try {
      Path file = dir.resolve("floe.yaml");
      Files.writeString(file, yaml);
      return file;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
