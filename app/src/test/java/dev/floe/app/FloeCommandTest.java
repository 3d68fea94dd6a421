package dev.floe.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
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

  /** A corpus of broken files: each gets one message naming the key (and line) and a fix. */
  @org.junit.jupiter.params.ParameterizedTest(name = "{0}")
  @org.junit.jupiter.params.provider.CsvSource(
      delimiter = '|',
      value = {
        "unknown key|    tabel: x.y|line 10, 'tables[0].tabel': unknown key",
        "wrong type|    commit: { max-records: many }|'tables[0].commit.max-records': 'many' is not a whole number",
        "missing table|    formats: [iceberg]|'tables[0].table': is required",
        "bad transform|    partition-by: [weekday(ts)]|unknown transform 'weekday'",
        "bad enum|    on-error: ignore|'ignore' is not a valid value",
        "dead letter without policy|    dead-letter: { topic: x }|is only used with on-error: dead-letter",
        "bad level|    schema-evolution: yolo|'yolo' is not a valid value",
        "upsert without key|    mode: upsert|'tables[0].key.columns': is required with mode: upsert",
        "bad duration|    commit: { interval: soon }|'soon' is not a duration",
        "bad cron|    maintenance: { compact: every day }|line 10, 'tables[0].maintenance.compact': 'every day' is not a cron expression",
        "short vacuum|    maintenance: { compact: \"0 0 * * * ?\", vacuum: 5m }|line 10, 'tables[0].maintenance.vacuum': is shorter than 1h",
        "bad retention|    maintenance: { compact: \"0 0 * * * ?\", remove-orphans: soon }|'tables[0].maintenance.remove-orphans': 'soon' is not a duration",
        "unknown maintenance key|    maintenance: { compact: \"0 0 * * * ?\", optimise: 1d }|'tables[0].maintenance.optimise': unknown key",
      })
  void validateNamesEachConfigErrorWithItsKey(String what, String line, String message)
      throws IOException {
    String yaml =
        """
        kafka:
          bootstrap.servers: localhost:9092
        schema-registry:
          url: http://localhost:8081
        warehouse: warehouse
        tables:
          - topics: [orders]
            table: sales.orders
        """;
    // CSV values lose their leading blanks: the indentation is added here
    String broken =
        what.equals("missing table")
            ? yaml.replace("    table: sales.orders\n", "") + "    " + line + "\n"
            : yaml + "    # the broken line\n    " + line + "\n";
    Path file = write("broken.yaml", broken);

    Cli.Result result = Cli.floe("validate", file.toString());

    assertThat(result.exitCode()).as(what).isEqualTo(ExitCodes.BAD_CONFIG);
    assertThat(result.err()).as(what).contains(message).contains("Fix:");
    assertThat(result.err().lines().count()).as("one message").isEqualTo(1);
  }

  @Test
  void runStopsWithOneClearMessageWhenNoBrokerAnswers() throws IOException {
    int port = dev.floe.embedded.FreePorts.pick();
    Path file =
        write(
            "unreachable.yaml",
            VALID
                .replace("localhost:9092", "localhost:" + port)
                .replace(
                    "group.id: floe-orders",
                    "group.id: floe-orders\n  default.api.timeout.ms: 1500"));

    Cli.Result result = Cli.floe("run", "--config", file.toString());

    assertThat(result.exitCode()).isEqualTo(ExitCodes.FAILED);
    assertThat(result.err())
        .contains(
            "'kafka.bootstrap.servers': no broker at localhost:"
                + port
                + " answered within 1500 ms")
        .contains("Fix: check the addresses and ports");
  }

  @Test
  void secretsNeverReachTheOutputOfValidateOrAFailingRun() throws IOException {
    int port = dev.floe.embedded.FreePorts.pick();
    Path file =
        write(
            "secret.yaml",
            """
            kafka:
              bootstrap.servers: localhost:%d
              default.api.timeout.ms: 1000
              security.protocol: SASL_PLAINTEXT
              sasl.mechanism: PLAIN
              sasl.jaas.config: org.apache.kafka.common.security.plain.PlainLoginModule required username="u" password="kafka-s3cr3t";
            schema-registry:
              url: http://localhost:%d
              basic-auth: { username: reader, password: registry-s3cr3t }
            warehouse: warehouse
            tables:
              - topics: [orders]
                table: sales.orders
            """
                .formatted(port, port));

    Cli.Result validate = Cli.floe("validate", file.toString());
    Cli.Result run = Cli.floe("run", "--config", file.toString());

    assertThat(validate.exitCode()).isZero();
    assertThat(run.exitCode()).isEqualTo(ExitCodes.FAILED);
    for (Cli.Result r : List.of(validate, run)) {
      assertThat(r.out() + r.err())
          .doesNotContain("kafka-s3cr3t")
          .doesNotContain("registry-s3cr3t");
    }
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
