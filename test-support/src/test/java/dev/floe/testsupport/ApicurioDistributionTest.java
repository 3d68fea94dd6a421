package dev.floe.testsupport;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import org.junit.jupiter.api.Test;

class ApicurioDistributionTest {

  @Test
  void versionComesFromTheRootPom() {
    assertThat(ApicurioDistribution.version()).isEqualTo("2.6.13.Final");
  }

  @Test
  void runnerJarIsFoundWithoutManualInstallation() {
    // Resolves the zip Maven downloaded for this module's dependencies, unpacking it on first use.
    assertThat(ApicurioDistribution.runnerJar())
        .satisfies(
            jar -> {
              assertThat(Files.isRegularFile(jar)).isTrue();
              assertThat(Files.isDirectory(jar.resolveSibling("lib"))).isTrue();
            });
  }
}
