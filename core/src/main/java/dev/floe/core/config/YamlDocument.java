package dev.floe.core.config;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.floe.core.Errors;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Map;

/**
 * A parsed YAML file plus the line of every key, so that validation errors can point at the line.
 * Jackson's tree forgets locations, so a first pass over the token stream records them by path
 * ({@code tables[0].commit.interval}).
 */
final class YamlDocument {
  private static final YAMLFactory YAML = new YAMLFactory();
  private final JsonNode root;
  private final Map<String, Integer> lines;

  private YamlDocument(JsonNode root, Map<String, Integer> lines) {
    this.root = root;
    this.lines = lines;
  }

  static YamlDocument parse(String text) {
    try {
      JsonNode root = new ObjectMapper(YAML).readTree(text);
      return new YamlDocument(root, lineIndex(text));
    } catch (IOException e) {
      int line =
          e instanceof com.fasterxml.jackson.core.JsonProcessingException jpe
                  && jpe.getLocation() != null
              ? jpe.getLocation().getLineNr()
              : 0;
      throw Errors.config(
          "(file)",
          line,
          "not valid YAML: " + firstLine(e.getMessage()),
          "check indentation and quoting near that line");
    }
  }

  JsonNode root() {
    return root;
  }

  /** Line of the key at {@code path}, or 0 when unknown. */
  int line(String path) {
    return lines.getOrDefault(path, 0);
  }

  private static Map<String, Integer> lineIndex(String text) throws IOException {
    Map<String, Integer> lines = new HashMap<>();
    // Each frame is the path of an open container and, for arrays, the next element index.
    Deque<String> paths = new ArrayDeque<>();
    Deque<int[]> indexes = new ArrayDeque<>();
    try (JsonParser p = YAML.createParser(text)) {
      String field = null;
      for (JsonToken t = p.nextToken(); t != null; t = p.nextToken()) {
        int line = p.currentTokenLocation().getLineNr();
        if (t == JsonToken.FIELD_NAME) {
          field = paths.isEmpty() ? p.currentName() : join(paths.peek(), p.currentName());
          lines.put(field, line);
          continue;
        }
        String here = valuePath(paths, indexes, field);
        if (t == JsonToken.START_OBJECT || t == JsonToken.START_ARRAY) {
          lines.putIfAbsent(here, line);
          paths.push(here);
          indexes.push(new int[] {t == JsonToken.START_ARRAY ? 0 : -1});
        } else if (t == JsonToken.END_OBJECT || t == JsonToken.END_ARRAY) {
          paths.pop();
          indexes.pop();
        } else {
          lines.putIfAbsent(here, line);
        }
        field = null;
      }
    }
    return lines;
  }

  private static String valuePath(Deque<String> paths, Deque<int[]> indexes, String field) {
    if (field != null) {
      return field;
    }
    if (indexes.isEmpty()) {
      return "";
    }
    int[] index = indexes.peek();
    return index[0] >= 0 ? paths.peek() + "[" + index[0]++ + "]" : paths.peek();
  }

  private static String join(String parent, String name) {
    return parent.isEmpty() ? name : parent + "." + name;
  }

  private static String firstLine(String s) {
    return s == null ? "" : s.lines().findFirst().orElse("");
  }
}
