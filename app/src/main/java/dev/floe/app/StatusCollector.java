package dev.floe.app;

import dev.floe.consumer.PipelineStats;
import dev.floe.consumer.TableProgress;
import dev.floe.core.PartitionOffsets;
import dev.floe.core.SourcePartition;
import dev.floe.core.TableId;
import dev.floe.core.config.FloeConfig;
import dev.floe.core.config.TableMapping;
import dev.floe.core.sink.TableSink;
import dev.floe.core.sink.TableSpec;
import dev.floe.core.sink.TableSummary;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;

/**
 * Builds each table's status from the tables themselves (their latest commit and the offsets it
 * records for the group) and the brokers (end offsets); a running instance adds what only it knows:
 * freshness and the last error.
 */
final class StatusCollector {
  private static final long TIMEOUT_S = 30;

  private final FloeConfig config;
  private final Map<String, TableSink> sinks;
  private final Admin admin;
  private final PipelineStats live;

  /**
   * @param live the running pipeline's stats, or null when collecting from outside
   */
  StatusCollector(
      FloeConfig config, Map<String, TableSink> sinks, Admin admin, PipelineStats live) {
    this.config = config;
    this.sinks = sinks;
    this.admin = admin;
    this.live = live;
  }

  static final String LIVE = "running instance";
  static final String TABLES = "tables and brokers";

  StatusReport report() throws Exception {
    return new StatusReport(live == null ? TABLES : LIVE, collect());
  }

  private List<TableStatus> collect() throws Exception {
    Set<String> topics = admin.listTopics().names().get(TIMEOUT_S, TimeUnit.SECONDS);
    // table -> mapping and source topics, in config order
    Map<TableId, TableMapping> mappings = new LinkedHashMap<>();
    Map<TableId, List<String>> sources = new LinkedHashMap<>();
    for (TableMapping m : config.tables()) {
      List<String> mine =
          m.topicPattern() == null
              ? m.topics()
              : topics.stream().filter(m::matches).sorted().toList();
      for (String topic : mine) {
        TableId id = m.tableFor(topic);
        mappings.putIfAbsent(id, m);
        sources.computeIfAbsent(id, k -> new ArrayList<>()).add(topic);
      }
    }
    Map<TopicPartition, Long> ends =
        ends(sources.values().stream().flatMap(List::stream).filter(topics::contains).toList());
    Map<String, TableProgress> progress = new HashMap<>();
    if (live != null) {
      live.tables().forEach(p -> progress.put(p.format() + ":" + p.table(), p));
    }
    List<TableStatus> out = new ArrayList<>();
    for (Map.Entry<TableId, TableMapping> e : mappings.entrySet()) {
      TableMapping m = e.getValue();
      TableSpec spec = m.spec(e.getKey());
      for (TableMapping.Format format : m.formats()) {
        String name = format.name().toLowerCase(Locale.ROOT);
        TableSink sink = sinks.get(name);
        out.add(
            status(
                spec, sink, sources.get(e.getKey()), ends, progress.get(name + ":" + e.getKey())));
      }
    }
    return out;
  }

  private TableStatus status(
      TableSpec spec,
      TableSink sink,
      List<String> topics,
      Map<TopicPartition, Long> ends,
      TableProgress progress) {
    TableSummary summary = sink.summary(spec);
    PartitionOffsets committed = sink.committedOffsets(spec, config.groupId());
    List<TableStatus.PartitionStatus> partitions = new ArrayList<>();
    long lag = 0;
    for (Map.Entry<TopicPartition, Long> end : new TreeMap<>(byName(ends)).values()) {
      TopicPartition tp = end.getKey();
      if (!topics.contains(tp.topic())) {
        continue;
      }
      Long next = committed.next(new SourcePartition(tp.topic(), tp.partition()));
      long behind = Math.max(0, end.getValue() - (next == null ? 0 : next));
      lag += behind;
      partitions.add(
          new TableStatus.PartitionStatus(
              tp.topic(), tp.partition(), next, end.getValue(), behind));
    }
    String lastError = progress == null ? null : progress.lastError();
    // the running instance knows its latest commit; the table records the newest committed record
    long newest =
        progress != null && progress.newestRecordMillis() > 0
            ? progress.newestRecordMillis()
            : summary == null ? 0 : summary.newestRecordMillis();
    Double freshness = newest > 0 ? (System.currentTimeMillis() - newest) / 1000.0 : null;
    return new TableStatus(
        spec.id().toString(),
        sink.format(),
        summary == null ? null : summary.version(),
        summary == null ? null : summary.lastCommitMillis(),
        summary == null ? null : summary.rows(),
        summary == null ? null : summary.files(),
        partitions,
        lag,
        freshness,
        lastError);
  }

  /** Sorted by topic then partition, for stable output. */
  private static Map<String, Map.Entry<TopicPartition, Long>> byName(
      Map<TopicPartition, Long> ends) {
    Map<String, Map.Entry<TopicPartition, Long>> out = new HashMap<>();
    ends.entrySet()
        .forEach(
            e -> out.put(e.getKey().topic() + String.format("%08d", e.getKey().partition()), e));
    return out;
  }

  /** End offsets as a read_committed consumer sees them: the last stable offset. */
  private Map<TopicPartition, Long> ends(List<String> topics) throws Exception {
    if (topics.isEmpty()) {
      return Map.of();
    }
    Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
    admin
        .describeTopics(topics)
        .allTopicNames()
        .get(TIMEOUT_S, TimeUnit.SECONDS)
        .values()
        .forEach(
            d ->
                d.partitions()
                    .forEach(
                        p ->
                            latest.put(
                                new TopicPartition(d.name(), p.partition()), OffsetSpec.latest())));
    IsolationLevel isolation =
        "read_uncommitted".equals(config.kafka().get("isolation.level"))
            ? IsolationLevel.READ_UNCOMMITTED
            : IsolationLevel.READ_COMMITTED;
    Map<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo> infos =
        admin
            .listOffsets(latest, new ListOffsetsOptions(isolation))
            .all()
            .get(TIMEOUT_S, TimeUnit.SECONDS);
    Map<TopicPartition, Long> out = new HashMap<>();
    infos.forEach((tp, info) -> out.put(tp, info.offset()));
    return out;
  }
}
