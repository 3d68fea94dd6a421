package dev.floe.consumer;

import dev.floe.consumer.route.Router;
import dev.floe.consumer.route.TableRoute;
import dev.floe.core.PartitionOffsets;
import dev.floe.core.SourcePartition;
import dev.floe.core.sink.TableSink;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Puts assigned partitions where their tables say: reads each table's committed offsets, records
 * them in the ledger (what fencing expects and where each table's records start), and seeks each
 * partition to the smallest start among its tables. The table is the truth; the group's own offsets
 * are not consulted.
 */
final class PartitionPositioner {
  private static final Logger LOG = LoggerFactory.getLogger(PartitionPositioner.class);

  private final Consumer<byte[], byte[]> consumer;
  private final String group;
  private final Router router;
  private final Function<TableRoute, TableSink> sinks;
  private final String resetPolicy;
  private final OffsetLedger ledger;

  PartitionPositioner(
      Consumer<byte[], byte[]> consumer,
      String group,
      Router router,
      Function<TableRoute, TableSink> sinks,
      String resetPolicy,
      OffsetLedger ledger) {
    this.consumer = consumer;
    this.group = group;
    this.router = router;
    this.sinks = sinks;
    this.resetPolicy = resetPolicy;
    this.ledger = ledger;
  }

  void position(Collection<TopicPartition> partitions) {
    if (partitions.isEmpty()) {
      return;
    }
    Map<String, PartitionOffsets> tableOffsets =
        new HashMap<>(); // one read per table, not per partition
    Set<TopicPartition> needReset = new LinkedHashSet<>();
    Map<TopicPartition, Map<TableRoute, Long>> committed = new HashMap<>();
    for (TopicPartition tp : partitions) {
      SourcePartition p = new SourcePartition(tp.topic(), tp.partition());
      Map<TableRoute, Long> perTable = new LinkedHashMap<>();
      for (TableRoute route : router.routes(tp.topic())) {
        Long next =
            tableOffsets
                .computeIfAbsent(
                    route.key(), k -> sinks.apply(route).committedOffsets(route.spec(), group))
                .next(p);
        perTable.put(route, next);
        if (next == null) {
          needReset.add(tp);
        }
      }
      committed.put(tp, perTable);
    }
    Map<TopicPartition, Long> resets = resetPositions(List.copyOf(needReset));
    for (TopicPartition tp : partitions) {
      SourcePartition p = new SourcePartition(tp.topic(), tp.partition());
      long seek = Long.MAX_VALUE;
      for (Map.Entry<TableRoute, Long> e : committed.get(tp).entrySet()) {
        long start = e.getValue() != null ? e.getValue() : resets.get(tp);
        ledger.put(e.getKey().key(), p, new OffsetLedger.Entry(e.getValue(), start));
        seek = Math.min(seek, start);
      }
      if (seek != Long.MAX_VALUE) {
        consumer.seek(tp, seek);
        LOG.info(
            "Partition {} resumes at offset {} (tables: {})", tp, seek, committed.get(tp).values());
      }
    }
  }

  /**
   * Where a table that holds nothing of a partition starts: the log start by default ({@code
   * auto.offset.reset=earliest}, so a new table gets the whole topic) or its end.
   */
  private Map<TopicPartition, Long> resetPositions(List<TopicPartition> partitions) {
    if (partitions.isEmpty()) {
      return Map.of();
    }
    return "latest".equals(resetPolicy)
        ? consumer.endOffsets(partitions)
        : consumer.beginningOffsets(partitions);
  }
}
