package dev.floe.app;

import dev.floe.consumer.KafkaSettings;
import dev.floe.core.config.ConfigParser;
import dev.floe.core.config.FloeConfig;
import java.nio.file.Files;
import java.nio.file.Path;

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

  static ConfigParser parser() {
    return new ConfigParser(KafkaSettings::isKnownKey, System::getenv);
  }
}
