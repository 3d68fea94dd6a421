package dev.floe.consumer.route;

import dev.floe.core.config.FloeConfig;
import dev.floe.core.config.TableMapping;
import dev.floe.core.sink.TableSpec;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/** Decides, per topic, which tables its records go to. Resolved once per topic and cached. */
public final class Router {
  private final FloeConfig config;
  private final Map<String, List<TableRoute>> byTopic = new ConcurrentHashMap<>();

  public Router(FloeConfig config) {
    this.config = config;
  }

  /** The tables of a topic, in config order; empty when no mapping matches. */
  public List<TableRoute> routes(String topic) {
    return byTopic.computeIfAbsent(topic, this::resolve);
  }

  private List<TableRoute> resolve(String topic) {
    List<TableRoute> routes = new ArrayList<>();
    for (TableMapping m : config.mappingsFor(topic)) {
      TableSpec spec =
          new TableSpec(
              m.tableFor(topic),
              m.catalog(),
              m.partitionBy(),
              m.targetFileSizeBytes(),
              m.tableProperties(),
              m.key().columns(),
              m.schemaEvolution());
      for (TableMapping.Format f : m.formats()) {
        routes.add(new TableRoute(m, spec, f));
      }
    }
    return List.copyOf(routes);
  }

  /** The fixed topics of all mappings, when no mapping uses a pattern; else empty. */
  public Set<String> fixedTopics() {
    if (usesPatterns()) {
      return Set.of();
    }
    Set<String> topics = new LinkedHashSet<>();
    config.tables().forEach(m -> topics.addAll(m.topics()));
    return topics;
  }

  /**
   * One pattern matching every mapped topic, for subscriptions when some mapping uses a pattern.
   */
  public Pattern subscriptionPattern() {
    return Pattern.compile(
        config.tables().stream()
            .map(
                m ->
                    m.topicPattern() != null
                        ? "(?:" + m.topicPattern().pattern() + ")"
                        : m.topics().stream().map(Pattern::quote).collect(Collectors.joining("|")))
            .collect(Collectors.joining("|")));
  }

  public boolean usesPatterns() {
    return config.tables().stream().anyMatch(m -> m.topicPattern() != null);
  }
}
