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
  private final Map<String, String> replayed; // dead-letter topic -> source topic; null normally
  private final dev.floe.core.TableId only; // with replayed: the one table replayed into

  public Router(FloeConfig config) {
    this(config, null, null);
  }

  private Router(FloeConfig config, Map<String, String> replayed, dev.floe.core.TableId only) {
    this.config = config;
    this.replayed = replayed == null ? null : Map.copyOf(replayed);
    this.only = only;
  }

  /**
   * Routes for replaying dead letters into {@code table}: each dead-letter topic (a key of {@code
   * sources}) routes like its source topic, but only to {@code table}.
   */
  public static Router replaying(
      FloeConfig config, Map<String, String> sources, dev.floe.core.TableId table) {
    return new Router(config, sources, table);
  }

  /** The tables of a topic, in config order; empty when no mapping matches. */
  public List<TableRoute> routes(String topic) {
    return byTopic.computeIfAbsent(topic, this::resolveConsumed);
  }

  private List<TableRoute> resolveConsumed(String topic) {
    if (replayed == null) {
      return resolve(topic);
    }
    String source = replayed.get(topic);
    return source == null
        ? List.of()
        : resolve(source).stream().filter(r -> r.spec().id().equals(only)).toList();
  }

  private List<TableRoute> resolve(String topic) {
    List<TableRoute> routes = new ArrayList<>();
    for (TableMapping m : config.mappingsFor(topic)) {
      TableSpec spec = m.spec(m.tableFor(topic));
      for (TableMapping.Format f : m.formats()) {
        routes.add(new TableRoute(m, spec, f));
      }
    }
    return List.copyOf(routes);
  }

  /** The fixed topics of all mappings, when no mapping uses a pattern; else empty. */
  public Set<String> fixedTopics() {
    if (replayed != null) {
      return new LinkedHashSet<>(replayed.keySet());
    }
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
    return replayed == null && config.tables().stream().anyMatch(m -> m.topicPattern() != null);
  }
}
