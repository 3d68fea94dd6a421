package dev.floe.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Random;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The crash tests' kill/restart loop: {@code floe run} in a child JVM, SIGKILLed once each run has
 * committed something, alternately right after a commit starts and at a random moment, and started
 * again, until it has been killed six times, three of them mid-commit, or the table holds every
 * record. Each run's log stays in {@code logs} for post-mortems.
 */
final class KillLoop {
  private static final Logger LOG = LoggerFactory.getLogger(KillLoop.class);

  /** How a run is brought down right after it starts a commit. */
  enum MidCommit {
    /**
     * The test thread waits for the next "Committing" line and kills: files written, the commit not
     * yet swapped in.
     */
    AFTER_COMMIT_STARTS,
    /**
     * The log reader kills on the "Committing" line itself, with no round trip through the test
     * thread, for formats whose commit is over before the test thread could act.
     */
    ON_COMMIT_LINE
  }

  private final Path config;
  private final Path logs;
  private final LongSupplier tableRows;
  private final long records;

  /**
   * @param tableRows the rows the table holds now; progress, and the end once it reaches {@code
   *     records}
   */
  KillLoop(Path config, Path logs, LongSupplier tableRows, long records) {
    this.config = config;
    this.logs = logs;
    this.tableRows = tableRows;
    this.records = records;
  }

  /** Kills and restarts until the counts are reached or every record landed; returns the kills. */
  int killAndRestart(MidCommit midCommitKill, Random random) throws Exception {
    int kills = 0;
    int midCommitKills = 0;
    while (kills < 6 || midCommitKills < 3) {
      boolean midCommit = kills % 2 == 0; // first, so that even five kills hold three of them
      long before = tableRows.getAsLong();
      try (ChildFloe floe = ChildFloe.run(config, logs.resolve("run-" + kills + ".log"))) {
        // let each run commit something first, so kills interleave with real progress
        await()
            .atMost(Duration.ofSeconds(90))
            .until(() -> tableRows.getAsLong() > before || !floe.isAlive());
        assertAlive(floe);
        if (midCommit) {
          killMidCommit(floe, midCommitKill);
        } else {
          Thread.sleep(random.nextInt(1500));
          assertAlive(floe);
        }
        floe.kill();
      }
      kills++;
      midCommitKills += midCommit ? 1 : 0;
      LOG.info(
          "{}: kill {} ({}): table rows {} -> {}",
          logs,
          kills,
          midCommit ? "mid-commit" : "random",
          before,
          tableRows.getAsLong());
      if (tableRows.getAsLong() >= records) {
        break; // everything landed before we could kill more; the caller's checks still apply
      }
    }
    return kills;
  }

  /**
   * A last run from {@code lastConfig}, which commits only on stop: the rows it reads reach the
   * table only through the SIGTERM path. Asserts it exits 0.
   */
  void stopGracefully(Path lastConfig) throws InterruptedException {
    long remaining = records - tableRows.getAsLong();
    try (ChildFloe floe = ChildFloe.run(lastConfig, logs.resolve("run-final.log"))) {
      int exit = floe.terminateAfterReading(remaining);
      assertThat(exit).as("exit code after SIGTERM; log:\n%s", floe.logTail()).isZero();
    }
  }

  private void killMidCommit(ChildFloe floe, MidCommit how) {
    switch (how) {
      case AFTER_COMMIT_STARTS -> {
        int seen = floe.commitsStarted();
        await()
            .atMost(Duration.ofSeconds(90))
            .until(
                () ->
                    floe.commitsStarted() > seen
                        || !floe.isAlive()
                        || tableRows.getAsLong() >= records);
        assertAlive(floe);
      }
      case ON_COMMIT_LINE -> {
        floe.killOnLine("Committing ");
        await().atMost(Duration.ofSeconds(90)).until(() -> !floe.isAlive());
      }
    }
  }

  private static void assertAlive(ChildFloe floe) {
    assertThat(floe.isAlive()).as("floe died by itself:\n%s", floe.logTail()).isTrue();
  }
}
