package dev.floe.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.floe.core.config.FloeConfig;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.iceberg.Table;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code floe demo} as a first-time user runs it: embedded broker and registry, sample events,
 * Iceberg tables in a local warehouse, and a report that every event landed exactly once.
 */
class DemoIT {
  private static final Pattern TABLE_ROWS =
      Pattern.compile("== ([\\w.]+): ([\\d,. \u00a0\u202f]+) rows");
  private static final Pattern PRODUCED =
      Pattern.compile("Produced ([\\d,. \u00a0\u202f]+) events; the tables hold");

  @TempDir Path dir;

  @Test
  @Timeout(120)
  void demoMaterializesEveryEventExactlyOnceAndLeavesAValidConfig() {
    Cli.Result demo =
        Cli.floe("demo", "--duration", "8s", "--rate", "500", "--dir", dir.toString());

    assertThat(demo.exitCode()).as(demo.out() + demo.err()).isZero();
    assertThat(demo.out()).contains("(every event exactly once)");
    assertThat(demo.out()).containsPattern("Metrics on http://localhost:[1-9][0-9]*/metrics");

    Path configFile = dir.resolve("floe.yaml");
    Cli.Result validate = Cli.floe("validate", configFile.toString());
    assertThat(validate.exitCode()).as(validate.err()).isZero();
    assertThat(validate.out()).contains("2 table mapping(s)");

    FloeConfig config = ConfigFiles.load(configFile);
    long produced = number(PRODUCED, demo.out(), "produced");
    long orders = printedRows(demo.out(), "sales.orders");
    long clicks = printedRows(demo.out(), "web.clickstream");
    assertThat(orders).isPositive();
    assertThat(clicks).isPositive();
    assertThat(orders + clicks).isEqualTo(produced);
    assertThat(IcebergTables.rows(config, "sales.orders")).hasSize((int) orders);
    assertThat(IcebergTables.rows(config, "web.clickstream")).hasSize((int) clicks);
    for (String name : new String[] {"sales.orders", "web.clickstream"}) {
      Table table = IcebergTables.load(config, name);
      assertThat(table.location())
          .as("%s lives in the demo warehouse", name)
          .contains(dir.resolve("warehouse").toString());
    }
  }

  private static long printedRows(String out, String table) {
    Matcher m = TABLE_ROWS.matcher(out);
    while (m.find()) {
      if (m.group(1).equals(table)) {
        return digits(m.group(2));
      }
    }
    throw new AssertionError("no row count printed for " + table + " in:\n" + out);
  }

  private static long number(Pattern pattern, String out, String what) {
    Matcher m = pattern.matcher(out);
    assertThat(m.find()).as("%s printed in:%n%s", what, out).isTrue();
    return digits(m.group(1));
  }

  /** Counts are printed with the default locale's grouping separator. */
  private static long digits(String grouped) {
    return Long.parseLong(grouped.replaceAll("\\D", ""));
  }
}
