package dev.floe.testsupport;

import dev.floe.embedded.Dirs;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Enumeration;
import java.util.Properties;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Finds the Apicurio Registry server distribution (runner jar + {@code lib/}) that {@link
 * SchemaRegistry} launches.
 *
 * <p>How it gets there: floe-test-support declares {@code
 * io.apicurio:apicurio-registry-app:zip:all} as a runtime dependency (all transitives excluded).
 * Maven therefore downloads the zip into the local repository whenever test-support or any module
 * that depends on it (with test scope) resolves its test dependencies. Nothing has to be installed
 * by hand. Maven does not put {@code zip} artifacts on the test classpath, so the zip is located in
 * the local repository instead.
 *
 * <p>Lookup order, first hit wins:
 *
 * <ol>
 *   <li>system property {@value #HOME_PROPERTY}: an already unpacked distribution directory;
 *   <li>the zip in the local repository named by the {@code localRepository} system property, which
 *       surefire and failsafe set in every test JVM to the repository Maven really used (honoring
 *       settings.xml and {@code -Dmaven.repo.local});
 *   <li>otherwise {@code maven.repo.local}, otherwise {@code ~/.m2/repository} (IDE runs).
 * </ol>
 *
 * A zip is unpacked once into {@value #CACHE_PROPERTY} (default {@code ~/.m2/floe-cache}) and
 * reused afterwards; unpacking goes to a temporary sibling directory that is renamed atomically, so
 * concurrent JVMs are safe.
 */
final class ApicurioDistribution {

  static final String HOME_PROPERTY = "floe.apicurio.home";
  static final String CACHE_PROPERTY = "floe.cache.dir";

  private static final Logger LOG = LoggerFactory.getLogger(ApicurioDistribution.class);

  private ApicurioDistribution() {}

  static String version() {
    Properties versions = new Properties();
    try (InputStream in = ApicurioDistribution.class.getResourceAsStream("versions.properties")) {
      if (in == null) {
        throw new IllegalStateException(
            "versions.properties missing from floe-test-support; rebuild it");
      }
      versions.load(in);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return versions.getProperty("apicurio.version");
  }

  /**
   * Returns the runner jar to launch with {@code java -jar}, unpacking the distribution first if
   * needed.
   */
  static synchronized Path runnerJar() {
    String runnerName = runnerJarName();
    String home = System.getProperty(HOME_PROPERTY);
    if (home != null && !home.isBlank()) {
      Path jar = Path.of(home).resolve(runnerName);
      if (!Files.isRegularFile(jar)) {
        throw new IllegalStateException(
            "-D"
                + HOME_PROPERTY
                + "="
                + home
                + " does not contain "
                + runnerName
                + ". Point it at an unpacked apicurio-registry-app-"
                + version()
                + "-all.zip or unset it.");
      }
      return jar;
    }
    Path zip = zipFromLocalRepository();
    return unpackedOnce(zip).resolve(runnerName);
  }

  private static String runnerJarName() {
    return "apicurio-registry-app-" + version() + "-runner.jar";
  }

  private static Path zipFromLocalRepository() {
    String repo =
        System.getProperty(
            "localRepository",
            System.getProperty(
                "maven.repo.local",
                Path.of(System.getProperty("user.home"), ".m2", "repository").toString()));
    String v = version();
    Path zip =
        Path.of(
            repo,
            "io",
            "apicurio",
            "apicurio-registry-app",
            v,
            "apicurio-registry-app-" + v + "-all.zip");
    if (!Files.isRegularFile(zip)) {
      throw new IllegalStateException(
          "Apicurio Registry distribution not found at "
              + zip
              + ". Build "
              + "floe-test-support once (mvn -f test-support/pom.xml "
              + "install) so Maven downloads io.apicurio:apicurio-registry-app:"
              + v
              + ":zip:all, or set -D"
              + HOME_PROPERTY
              + " to an unpacked copy.");
    }
    return zip;
  }

  private static Path unpackedOnce(Path zip) {
    String defaultCache = Path.of(System.getProperty("user.home"), ".m2", "floe-cache").toString();
    Path cache = Path.of(System.getProperty(CACHE_PROPERTY, defaultCache));
    Path target = cache.resolve("apicurio-" + version());
    if (Files.isRegularFile(target.resolve(runnerJarName()))) {
      return target;
    }
    try {
      Files.createDirectories(cache);
      Path staging = Files.createTempDirectory(cache, "apicurio-unpacking-");
      long started = System.nanoTime();
      unzip(zip, staging);
      try {
        Files.move(staging, target, StandardCopyOption.ATOMIC_MOVE);
      } catch (FileAlreadyExistsException
          | DirectoryNotEmptyException
          | AtomicMoveNotSupportedException e) {
        // Another JVM finished first; its copy is identical, ours is redundant.
        LOG.debug("Apicurio already unpacked by another process into {}", target);
        Dirs.deleteRecursively(staging);
      }
      LOG.info(
          "Unpacked {} into {} in {} ms",
          zip.getFileName(),
          target,
          (System.nanoTime() - started) / 1_000_000);
      return target;
    } catch (IOException e) {
      throw new UncheckedIOException(
          "Could not unpack "
              + zip
              + " into "
              + cache
              + ". Check free disk space "
              + "and permissions, or set -D"
              + CACHE_PROPERTY
              + " to a writable directory.",
          e);
    }
  }

  private static void unzip(Path zip, Path into) throws IOException {
    try (ZipFile zipFile = new ZipFile(zip.toFile())) {
      Enumeration<? extends ZipEntry> entries = zipFile.entries();
      while (entries.hasMoreElements()) {
        ZipEntry entry = entries.nextElement();
        Path out = into.resolve(entry.getName()).normalize();
        if (!out.startsWith(into)) {
          throw new IOException("Refusing zip entry outside the target dir: " + entry.getName());
        }
        if (entry.isDirectory()) {
          Files.createDirectories(out);
        } else {
          Files.createDirectories(out.getParent());
          try (InputStream in = zipFile.getInputStream(entry)) {
            Files.copy(in, out);
          }
        }
      }
    }
  }
}
