package dev.floe.embedded;

import java.nio.file.Path;

/**
 * Runs a {@link KafkaBroker} as a standalone process so other JVMs (benchmarks, manual runs) can
 * use it.
 *
 * <p>Usage: {@code KafkaBrokerMain [port controllerPort logDir]}. Without arguments it picks free
 * ports and a temporary log dir (deleted on exit); with them, the log dir is kept so a later run
 * continues with the same data. Prints {@code BOOTSTRAP=<host:port>} on its own stdout line once
 * the broker accepts requests, then blocks until the process is terminated (SIGTERM / Ctrl-C); the
 * broker's shutdown hook stops it cleanly.
 */
public final class KafkaBrokerMain {

  private KafkaBrokerMain() {}

  public static void main(String[] args) throws InterruptedException {
    KafkaBroker broker;
    if (args.length == 0) {
      broker = KafkaBroker.start();
    } else if (args.length == 3) {
      broker =
          KafkaBroker.start(Integer.parseInt(args[0]), Integer.parseInt(args[1]), Path.of(args[2]));
    } else {
      System.err.println("Usage: KafkaBrokerMain [port controllerPort logDir]");
      System.exit(2);
      return;
    }
    System.out.println("BOOTSTRAP=" + broker.bootstrapServers());
    System.out.flush();
    Thread.currentThread().join(); // the broker lives until the JVM is told to exit
  }
}
