package dev.floe.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * CPU time and memory of a Linux process, read from /proc (no agent, no JMX: the child stays
 * untouched).
 */
final class ProcStats {
  private static final long CLOCK_TICKS = clockTicks();

  private ProcStats() {}

  /**
   * User + system CPU seconds of {@code pid} (all its threads), from /proc/pid/stat fields 14 and
   * 15.
   */
  static double cpuSeconds(long pid) {
    String stat = read(Path.of("/proc", Long.toString(pid), "stat"));
    // the command name (field 2) may hold spaces; fields after it start behind the last ')'
    String[] f = stat.substring(stat.lastIndexOf(')') + 2).trim().split(" ");
    long ticks = Long.parseLong(f[11]) + Long.parseLong(f[12]);
    return (double) ticks / CLOCK_TICKS;
  }

  /** Peak resident set size in bytes (VmHWM), or -1 if the kernel does not report it. */
  static long peakRssBytes(long pid) {
    return statusKb(pid, "VmHWM:") * 1024;
  }

  static long rssBytes(long pid) {
    return statusKb(pid, "VmRSS:") * 1024;
  }

  static long clockTicksPerSecond() {
    return CLOCK_TICKS;
  }

  private static long statusKb(long pid, String key) {
    for (String line : read(Path.of("/proc", Long.toString(pid), "status")).split("\n")) {
      if (line.startsWith(key)) {
        return Long.parseLong(line.substring(key.length()).trim().split("\\s+")[0]);
      }
    }
    return -1;
  }

  private static String read(Path path) {
    try {
      return Files.readString(path);
    } catch (IOException e) {
      throw new IllegalStateException(
          "Cannot read " + path + " (is this Linux, and is the process alive?)", e);
    }
  }

  private static long clockTicks() {
    try {
      Process p = new ProcessBuilder("getconf", "CLK_TCK").redirectErrorStream(true).start();
      String out = new String(p.getInputStream().readAllBytes()).trim();
      p.waitFor();
      return Long.parseLong(out);
    } catch (IOException | NumberFormatException e) {
      return 100; // the Linux default on every mainstream architecture
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return 100;
    }
  }
}
