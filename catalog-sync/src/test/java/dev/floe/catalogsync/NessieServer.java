package dev.floe.catalogsync;

import static org.awaitility.Awaitility.await;

import dev.floe.sinks.iceberg.LocalFileIO;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.apache.iceberg.CatalogProperties;
import org.apache.iceberg.rest.RESTCatalog;

/**
 * A real Nessie 0.99 server (its Quarkus runner jar) in a child JVM of Java 21 or newer, on free
 * local ports, with the in-memory version store and its Iceberg REST endpoint at {@code /iceberg}.
 *
 * <p>The jar is the test dependency {@code org.projectnessie.nessie:nessie-quarkus:runner} of this
 * module (kept off the test class path), found in the local repository that surefire and failsafe
 * name in {@code localRepository}.
 */
final class NessieServer implements AutoCloseable {
  static final String VERSION = "0.99.0";
  static final String JDK_HINT =
      "Nessie "
          + VERSION
          + " needs Java 21 or newer beside the build's Java 17: install one under /usr/lib/jvm"
          + " (e.g. temurin-25-jdk from the Adoptium apt repository, or openjdk-21-jdk) or set"
          + " JAVA21_HOME to its home";

  private static final HttpClient HTTP = HttpClient.newHttpClient();

  private final Process process;
  private final int port;
  private final Path log;

  private NessieServer(Process process, int port, Path log) {
    this.process = process;
    this.port = port;
    this.log = log;
  }

  /**
   * A JDK of version 21 or newer: {@code $JAVA21_HOME}, this JVM, or the newest under {@code
   * /usr/lib/jvm}.
   */
  static Optional<Path> java21() {
    List<Path> homes = new ArrayList<>();
    Optional.ofNullable(System.getenv("JAVA21_HOME")).map(Path::of).ifPresent(homes::add);
    homes.add(Path.of(System.getProperty("java.home")));
    try (Stream<Path> installed = Files.list(Path.of("/usr/lib/jvm"))) {
      installed.sorted((a, b) -> featureOf(b) - featureOf(a)).forEach(homes::add);
    } catch (IOException e) {
      // no JDKs installed the Debian way
    }
    return homes.stream()
        .filter(h -> featureOf(h) >= 21 && Files.isExecutable(h.resolve("bin/java")))
        .map(h -> h.resolve("bin/java"))
        .findFirst();
  }

  /** The feature version in the JDK's {@code release} file, 0 when there is none. */
  private static int featureOf(Path home) {
    try {
      Matcher m =
          Pattern.compile("JAVA_VERSION=\"(\\d+)")
              .matcher(Files.readString(home.resolve("release")));
      return m.find() ? Integer.parseInt(m.group(1)) : 0;
    } catch (IOException e) {
      return 0;
    }
  }

  static Path runnerJar() {
    String repo =
        System.getProperty(
            "localRepository",
            System.getProperty(
                "maven.repo.local",
                Path.of(System.getProperty("user.home"), ".m2", "repository").toString()));
    Path jar =
        Path.of(
            repo,
            "org/projectnessie/nessie/nessie-quarkus",
            VERSION,
            "nessie-quarkus-" + VERSION + "-runner.jar");
    if (!Files.isRegularFile(jar)) {
      throw new IllegalStateException(
          "Nessie's runner jar is not at "
              + jar
              + ": build catalog-sync's tests once online, so that Maven downloads the test"
              + " dependency org.projectnessie.nessie:nessie-quarkus:"
              + VERSION
              + ":jar:runner");
    }
    return jar;
  }

  static NessieServer start(Path dir, Path java) throws IOException {
    return start(dir, java, "s3://floe-unused/", "http://127.0.0.1:1/");
  }

  /**
   * Nessie whose warehouse {@code floe} is {@code location} on the S3-compatible store at {@code
   * endpoint} (path-style, any credentials: S3Mock checks none).
   */
  static NessieServer start(Path dir, Path java, String location, String endpoint)
      throws IOException {
    int port = freePort();
    Path log = dir.resolve("nessie.log");
    List<String> command =
        List.of(
            java.toString(),
            "-Xmx512m",
            "-XX:TieredStopAtLevel=1", // starts faster; the test sends a few requests only
            "-Dquarkus.http.host=127.0.0.1",
            "-Dquarkus.http.port=" + port,
            "-Dquarkus.management.host=127.0.0.1",
            "-Dquarkus.management.port=" + freePort(),
            "-Dnessie.version.store.type=IN_MEMORY",
            // Nessie's catalog serves only object stores (s3, gs, abfs): it needs a warehouse of
            // one to answer /iceberg/v1/config, though the tests' tables never go there
            "-Dnessie.catalog.default-warehouse=floe",
            "-Dnessie.catalog.warehouses.floe.location=" + location,
            "-Dnessie.catalog.service.s3.default-options.region=us-east-1",
            "-Dnessie.catalog.service.s3.default-options.endpoint=" + endpoint,
            "-Dnessie.catalog.service.s3.default-options.path-style-access=true",
            "-Dnessie.catalog.service.s3.default-options.access-key=urn:nessie-secret:quarkus:floe.s3",
            "-Dfloe.s3.name=floe-test",
            "-Dfloe.s3.secret=floe-test-secret",
            "-Dnessie.catalog.object-stores.health-check.enabled=false",
            "-jar",
            runnerJar().toString());
    Process p =
        new ProcessBuilder(command)
            .directory(dir.toFile())
            .redirectErrorStream(true)
            .redirectOutput(log.toFile())
            .start();
    NessieServer nessie = new NessieServer(p, port, log);
    try {
      await()
          .atMost(Duration.ofSeconds(60))
          .pollInterval(Duration.ofMillis(200))
          .until(() -> !p.isAlive() || nessie.answers());
      if (!p.isAlive()) {
        throw new IllegalStateException("Nessie exited:\n" + Files.readString(log));
      }
    } catch (RuntimeException e) {
      nessie.close();
      throw e;
    }
    return nessie;
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  private boolean answers() {
    try {
      HttpRequest config = HttpRequest.newBuilder(URI.create(uri() + "/v1/config")).build();
      return HTTP.send(config, HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  /** The Iceberg REST endpoint, as an Iceberg client or Floe's {@code rest} catalog takes it. */
  String uri() {
    return "http://127.0.0.1:" + port + "/iceberg";
  }

  /** A client that knows Nessie's Iceberg REST catalog and nothing else. */
  /** A reader that knows only Nessie's REST catalog. */
  RESTCatalog newS3Reader(String endpoint) {
    RESTCatalog client = new RESTCatalog();
    Map<String, String> props = new java.util.HashMap<>(s3Properties(endpoint));
    props.put(CatalogProperties.URI, uri());
    client.initialize("reader", props);
    return client;
  }

  /**
   * An S3FileIO of the S3-compatible store at {@code endpoint}, configured as Floe's WarehouseIO
   * configures its own: the S3-only client factory and the small URL-connection HTTP client
   * (Iceberg's defaults need SDK modules Floe does not ship).
   */
  static Map<String, String> s3Properties(String endpoint) {
    return Map.of(
        CatalogProperties.FILE_IO_IMPL,
        "org.apache.iceberg.aws.s3.S3FileIO",
        "s3.endpoint",
        endpoint,
        "s3.path-style-access",
        "true",
        "s3.access-key-id",
        "floe-test",
        "s3.secret-access-key",
        "floe-test-secret",
        "client.region",
        "us-east-1",
        org.apache.iceberg.aws.s3.S3FileIOProperties.CLIENT_FACTORY,
        "org.apache.iceberg.aws.s3.DefaultS3FileIOAwsClientFactory",
        "http-client.type",
        "urlconnection");
  }

  RESTCatalog newReader() {
    RESTCatalog client = new RESTCatalog();
    client.initialize(
        "reader",
        Map.of(
            CatalogProperties.URI,
            uri(),
            CatalogProperties.FILE_IO_IMPL,
            LocalFileIO.class.getName()));
    return client;
  }

  @Override
  public void close() {
    try { // the temp dir goes with the test; the build directory keeps the log for diagnosis
      Files.copy(log, Path.of("target", "nessie.log"), StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException e) {
      // no log to keep
    }
    process.destroy();
    try {
      if (!process.waitFor(20, TimeUnit.SECONDS)) {
        process.destroyForcibly();
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
  }
}
