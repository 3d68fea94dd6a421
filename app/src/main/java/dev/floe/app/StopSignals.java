package dev.floe.app;

import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sun.misc.Signal;

/**
 * SIGTERM and SIGINT start a graceful stop instead of JVM shutdown. The final commit must run
 * before shutdown begins: during shutdown, libraries refuse new work (Iceberg's worker pool cannot
 * even initialize, "Shutdown in progress") and their own hooks tear down what the commit needs. A
 * second signal exits at once.
 */
final class StopSignals {
  private static final Logger LOG = LoggerFactory.getLogger(StopSignals.class);

  private StopSignals() {}

  static void onStop(Runnable gracefulStop) {
    AtomicInteger received = new AtomicInteger();
    for (String name : new String[] {"TERM", "INT"}) {
      Signal.handle(
          new Signal(name),
          signal -> {
            if (received.incrementAndGet() == 1) {
              LOG.info(
                  "SIG{} received: committing what was written, then exiting (send it again to exit at once)",
                  name);
              Thread stop = new Thread(gracefulStop, "floe-stop");
              stop.start();
            } else {
              LOG.warn(
                  "SIG{} received again: exiting without the final commit; the next start resumes from the last one",
                  name);
              Runtime.getRuntime().halt(128 + signal.getNumber());
            }
          });
    }
  }
}
