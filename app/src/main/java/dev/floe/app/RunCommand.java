package dev.floe.app;

import dev.floe.core.FloeException;
import dev.floe.core.config.FloeConfig;
import java.util.concurrent.Callable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(
    name = "run",
    description =
        "Runs the pipeline until stopped (SIGTERM or Ctrl-C commits what was written, then exits).")
final class RunCommand implements Callable<Integer> {
  private static final Logger LOG = LoggerFactory.getLogger(RunCommand.class);

  @Mixin ConfigOption config;

  @Option(
      names = "--progress-every",
      defaultValue = "30",
      paramLabel = "SECONDS",
      description = "seconds between progress log lines; default ${DEFAULT-VALUE}")
  int progressEvery;

  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() throws InterruptedException {
    FloeConfig parsed = config.load(dev.floe.compaction.MaintenanceScheduler::validate);
    try {
      java.util.Set<String> topics = dev.floe.consumer.KafkaReachability.check(parsed.kafka());
      dev.floe.consumer.KafkaReachability.unmatched(parsed, topics).forEach(LOG::warn);
      dev.floe.sinks.iceberg.WarehouseReachability.check(parsed);
    } catch (FloeException e) {
      spec.commandLine().getErr().println("floe: " + e.getMessage());
      return ExitCodes.FAILED;
    }
    Materializer materializer;
    try (Metrics metrics = new Metrics()) {
      materializer = new Materializer(parsed, metrics.registry());
      // the endpoint is up before the pipeline starts: live at once, ready once positioned
      try (Operations operations = Operations.start(parsed, materializer, metrics)) {
        StopSignals.onStop(materializer::close);
        LOG.info(
            "Floe starting: {} table mapping(s), group '{}', {} worker(s)",
            parsed.tables().size(),
            parsed.groupId(),
            parsed.workers());
        materializer.start();
        reportProgress(materializer);
        materializer.awaitStop();
      } catch (FloeException e) { // the configured HTTP port cannot be bound
        spec.commandLine().getErr().println("floe: " + e.getMessage());
        return ExitCodes.FAILED;
      } finally {
        materializer.close();
      }
    }
    return exitCode(materializer);
  }

  /**
   * Logs a progress line every {@code --progress-every} seconds; on a terminal, while the backlog
   * is large, also keeps one live line with rate and ETA on stderr.
   */
  private void reportProgress(Materializer materializer) {
    CatchUpProgress logged = new CatchUpProgress(materializer.stats());
    materializer.reportEvery(progressEvery, s -> LOG.info(logged.line()));
    if (System.console() != null) {
      CatchUpProgress live = new CatchUpProgress(materializer.stats());
      materializer.reportEvery(
          1,
          s -> {
            String line = live.line();
            if (live.largeBacklog()) {
              System.err.print("\r\033[K" + line);
              System.err.flush();
            }
          });
    }
  }

  private int exitCode(Materializer materializer) {
    Throwable failure = materializer.failure();
    if (failure != null) {
      spec.commandLine().getErr().println("floe: stopped: " + failure.getMessage());
      return ExitCodes.FAILED;
    }
    return ExitCodes.OK;
  }
}
