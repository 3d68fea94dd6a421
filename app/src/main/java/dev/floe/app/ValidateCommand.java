package dev.floe.app;

import dev.floe.core.config.FloeConfig;
import dev.floe.core.config.TableMapping;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "validate", description = "Checks a config file without connecting anywhere.")
final class ValidateCommand implements Callable<Integer> {
  @Parameters(index = "0", paramLabel = "FILE", description = "the config file, e.g. floe.yaml")
  Path file;

  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    FloeConfig config =
        ConfigFiles.forCommand(file, dev.floe.compaction.MaintenanceScheduler::validate);
    out.printf(
        "%s is valid: %d table mapping(s), group '%s', warehouse %s%n",
        file, config.tables().size(), config.groupId(), config.warehouse());
    for (TableMapping m : config.tables()) {
      String source =
          m.topicPattern() != null
              ? "topics matching /" + m.topicPattern().pattern() + "/"
              : "topics " + m.topics();
      out.printf(
          "  %s -> %s (%s, %s, catalog %s, commit every %s or %d records)%n",
          source,
          m.tableTemplate(),
          m.mode().name().toLowerCase(),
          m.formats().toString().toLowerCase(),
          m.catalog(),
          dev.floe.core.Durations.format(m.commit().interval()),
          m.commit().maxRecords());
    }
    return ExitCodes.OK;
  }
}
