package dev.floe.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Floe under test, as a child JVM started exactly as a user would ({@code java -Xmx.. -jar
 * floe-app.jar run}), so that its CPU time and resident memory are its own. Its log goes to a file;
 * commit lines are parsed as they come.
 */
final class FloeProcess implements AutoCloseable {
  /** ConsumerWorker's INFO line, one per table commit. */
  private static final Pattern COMMITTED = Pattern.compile("Committed (\\d+) rows in (\\d+) files");

  private static final Pattern STARTING = Pattern.compile("Floe starting");
  private static final Pattern RESUMES = Pattern.compile("resumes at offset");

  record Commit(long nanos, long rows, int files) {}

  private final Process process;
  private final long startedNanos;
  private final BlockingQueue<Commit> commits = new LinkedBlockingQueue<>();
  private final List<Commit> allCommits = new ArrayList<>();
  private volatile long startingNanos = -1;
  private volatile double startingCpu = -1;
  private volatile long assignedNanos = -1;
  private final Thread reader;

  private FloeProcess(Process process, long startedNanos, Path log) throws IOException {
    this.process = process;
    this.startedNanos = startedNanos;
    PrintWriter out = new PrintWriter(Files.newBufferedWriter(log, StandardCharsets.UTF_8), true);
    this.reader = new Thread(() -> readLog(out), "floe-log-reader");
    reader.setDaemon(true);
    reader.start();
  }

  static FloeProcess start(Path appJar, String heap, List<String> jvmOptions, Path config, Path log)
      throws IOException {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-Xmx" + heap);
    command.addAll(jvmOptions);
    command.addAll(
        List.of(
            "-jar",
            appJar.toString(),
            "run",
            "--config",
            config.toString(),
            "--progress-every",
            "5"));
    Files.writeString(log.resolveSibling("floe-command.txt"), String.join(" ", command) + "\n");
    ProcessBuilder builder =
        new ProcessBuilder(command)
            .redirectErrorStream(true)
            .directory(config.getParent().toFile());
    long started = System.nanoTime();
    return new FloeProcess(builder.start(), started, log);
  }

  long pid() {
    return process.pid();
  }

  long startedNanos() {
    return startedNanos;
  }

  /** Nanos when the "Floe starting" line arrived (JVM up, config parsed), or -1. */
  long startingNanos() {
    return startingNanos;
  }

  /**
   * The child's CPU seconds when it logged "Floe starting": the JVM's and picocli's start-up cost.
   */
  double startingCpu() {
    return startingCpu;
  }

  long assignedNanos() {
    return assignedNanos;
  }

  List<Commit> commits() {
    synchronized (allCommits) {
      return List.copyOf(allCommits);
    }
  }

  /** The next commit line, waiting at most {@code millis}; null on timeout. */
  Commit nextCommit(long millis) throws InterruptedException {
    return commits.poll(millis, TimeUnit.MILLISECONDS);
  }

  boolean isAlive() {
    return process.isAlive();
  }

  int exitValue() {
    return process.exitValue();
  }

  private void readLog(PrintWriter out) {
    try (BufferedReader in =
        new BufferedReader(
            new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
      for (String line; (line = in.readLine()) != null; ) {
        long now = System.nanoTime();
        out.println(line);
        if (startingNanos < 0 && STARTING.matcher(line).find()) {
          startingCpu = ProcStats.cpuSeconds(process.pid());
          startingNanos = now;
        } else if (assignedNanos < 0 && RESUMES.matcher(line).find()) {
          assignedNanos = now;
        }
        Matcher m = COMMITTED.matcher(line);
        if (m.find()) {
          Commit c = new Commit(now, Long.parseLong(m.group(1)), Integer.parseInt(m.group(2)));
          synchronized (allCommits) {
            allCommits.add(c);
          }
          commits.add(c);
        }
      }
    } catch (IOException | RuntimeException e) {
      out.println("[bench] log reader stopped: " + e);
    } finally {
      out.close();
    }
  }

  /**
   * SIGTERM (Floe commits what it holds and exits), then SIGKILL if it does not end in a minute.
   */
  @Override
  public void close() throws InterruptedException {
    if (process.isAlive()) {
      process.destroy();
      if (!process.waitFor(60, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor();
      }
    }
    reader.join(5_000);
  }
}
