package dev.floe.app;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code floe} command line. */
@Command(
    name = "floe",
    mixinStandardHelpOptions = true,
    versionProvider = FloeCommand.Version.class,
    description = "Materializes Kafka topics as Apache Iceberg tables, exactly once.",
    subcommands = {
      RunCommand.class,
      DemoCommand.class,
      ValidateCommand.class,
      PlanSchemaCommand.class,
      ReplayDlqCommand.class,
      MaintainCommand.class,
      StatusCommand.class,
      DdlCommand.class
    })
public final class FloeCommand {
  public static void main(String[] args) {
    int code;
    try {
      code = execute(args);
    } catch (
        Throwable
            t) { // an Error escapes picocli's handler; without exit, broker threads would keep the
      // JVM up
      t.printStackTrace();
      code = ExitCodes.FAILED;
    }
    System.exit(code);
  }

  /** Runs a command line and returns its exit code (tests call this instead of main). */
  public static int execute(String... args) {
    CommandLine cli = new CommandLine(new FloeCommand());
    cli.setExecutionExceptionHandler(
        (e, cmd, parsed) -> {
          if (e instanceof BadConfigException) { // its message names the file
            cmd.getErr().println(e.getMessage());
            return ExitCodes.BAD_CONFIG;
          }
          cmd.getErr().println("floe: " + e.getMessage());
          return ExitCodes.FAILED;
        });
    return cli.execute(args);
  }

  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      String v = FloeCommand.class.getPackage().getImplementationVersion();
      return new String[] {"floe " + (v == null ? "dev" : v)};
    }
  }
}
