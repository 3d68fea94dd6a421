package dev.floe.app;

import static org.awaitility.Awaitility.await;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code floe run} in a child JVM, so that tests can kill it with SIGKILL like a crashing machine
 * would. Watches its log for commit starts and progress lines.
 */
final class ChildFloe implements AutoCloseable {
  private static final Pattern PROGRESS = Pattern.compile("Progress: (\\d+) records read");

  private final Process process;
  private final AtomicInteger commitsStarted = new AtomicInteger();
  private final AtomicLong recordsRead = new AtomicLong();
  private final StringBuffer tail = new StringBuffer();
  private volatile String killOn; // a log fragment that makes the reader thread SIGKILL at once
  private volatile boolean stopHandled; // the child logged that SIGTERM now stops it gracefully
  private volatile boolean progressSeen; // the pipeline runs

  private final java.io.PrintWriter logFile;
  private final Thread reader;

  private ChildFloe(Process process, Path log) throws IOException {
    this.process = process;
    java.nio.file.Files.createDirectories(log.getParent());
    this.logFile = new java.io.PrintWriter(java.nio.file.Files.newBufferedWriter(log), true);
    reader = new Thread(this::readLog, "child-floe-log");
    reader.setDaemon(true);
    reader.start();
  }

  /** Starts {@code floe run}; its whole log also goes to {@code log} for post-mortems. */
  static ChildFloe run(Path config, Path log) {
    return command(log, "run", "--config", config.toString(), "--progress-every", "1");
  }

  /** Starts any floe command, e.g. {@code maintain}; its output goes to {@code log}. */
  static ChildFloe command(Path log, String... args) {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    List<String> command = new java.util.ArrayList<>();
    command.addAll(
        List.of(
            java,
            "-Xmx512m",
            "-cp",
            System.getProperty("java.class.path"),
            FloeCommand.class.getName()));
    command.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(command);
    pb.environment().put("FLOE_LOG_LEVEL", "DEBUG");
    pb.redirectErrorStream(true);
    try {
      return new ChildFloe(pb.start(), log);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  int commitsStarted() {
    return commitsStarted.get();
  }

  /** Whether the child has logged progress with at least {@code records} read. */
  boolean hasRead(long records) {
    return progressSeen && recordsRead.get() >= records;
  }

  /**
   * The graceful stop of a run that has work left: waits (up to two minutes, or until it dies) for
   * the child to log at least {@code records} read, then sends SIGTERM; returns the exit code. (The
   * wait for its stop handler is {@link #terminate}'s own.)
   */
  int terminateAfterReading(long records) throws InterruptedException {
    await().atMost(Duration.ofSeconds(120)).until(() -> hasRead(records) || !isAlive());
    return terminate();
  }

  boolean isAlive() {
    return process.isAlive();
  }

  /**
   * SIGKILLs the child from the log reader thread as soon as it logs a line containing {@code
   * fragment}, with no round trip through the test thread: e.g. between two commits.
   */
  void killOnLine(String fragment) {
    killOn = fragment;
  }

  /** SIGKILL: no shutdown hook, no final commit, like a machine losing power. */
  void kill() throws InterruptedException {
    process.destroyForcibly();
    process.waitFor(30, TimeUnit.SECONDS);
    reader.join(5_000);
  }

  /**
   * SIGTERM: the graceful stop path; returns the exit code. Waits first until the child has
   * installed its stop handler (it logs "Floe starting" right after): a SIGTERM before that meets
   * the JVM's default handler, which exits 143 without the final commit.
   */
  int terminate() throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (!stopHandled && process.isAlive() && System.nanoTime() < deadline) {
      Thread.sleep(20);
    }
    process.destroy();
    if (!process.waitFor(60, TimeUnit.SECONDS)) {
      throw new AssertionError("floe did not stop within 60 s of SIGTERM; log tail:\n" + logTail());
    }
    reader.join(5_000); // the log's last lines, for post-mortems
    return process.exitValue();
  }

  String logTail() {
    int from = Math.max(0, tail.length() - 4000);
    return tail.substring(from);
  }

  private void readLog() {
    try (BufferedReader r =
        new BufferedReader(
            new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
      for (String line = r.readLine(); line != null; line = r.readLine()) {
        tail.append(line).append('\n');
        logFile.println(line);
        if (tail.length() > 100_000) {
          tail.delete(0, 50_000);
        }
        String fragment = killOn;
        if (fragment != null && line.contains(fragment)) {
          process.destroyForcibly();
          killOn = null;
        }
        if (line.contains("Floe starting")) {
          stopHandled = true;
        }
        if (line.contains("Committing ")) {
          commitsStarted.incrementAndGet();
        }
        Matcher m = PROGRESS.matcher(line);
        if (m.find()) {
          progressSeen = true;
          recordsRead.set(Long.parseLong(m.group(1)));
        }
      }
    } catch (IOException e) {
      // the process died; that is what these tests do
    } finally {
      logFile.close();
    }
  }

  @Override
  public void close() throws InterruptedException {
    if (process.isAlive()) {
      kill();
    }
  }
}
