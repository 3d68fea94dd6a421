package dev.floe.testsupport;

import dev.floe.embedded.Dirs;
import dev.floe.embedded.FreePorts;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real S3-compatible server, Adobe S3Mock, running as a child JVM on a free loopback port and
 * storing objects in a temp directory. Clients use path-style access ({@code
 * http://127.0.0.1:port/bucket/key}) and any credentials: S3Mock checks no signatures.
 *
 * <p>A child process for the same reason as {@link SchemaRegistry}: S3Mock is a Spring Boot
 * application whose libraries must not mix with Floe's. Its {@code exec} jar comes from the local
 * Maven repository (test-support depends on it), see {@link S3MockJar}.
 */
public final class S3Server implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(S3Server.class);
  // Spring Boot starts in ~10 s alone, in ~30 s on a loaded 2-core machine
  private static final Duration STARTUP_TIMEOUT = Duration.ofSeconds(120);

  private final int port;
  private final Path root;
  private final Path logFile;
  private final Process process;
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  private S3Server(int port, Path root, Path logFile, Process process) {
    this.port = port;
    this.root = root;
    this.logFile = logFile;
    this.process = process;
  }

  /** Launches S3Mock on a free port and waits until it answers. */
  public static S3Server start() {
    int port = FreePorts.pick();
    try {
      Path root = Files.createTempDirectory("floe-s3mock-");
      Path logDir = Files.isDirectory(Path.of("target")) ? Path.of("target") : root;
      Path log = logDir.resolve("s3mock-" + port + ".log").toAbsolutePath();
      Process process =
          new ProcessBuilder(command(port, root))
              .redirectErrorStream(true)
              .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
              .start();
      S3Server server = new S3Server(port, root, log, process);
      Runtime.getRuntime().addShutdownHook(new Thread(server::close, "floe-s3mock-stop-" + port));
      server.awaitReady();
      return server;
    } catch (IOException e) {
      throw new UncheckedIOException("Could not launch S3Mock", e);
    }
  }

  private static List<String> command(int port, Path root) {
    return List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-Xmx256m",
        "-XX:+UseSerialGC",
        "-XX:TieredStopAtLevel=1",
        "-jar",
        S3MockJar.path().toString(),
        "--http.port=" + port,
        // S3Mock always opens an https port too; 0 lets the system pick a free one
        "--server.port=0",
        // loopback only: tests must never expose a server beyond this machine
        "--server.address=127.0.0.1",
        "--com.adobe.testing.s3mock.store.root=" + root,
        // parts of a multipart upload and single PUTs of large files
        "--com.adobe.testing.s3mock.max-payload-size=128MB",
        "--spring.main.banner-mode=off");
  }

  /** The endpoint for path-style clients, e.g. {@code http://127.0.0.1:9090}. */
  public String endpoint() {
    return "http://127.0.0.1:" + port;
  }

  /** Creates a bucket (a no-op if it exists and is ours). */
  public void createBucket(String bucket) {
    HttpRequest put =
        HttpRequest.newBuilder(URI.create(endpoint() + "/" + bucket))
            .PUT(HttpRequest.BodyPublishers.noBody())
            .build();
    int status = send(put);
    if (status != 200 && status != 409) {
      throw new IllegalStateException(
          "S3Mock refused to create bucket "
              + bucket
              + ": HTTP "
              + status
              + " (log "
              + logFile
              + ")");
    }
  }

  /** Keys under {@code prefix} in {@code bucket}, as stored on S3Mock's disk (for assertions). */
  public boolean hasObjectsUnder(String bucket, String prefix) {
    HttpRequest list =
        HttpRequest.newBuilder(
                URI.create(endpoint() + "/" + bucket + "?list-type=2&max-keys=1&prefix=" + prefix))
            .GET()
            .build();
    try {
      String body = http.send(list, HttpResponse.BodyHandlers.ofString()).body();
      return body.contains("<Key>");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /**
   * The ETag of an object: a multipart upload's ends in {@code -<parts>} (the MD5 of the parts'
   * MD5s), a single PUT's is the plain MD5 of the content.
   */
  public String etag(String bucket, String key) {
    HttpRequest head =
        HttpRequest.newBuilder(URI.create(endpoint() + "/" + bucket + "/" + key))
            .method("HEAD", HttpRequest.BodyPublishers.noBody())
            .build();
    try {
      HttpResponse<Void> response = http.send(head, HttpResponse.BodyHandlers.discarding());
      if (response.statusCode() != 200) {
        throw new IllegalStateException(
            "HEAD " + bucket + "/" + key + " answered HTTP " + response.statusCode());
      }
      return response.headers().firstValue("ETag").orElseThrow().replace("\"", "");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  public Path logFile() {
    return logFile;
  }

  @Override
  public synchronized void close() {
    if (process.isAlive()) {
      process.destroy();
      try {
        if (!process.waitFor(15, java.util.concurrent.TimeUnit.SECONDS)) {
          process.destroyForcibly();
        }
      } catch (InterruptedException e) {
        process.destroyForcibly();
        Thread.currentThread().interrupt();
      }
    }
    Dirs.deleteRecursively(root);
  }

  private void awaitReady() {
    HttpRequest probe =
        HttpRequest.newBuilder(URI.create(endpoint() + "/"))
            .timeout(Duration.ofSeconds(2))
            .GET()
            .build();
    try {
      Awaitility.await("S3Mock on port " + port + " to answer")
          .atMost(STARTUP_TIMEOUT)
          .pollInterval(Duration.ofMillis(250))
          .until(() -> !process.isAlive() || trySend(probe) == 200);
    } catch (ConditionTimeoutException e) {
      close();
      throw new IllegalStateException(
          "S3Mock did not answer on " + endpoint() + " in time; log " + logFile, e);
    }
    if (!process.isAlive()) {
      throw new IllegalStateException(
          "S3Mock exited with code " + process.exitValue() + " during start-up; log " + logFile);
    }
    LOG.info("S3Mock up on {} (data {}, log {})", endpoint(), root, logFile);
  }

  private int trySend(HttpRequest request) {
    try {
      return http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
    } catch (IOException notListeningYet) {
      return -1;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return -1;
    }
  }

  private int send(HttpRequest request) {
    int status = trySend(request);
    if (status < 0) {
      throw new IllegalStateException(
          "S3Mock on " + endpoint() + " did not answer; log " + logFile);
    }
    return status;
  }
}
