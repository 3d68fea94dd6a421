package dev.floe.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The {@code floe} command line as a user meets it: exit codes and what it prints. */
class FloeCommandTest {
  private static final String VALID =
      """
      kafka:
        bootstrap.servers: localhost:9092
        group.id: floe-orders
      schema-registry:
        url: http://localhost:8081
      warehouse: warehouse
      tables:
        - topics: [orders]
          table: sales.orders
          commit: { interval: 10s, max-records: 5000 }
        - topic-pattern: "web\\\\..*"
          table: web.${topic}
      """;

  @TempDir Path dir;

  @Test
  void validateAcceptsAValidFileAndPrintsItsMappings() throws IOException {
    Path file = write("floe.yaml", VALID);

    Cli.Result result = Cli.floe("validate", file.toString());

    assertThat(result.exitCode()).isZero();
    assertThat(result.err()).isEmpty();
    assertThat(result.out())
        .contains(file + " is valid: 2 table mapping(s), group 'floe-orders'")
        .contains("warehouse " + dir.resolve("warehouse"))
        .contains("topics [orders] -> sales.orders (append, [iceberg], catalog local")
        .contains("5000 records")
        .contains("topics matching /web\\..*/ -> web.${topic}");
  }

  @Test
  void validateRejectsAnUnknownKeyNamingItsPathAndLine() throws IOException {
    Path file = write("floe.yaml", VALID + "    comit: { interval: 10s }\n");

    Cli.Result result = Cli.floe("validate", file.toString());

    assertThat(result.exitCode()).isEqualTo(ExitCodes.BAD_CONFIG);
    assertThat(result.err())
        .contains(file.toString())
        .contains("line 13, 'tables[1].comit': unknown key")
        .contains("did you mean 'commit'");
    assertThat(result.out()).doesNotContain("is valid");
  }

  @Test
  void validateRejectsABadDurationNamingItsPathAndLine() throws IOException {
    Path file = write("floe.yaml", VALID.replace("interval: 10s", "interval: soon"));

    Cli.Result result = Cli.floe("validate", file.toString());

    assertThat(result.exitCode()).isEqualTo(ExitCodes.BAD_CONFIG);
    assertThat(result.err())
        .contains("'tables[0].commit.interval': 'soon' is not a duration")
        .contains("line 10");
  }

  @Test
  void runWithAMissingConfigFileSaysSoAndStartsNothing() {
    Path missing = dir.resolve("missing.yaml");

    Cli.Result result = Cli.floe("run", "--config", missing.toString());

    assertThat(result.exitCode()).isEqualTo(ExitCodes.BAD_CONFIG);
    assertThat(result.err())
        .contains("config file " + missing.toAbsolutePath() + " does not exist")
        .contains("floe run --config floe.yaml");
  }

  @Test
  void validateWithAMissingFileSaysSo() {
    Path missing = dir.resolve("missing.yaml");

    Cli.Result result = Cli.floe("validate", missing.toString());

    assertThat(result.exitCode()).isEqualTo(ExitCodes.BAD_CONFIG);
    assertThat(result.err()).contains("does not exist");
  }

  @Test
  void versionPrintsTheVersion() {
    Cli.Result result = Cli.floe("--version");

    assertThat(result.exitCode()).isZero();
    assertThat(result.out()).startsWith("floe ");
  }

  @Test
  void helpListsTheSubcommands() {
    Cli.Result result = Cli.floe("--help");

    assertThat(result.exitCode()).isZero();
    assertThat(result.out()).contains("run", "demo", "validate");
  }

  private Path write(String name, String yaml) throws IOException {
    return Files.writeString(dir.resolve(name), yaml);
  }
}
