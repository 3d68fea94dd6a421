package dev.floe.testsupport;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.floe.embedded.Dirs;
import dev.floe.embedded.FreePorts;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real Apicurio Registry (Confluent-compatible API) running as a child JVM on a free loopback
 * port.
 *
 * <p>A child process rather than in-process: the registry is a Quarkus application with its own,
 * conflicting versions of Jackson, Kafka, Avro and Netty; a separate JVM keeps Floe's classpath
 * exactly what production has.
 *
 * <p>Storage is the distribution's default H2 database, but file-backed in a temp dir instead of
 * in-memory so that {@link #restart()} behaves like restarting a real registry: schemas and ids
 * survive.
 *
 * <p>Ids: the Confluent API ({@link #url()}) speaks in Apicurio <em>content ids</em>. The child is
 * started with {@code registry.ccompat.legacy-id-mode.enabled=false} pinned (the default, but an
 * environment variable could flip it), so {@link #register} returns a content id and {@code GET
 * /schemas/ids/{id}} expects one.
 */
public final class SchemaRegistry implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(SchemaRegistry.class);
  private static final Duration STARTUP_TIMEOUT = Duration.ofSeconds(60);
  private static final Duration STOP_TIMEOUT = Duration.ofSeconds(15);
  private static final String CCOMPAT_PATH = "/apis/ccompat/v7";
  private static final String CORE_V2_PATH = "/apis/registry/v2";
  private static final String CONTENT_TYPE = "application/vnd.schemaregistry.v1+json";
  private static final ObjectMapper JSON = new ObjectMapper();

  private final int port;
  private final Path dataDir;
  private final Path logFile;
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private Process process;
  private Thread shutdownHook;

  private SchemaRegistry(int port, Path dataDir, Path logFile) {
    this.port = port;
    this.dataDir = dataDir;
    this.logFile = logFile;
  }

  /** Launches a registry on a free port and waits (up to 60 s) until its Confluent API answers. */
  public static SchemaRegistry start() {
    int port = FreePorts.pick();
    try {
      Path dataDir = Files.createTempDirectory("floe-apicurio-");
      // Surefire/failsafe run in the module dir, so target/ puts the log next to the test reports.
      Path logDir = Files.isDirectory(Path.of("target")) ? Path.of("target") : dataDir;
      SchemaRegistry registry =
          new SchemaRegistry(
              port, dataDir, logDir.resolve("apicurio-registry-" + port + ".log").toAbsolutePath());
      registry.launch();
      return registry;
    } catch (IOException e) {
      throw new UncheckedIOException("Could not create a data dir for Apicurio Registry", e);
    }
  }

  /**
   * Base URL of the Confluent-compatible API, e.g. {@code http://127.0.0.1:8081/apis/ccompat/v7}.
   */
  public String url() {
    return baseUrl() + CCOMPAT_PATH;
  }

  /** Base URL of Apicurio's own v2 API, which Apicurio's Kafka serdes talk to. */
  public String apicurioV2Url() {
    return baseUrl() + CORE_V2_PATH;
  }

  public int port() {
    return port;
  }

  /** Where the child JVM's stdout and stderr go. */
  public Path logFile() {
    return logFile;
  }

  /**
   * Registers a schema under a subject through the Confluent API and returns its id (an Apicurio
   * content id; the id a Confluent-framed record carries). Registering identical content again
   * returns the same id.
   *
   * @param schemaType {@code AVRO}, {@code PROTOBUF} or {@code JSON}
   */
  public int register(String subject, String schemaType, String schemaText) {
    String body = toJson(Map.of("schema", schemaText, "schemaType", schemaType));
    HttpRequest request =
        HttpRequest.newBuilder(URI.create(url() + "/subjects/" + encode(subject) + "/versions"))
            .header("Content-Type", CONTENT_TYPE)
            .POST(HttpRequest.BodyPublishers.ofString(body))
            .build();
    return json(request, "register a " + schemaType + " schema under subject '" + subject + "'")
        .path("id")
        .asInt();
  }

  /**
   * Registers a schema that refers to version 1 of another subject under {@code referenceName} (a
   * Protobuf import path, a JSON Schema {@code $ref}), as a Confluent producer does, and returns
   * its id.
   */
  public int register(
      String subject,
      String schemaType,
      String schemaText,
      String referenceName,
      String referencedSubject) {
    String body =
        toJson(
            Map.of(
                "schema",
                schemaText,
                "schemaType",
                schemaType,
                "references",
                List.of(
                    Map.of("name", referenceName, "subject", referencedSubject, "version", 1))));
    HttpRequest request =
        HttpRequest.newBuilder(URI.create(url() + "/subjects/" + encode(subject) + "/versions"))
            .header("Content-Type", CONTENT_TYPE)
            .POST(HttpRequest.BodyPublishers.ofString(body))
            .build();
    return json(request, "register a " + schemaType + " schema under subject '" + subject + "'")
        .path("id")
        .asInt();
  }

  /**
   * The schema text the Confluent API returns for an id, i.e. what a Confluent deserializer would
   * use.
   */
  public String schemaById(int id) {
    HttpRequest request =
        HttpRequest.newBuilder(URI.create(url() + "/schemas/ids/" + id)).GET().build();
    return json(request, "look up schema id " + id).path("schema").asText();
  }

  /**
   * Stops the child JVM and starts it again on the same port with the same data; blocks until it
   * answers.
   */
  public synchronized void restart() {
    terminate();
    launch();
  }

  /** Stops the child JVM (and anything it spawned) and deletes its data. */
  public synchronized void stop() {
    terminate();
    Dirs.deleteRecursively(dataDir);
  }

  @Override
  public void close() {
    stop();
  }

  private String baseUrl() {
    return "http://127.0.0.1:" + port;
  }

  private synchronized void launch() {
    long started = System.nanoTime();
    Path runnerJar = ApicurioDistribution.runnerJar();
    ProcessBuilder builder =
        new ProcessBuilder(command(runnerJar))
            .directory(dataDir.toFile())
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()));
    // The distribution reads its JDBC URL from this variable; a file URL makes restarts keep the
    // data.
    builder
        .environment()
        .put("REGISTRY_DATASOURCE_URL", "jdbc:h2:file:" + dataDir.resolve("registry_db"));
    builder.environment().remove("ENABLE_CCOMPAT_LEGACY_ID_MODE");
    try {
      process = builder.start();
    } catch (IOException e) {
      throw new UncheckedIOException(
          "Could not launch Apicurio Registry: " + String.join(" ", command(runnerJar)), e);
    }
    Process launched = process;
    // Without this, a test JVM that exits without stop() would leave an orphaned registry running.
    shutdownHook =
        new Thread(
            () -> {
              destroyTree(launched);
              Dirs.deleteRecursively(dataDir);
            },
            "floe-apicurio-killer-" + port);
    Runtime.getRuntime().addShutdownHook(shutdownHook);
    awaitReady();
    LOG.info(
        "Apicurio Registry up on {} in {} ms (log {})",
        url(),
        Duration.ofNanos(System.nanoTime() - started).toMillis(),
        logFile);
  }

  private List<String> command(Path runnerJar) {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    // Keep the child light: 2-core CI machines also run Kafka and the tests themselves.
    cmd.add("-Xmx256m");
    cmd.add("-XX:+UseSerialGC");
    cmd.add("-XX:TieredStopAtLevel=1");
    cmd.add("-Dquarkus.http.port=" + port);
    // Loopback only: tests must never expose a server beyond this machine.
    cmd.add("-Dquarkus.http.host=127.0.0.1");
    cmd.add("-Dregistry.ccompat.legacy-id-mode.enabled=false");
    // The prod profile opens 20 H2 connections up front; one is plenty for tests and starts faster.
    cmd.add("-D%prod.quarkus.datasource.jdbc.min-size=1");
    cmd.add("-D%prod.quarkus.datasource.jdbc.initial-size=1");
    cmd.add("-jar");
    cmd.add(runnerJar.toString());
    return cmd;
  }

  private void awaitReady() {
    HttpRequest probe =
        HttpRequest.newBuilder(URI.create(url() + "/subjects"))
            .timeout(Duration.ofSeconds(2))
            .GET()
            .build();
    try {
      Awaitility.await("Apicurio Registry on port " + port + " to answer")
          .atMost(STARTUP_TIMEOUT)
          .pollInterval(Duration.ofMillis(200))
          .until(
              () -> {
                if (!process.isAlive()) {
                  return true; // stop polling; reported below
                }
                try {
                  return http.send(probe, HttpResponse.BodyHandlers.discarding()).statusCode()
                      == 200;
                } catch (IOException e) {
                  return false; // not listening yet
                }
              });
    } catch (ConditionTimeoutException e) {
      terminate();
      throw new IllegalStateException(
          "Apicurio Registry did not answer on "
              + url()
              + " within "
              + STARTUP_TIMEOUT.toSeconds()
              + " s. Last lines of "
              + logFile
              + ":\n"
              + logTail(),
          e);
    }
    if (!process.isAlive()) {
      int exit = process.exitValue();
      terminate();
      throw new IllegalStateException(
          "Apicurio Registry exited with code "
              + exit
              + " during startup "
              + "(port "
              + port
              + " taken? broken unpacked distribution in ~/.m2/floe-cache?). Last lines of "
              + logFile
              + ":\n"
              + logTail());
    }
  }

  private void terminate() {
    if (process == null) {
      return;
    }
    destroyTree(process);
    try {
      Runtime.getRuntime().removeShutdownHook(shutdownHook);
    } catch (IllegalStateException alreadyShuttingDown) {
      // The hook is running or about to; nothing left to undo.
    }
    process = null;
    shutdownHook = null;
  }

  /**
   * SIGTERM first so Quarkus closes H2 cleanly; SIGKILL whatever is still alive after the timeout.
   */
  private static void destroyTree(Process root) {
    List<ProcessHandle> tree = new ArrayList<>(root.descendants().toList());
    tree.add(root.toHandle());
    tree.forEach(ProcessHandle::destroy);
    for (ProcessHandle handle : tree) {
      try {
        handle.onExit().get(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
      } catch (Exception notExitedInTime) {
        handle.destroyForcibly();
      }
    }
  }

  private String logTail() {
    try {
      List<String> lines = Files.readAllLines(logFile);
      return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
    } catch (IOException e) {
      return "(log unreadable: " + e + ")";
    }
  }

  private JsonNode json(HttpRequest request, String what) {
    try {
      HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
      if (response.statusCode() / 100 != 2) {
        throw new IllegalStateException(
            "Schema registry refused to "
                + what
                + ": HTTP "
                + response.statusCode()
                + " "
                + response.body());
      }
      return JSON.readTree(response.body());
    } catch (IOException e) {
      throw new UncheckedIOException(
          "Could not "
              + what
              + " at "
              + request.uri()
              + "; is the registry still running? Log: "
              + logFile,
          e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("Interrupted while trying to " + what, e);
    }
  }

  private static String toJson(Object value) {
    try {
      return JSON.writeValueAsString(value);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String encode(String pathSegment) {
    return URLEncoder.encode(pathSegment, StandardCharsets.UTF_8).replace("+", "%20");
  }
}
