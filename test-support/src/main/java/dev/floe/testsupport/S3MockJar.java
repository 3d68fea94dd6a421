package dev.floe.testsupport;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;

/**
 * Finds Adobe S3Mock's {@code exec} jar (a runnable Spring Boot jar) in the local Maven repository.
 * floe-test-support declares {@code com.adobe.testing:s3mock:exec} as a runtime dependency with no
 * transitives, so Maven downloads it whenever tests resolve their dependencies; surefire and
 * failsafe name the repository in the {@code localRepository} system property, as for {@link
 * ApicurioDistribution}.
 */
final class S3MockJar {
  private S3MockJar() {}

  static Path path() {
    String repo =
        System.getProperty(
            "localRepository",
            System.getProperty(
                "maven.repo.local",
                Path.of(System.getProperty("user.home"), ".m2", "repository").toString()));
    String v = version();
    Path jar = Path.of(repo, "com", "adobe", "testing", "s3mock", v, "s3mock-" + v + "-exec.jar");
    if (!Files.isRegularFile(jar)) {
      throw new IllegalStateException(
          "S3Mock not found at "
              + jar
              + ". Resolve floe-test-support's test dependencies once (mvn verify -pl app -am"
              + " without -o) so Maven downloads com.adobe.testing:s3mock:"
              + v
              + ":jar:exec.");
    }
    return jar;
  }

  private static String version() {
    Properties versions = new Properties();
    try (InputStream in = S3MockJar.class.getResourceAsStream("versions.properties")) {
      versions.load(in);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return versions.getProperty("s3mock.version");
  }
}
