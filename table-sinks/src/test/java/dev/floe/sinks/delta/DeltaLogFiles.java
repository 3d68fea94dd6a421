package dev.floe.sinks.delta;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.floe.core.TableId;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/** The Delta log read as the protocol writes it: JSON lines, one action each, parsed by Jackson. */
final class DeltaLogFiles {
  private static final ObjectMapper JSON = new ObjectMapper();

  private DeltaLogFiles() {}

  static Path logDir(Path warehouse, String table) {
    return DeltaTableSink.location(warehouse.toString(), TableId.parse(table))
        .resolve("_delta_log");
  }

  static List<JsonNode> actions(Path warehouse, String table, long version) {
    Path file = logDir(warehouse, table).resolve(String.format("%020d.json", version));
    try {
      List<JsonNode> actions = new ArrayList<>();
      for (String line : Files.readAllLines(file)) {
        if (!line.isBlank()) {
          actions.add(JSON.readTree(line));
        }
      }
      return actions;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static Map<String, Long> txns(List<JsonNode> actions) {
    Map<String, Long> txns = new HashMap<>();
    for (JsonNode a : actions) {
      if (a.has("txn")) {
        txns.put(a.get("txn").get("appId").asText(), a.get("txn").get("version").asLong());
      }
    }
    return txns;
  }

  static JsonNode commitInfo(List<JsonNode> actions) {
    return actions.stream()
        .filter(a -> a.has("commitInfo"))
        .findFirst()
        .orElseThrow()
        .get("commitInfo");
  }

  static List<JsonNode> adds(List<JsonNode> actions) {
    return actions.stream().filter(a -> a.has("add")).map(a -> a.get("add")).toList();
  }

  static long latestVersion(Path warehouse, String table) {
    try (Stream<Path> files = Files.list(logDir(warehouse, table))) {
      return files
          .map(p -> p.getFileName().toString())
          .filter(n -> n.matches("\\d{20}\\.json"))
          .mapToLong(n -> Long.parseLong(n.substring(0, 20)))
          .max()
          .orElse(-1);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Data files on disk (not the log's view): what a failed batch must not leave behind. */
  static List<Path> parquetFiles(Path warehouse) {
    try (Stream<Path> files = Files.walk(warehouse)) {
      return files
          .filter(p -> p.toString().endsWith(".parquet") && !p.toString().contains("_delta_log"))
          .toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Oldest first: no partition's txn version ever goes down, none disappears from commitInfo. */
  static void assertOffsetsNeverRegress(Path warehouse, String table, String group) {
    Map<String, Long> txn = new HashMap<>();
    Map<String, Long> listed = new HashMap<>();
    long latest = latestVersion(warehouse, table);
    for (long v = 0; v <= latest; v++) {
      List<JsonNode> actions = actions(warehouse, table, v);
      for (Map.Entry<String, Long> e : txns(actions).entrySet()) {
        Long before = txn.put(e.getKey(), e.getValue());
        assertThat(before == null || before < e.getValue())
            .as("txn %s at version %s moved from %s to %s", e.getKey(), v, before, e.getValue())
            .isTrue();
      }
      JsonNode params = commitInfo(actions).get("operationParameters");
      if (params != null && params.has("floe.offsets." + group)) {
        Map<String, Long> now = new HashMap<>();
        try {
          JsonNode map = JSON.readTree(params.get("floe.offsets." + group).asText());
          for (Iterator<Map.Entry<String, JsonNode>> t = map.fields(); t.hasNext(); ) {
            Map.Entry<String, JsonNode> topic = t.next();
            topic
                .getValue()
                .fields()
                .forEachRemaining(
                    p -> now.put(topic.getKey() + "/" + p.getKey(), p.getValue().asLong()));
          }
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
        for (Map.Entry<String, Long> e : listed.entrySet()) {
          assertThat(now.get(e.getKey()))
              .as("commitInfo of version %s lists %s", v, e.getKey())
              .isNotNull()
              .isGreaterThanOrEqualTo(e.getValue());
        }
        listed = now;
      }
    }
  }
}
