package dev.floe.app;

import dev.floe.consumer.KafkaSettings;
import dev.floe.core.FloeException;
import dev.floe.core.config.ConfigParser;
import dev.floe.core.config.FloeConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Consumer;

/** Loads {@code floe.yaml} with the Kafka property names and the process environment. */
final class ConfigFiles {
  private ConfigFiles() {}

  static FloeConfig load(Path file) {
    if (!Files.isRegularFile(file)) {
      throw dev.floe.core.Errors.config(
          "(file)",
          0,
          "config file " + file.toAbsolutePath() + " does not exist",
          "pass the path of your floe.yaml, e.g. floe run --config floe.yaml");
    }
    return parser().parse(file);
  }

  /**
   * Loads a command's config file and runs {@code checks} on it (e.g. the maintenance schedule's).
   * A file that is missing, invalid or refused by a check throws {@link BadConfigException}: the
   * command ends with {@link ExitCodes#BAD_CONFIG} before it starts anything.
   */
  static FloeConfig forCommand(Path file, Consumer<FloeConfig> checks) {
    try {
      FloeConfig config = load(file);
      checks.accept(config);
      return config;
    } catch (FloeException e) {
      throw new BadConfigException(file, e);
    }
  }

  /** {@link #forCommand(Path, Consumer)} without further checks. */
  static FloeConfig forCommand(Path file) {
    return forCommand(file, config -> {});
  }

  static ConfigParser parser() {
    return new ConfigParser(KafkaSettings::isKnownKey, System::getenv);
  }
}
