package dev.floe.consumer;

import dev.floe.core.SourcePartition;
import java.util.HashMap;
import java.util.Map;

/**
 * Per table and assigned partition: the offset the table holds (what fencing expects) and where
 * this table's records start (the table offset, or the reset position for a table that holds
 * nothing of the partition yet). Records below the start are already in the table and skipped.
 */
final class OffsetLedger {
  /**
   * @param committed the table's offset, null when the table holds nothing of the partition
   */
  record Entry(Long committed, long start) {}

  private final Map<String, Map<SourcePartition, Entry>> byTable = new HashMap<>();

  void put(String tableKey, SourcePartition p, Entry entry) {
    byTable.computeIfAbsent(tableKey, k -> new HashMap<>()).put(p, entry);
  }

  Entry get(String tableKey, SourcePartition p) {
    Map<SourcePartition, Entry> entries = byTable.get(tableKey);
    return entries == null ? null : entries.get(p);
  }

  void committed(String tableKey, SourcePartition p, long next) {
    put(tableKey, p, new Entry(next, next));
  }

  void remove(SourcePartition p) {
    byTable.values().forEach(m -> m.remove(p));
  }
}
