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

  private static final com.fasterxml.jackson.databind.ObjectMapper JSON =
      new com.fasterxml.jackson.databind.ObjectMapper();
  private static final com.fasterxml.jackson.core.type.TypeReference<Map<String, Map<String, Long>>>
      SHAPE = new com.fasterxml.jackson.core.type.TypeReference<>() {};

  /**
   * The offsets as table commits store them, in Iceberg summaries and Delta's {@code commitInfo}
   * alike: {@code {"orders":{"0":123,"1":45}}}, topics and partitions in order.
   */
  public String toJson() {
    Map<String, Map<String, Long>> byTopic = new TreeMap<>();
    offsets.forEach(
        (p, next) ->
            byTopic
                .computeIfAbsent(
                    p.topic(),
                    t ->
                        new TreeMap<>(
                            (a, b) -> Integer.compare(Integer.parseInt(a), Integer.parseInt(b))))
                .put(String.valueOf(p.partition()), next));
    try {
      return JSON.writeValueAsString(byTopic);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException("offsets cannot be written as JSON", e);
    }
  }

  /**
   * Reads {@link #toJson}'s form.
   *
   * @throws IllegalArgumentException when {@code json} is not such a map
   */
  public static PartitionOffsets fromJson(String json) {
    try {
      TreeMap<SourcePartition, Long> offsets = new TreeMap<>();
      JSON.readValue(json, SHAPE)
          .forEach(
              (topic, partitions) ->
                  partitions.forEach(
                      (p, next) ->
                          offsets.put(new SourcePartition(topic, Integer.parseInt(p)), next)));
      return new PartitionOffsets(offsets);
    } catch (com.fasterxml.jackson.core.JsonProcessingException | NumberFormatException e) {
      throw new IllegalArgumentException(
          "not a map of topics to partitions to offsets: " + json, e);
    }
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
