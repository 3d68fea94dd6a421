package dev.floe.catalogsync;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A real PostgreSQL server from the Debian package ({@code postgresql}), started in a fresh data
 * directory on a free local port with password authentication, and stopped with its data removed.
 * PostgreSQL refuses to run as root, so under root it runs as the package's {@code postgres} user.
 */
final class LocalPostgres implements AutoCloseable {
  static final String USER = "floe";

  private final Path bin;
  private final Path data;
  private final int port;
  private final boolean asPostgresUser;

  private LocalPostgres(Path bin, Path data, int port, boolean asPostgresUser) {
    this.bin = bin;
    this.data = data;
    this.port = port;
    this.asPostgresUser = asPostgresUser;
  }

  /** The server's binaries, or empty when the package is not installed. */
  static Optional<Path> binaries() {
    Path root = Path.of("/usr/lib/postgresql");
    if (!Files.isDirectory(root)) {
      return Optional.empty();
    }
    try (Stream<Path> versions = Files.list(root)) {
      return versions
          .map(v -> v.resolve("bin"))
          .filter(b -> Files.isExecutable(b.resolve("initdb")))
          .max(Path::compareTo);
    } catch (IOException e) {
      return Optional.empty();
    }
  }

  static LocalPostgres start(Path bin, String password) throws Exception {
    boolean root = "root".equals(System.getProperty("user.name"));
    // a directory the postgres user may own: the test's own temp dir is root's, mode 700
    Path data =
        Files.createTempDirectory(
            "floe-pg",
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxrwxrwx")));
    Files.setPosixFilePermissions(data, PosixFilePermissions.fromString("rwxrwxrwx"));
    Path pw = data.resolve("pw");
    Files.writeString(pw, password);
    Path cluster = data.resolve("cluster");
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    LocalPostgres pg = new LocalPostgres(bin, data, port, root);
    pg.run(
        bin.resolve("initdb").toString(),
        "-D",
        cluster.toString(),
        "-U",
        USER,
        "--pwfile=" + pw,
        "--auth=scram-sha-256",
        "-E",
        "UTF8",
        "--no-sync");
    pg.run(
        bin.resolve("pg_ctl").toString(),
        "-D",
        cluster.toString(),
        "-w",
        "-t",
        "60",
        "-l",
        data.resolve("log").toString(),
        "-o",
        "-p " + port + " -k " + data + " -c listen_addresses=127.0.0.1 -c fsync=off",
        "start");
    return pg;
  }

  String url(String database) {
    return "jdbc:postgresql://127.0.0.1:" + port + "/" + database;
  }

  private void run(String... command) throws Exception {
    List<String> cmd = new ArrayList<>();
    if (asPostgresUser) {
      cmd.addAll(List.of("runuser", "-u", "postgres", "--"));
    }
    cmd.addAll(List.of(command));
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes());
    if (!p.waitFor(120, TimeUnit.SECONDS) || p.exitValue() != 0) {
      throw new IllegalStateException(String.join(" ", cmd) + " failed:\n" + out);
    }
  }

  @Override
  public void close() throws Exception {
    try {
      run(
          bin.resolve("pg_ctl").toString(),
          "-D",
          data.resolve("cluster").toString(),
          "-m",
          "immediate",
          "-w",
          "stop");
    } finally {
      try (Stream<Path> files = Files.walk(data)) {
        files.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
      }
    }
  }
}
