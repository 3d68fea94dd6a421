package dev.floe.app;

import dev.floe.core.Durations;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(
    name = "demo",
    description =
        "Runs Floe on embedded defaults: an in-process Kafka broker and schema registry,"
            + " sample 'orders' and 'clickstream' events, Iceberg tables in a local warehouse.")
final class DemoCommand implements Callable<Integer> {
  @Option(
      names = "--duration",
      defaultValue = "30s",
      description = "how long to produce events (e.g. 20s, 2m); default ${DEFAULT-VALUE}")
  String duration;

  @Option(
      names = "--dir",
      defaultValue = "floe-demo",
      description = "working directory, emptied first; default ./${DEFAULT-VALUE}")
  Path dir;

  @Option(
      names = "--rate",
      defaultValue = "2000",
      description = "events per second; default ${DEFAULT-VALUE}")
  int rate;

  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    Duration d;
    try {
      d = Durations.parse(duration);
    } catch (IllegalArgumentException e) {
      throw new picocli.CommandLine.ParameterException(
          spec.commandLine(), "--duration: " + e.getMessage() + "; write e.g. 20s, 2m or 1h");
    }
    return new Demo(dir.toAbsolutePath(), d, rate, spec.commandLine().getOut()).run()
        ? ExitCodes.OK
        : ExitCodes.FAILED;
  }
}
