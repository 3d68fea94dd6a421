package dev.floe.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The Grafana dashboard queries only metrics that docs/operations.md lists. */
class DashboardTest {
  static final Path DOCS = Path.of("..", "docs");

  @Test
  void everyMetricTheDashboardQueriesIsDocumented() throws Exception {
    JsonNode dashboard =
        HttpEndpoint.JSON.readTree(DOCS.resolve("grafana/floe-dashboard.json").toFile());
    Set<String> queried = new TreeSet<>();
    for (JsonNode expr : dashboard.findValues("expr")) {
      queried.addAll(families(expr.asText()));
    }

    assertThat(queried).contains("floe_freshness_seconds", "floe_consumer_lag_records");
    assertThat(documented()).containsAll(queried);
  }

  /** Metric names in {@code text}, without the histogram and summary sample suffixes. */
  static Set<String> families(String text) {
    Set<String> names = new TreeSet<>();
    Matcher m = Pattern.compile("\\b((?:floe|jvm|process|system)_[a-z0-9_]+)").matcher(text);
    while (m.find()) {
      names.add(m.group(1).replaceFirst("_(bucket|sum|count|max)$", ""));
    }
    return names;
  }

  /** The names in the backticks of docs/operations.md's metric table. */
  static Set<String> documented() throws Exception {
    String doc = Files.readString(DOCS.resolve("operations.md"));
    Set<String> names = new TreeSet<>();
    Matcher m = Pattern.compile("`((?:floe|jvm|process|system)_[a-z0-9_]+)`").matcher(doc);
    while (m.find()) {
      names.add(m.group(1));
    }
    return names;
  }
}
