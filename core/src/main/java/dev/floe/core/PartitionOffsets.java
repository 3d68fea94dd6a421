package dev.floe.core;

import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;

/**
 * The next offset to read for each source partition, as stored in a table commit. "Next" follows
 * Kafka's convention: a committed offset of 10 means records 0..9 are in the table.
 */
public final class PartitionOffsets {
  private static final PartitionOffsets EMPTY = new PartitionOffsets(new TreeMap<>());
  private final Map<SourcePartition, Long> offsets;

  private PartitionOffsets(TreeMap<SourcePartition, Long> offsets) {
    this.offsets = Collections.unmodifiableMap(offsets);
  }

  public static PartitionOffsets empty() {
    return EMPTY;
  }

  public static PartitionOffsets of(Map<SourcePartition, Long> offsets) {
    return new PartitionOffsets(new TreeMap<>(offsets));
  }

  /** The next offset for a partition, or null when the table holds nothing of it. */
  public Long next(SourcePartition partition) {
    return offsets.get(partition);
  }

  public Map<SourcePartition, Long> asMap() {
    return offsets;
  }

  public boolean isEmpty() {
    return offsets.isEmpty();
  }

  /** These offsets overlaid with {@code newer}: the entries of {@code newer} win. */
  public PartitionOffsets with(PartitionOffsets newer) {
    TreeMap<SourcePartition, Long> merged = new TreeMap<>(offsets);
    merged.putAll(newer.offsets);
    return new PartitionOffsets(merged);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof PartitionOffsets other && offsets.equals(other.offsets);
  }

  @Override
  public int hashCode() {
    return offsets.hashCode();
  }

  @Override
  public String toString() {
    return offsets.toString();
  }
}
