package dev.floe.app;

import dev.floe.core.config.FloeConfig;
import java.nio.file.Path;
import java.util.function.Consumer;
import picocli.CommandLine.Option;

/** The {@code -c/--config} option of every command that reads a floe.yaml (a picocli mixin). */
final class ConfigOption {
  @Option(
      names = {"-c", "--config"},
      required = true,
      paramLabel = "FILE",
      description = "the config file, e.g. floe.yaml")
  Path file;

  /** The validated config; a bad one ends the command with exit code 2 and what to fix. */
  FloeConfig load() {
    return ConfigFiles.forCommand(file);
  }

  /** {@link #load()} with further checks that a bad config fails. */
  FloeConfig load(Consumer<FloeConfig> checks) {
    return ConfigFiles.forCommand(file, checks);
  }

  /** The file as messages name it. */
  @Override
  public String toString() {
    return file.toString();
  }
}
