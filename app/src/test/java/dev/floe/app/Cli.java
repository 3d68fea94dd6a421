package dev.floe.app;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/**
 * Runs {@code floe} in process and captures what it prints. {@link FloeCommand#execute} builds its
 * own picocli {@code CommandLine} writing to {@code System.out} and {@code System.err}, so those
 * are swapped for the duration of the call; everything is still echoed to the real console so that
 * a failing test shows the command's output in its report.
 */
final class Cli {
  record Result(int exitCode, String out, String err) {}

  private Cli() {}

  static synchronized Result floe(String... args) {
    PrintStream realOut = System.out;
    PrintStream realErr = System.err;
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int exitCode;
    try {
      System.setOut(tee(out, realOut));
      System.setErr(tee(err, realErr));
      exitCode = FloeCommand.execute(args);
    } finally {
      System.out.flush();
      System.err.flush();
      System.setOut(realOut);
      System.setErr(realErr);
    }
    return new Result(
        exitCode, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }

  private static PrintStream tee(ByteArrayOutputStream capture, PrintStream console) {
    OutputStream both =
        new OutputStream() {
          @Override
          public void write(int b) {
            capture.write(b);
            console.write(b);
          }

          @Override
          public void write(byte[] b, int off, int len) {
            capture.write(b, off, len);
            console.write(b, off, len);
          }
        };
    return new PrintStream(both, true, StandardCharsets.UTF_8);
  }
}
