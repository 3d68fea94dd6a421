package dev.floe.sinks;

import dev.floe.core.PartitionOffsets;
import dev.floe.core.SourcePartition;
import java.util.LinkedHashMap;
import java.util.Map;

/** Source offsets written the short way the tests read best: topic, partition, next offset, … */
public final class Offsets {
  private Offsets() {}

  public static PartitionOffsets offsets(Object... topicPartitionNext) {
    Map<SourcePartition, Long> map = new LinkedHashMap<>();
    for (int i = 0; i < topicPartitionNext.length; i += 3) {
      map.put(
          new SourcePartition((String) topicPartitionNext[i], (Integer) topicPartitionNext[i + 1]),
          ((Number) topicPartitionNext[i + 2]).longValue());
    }
    return PartitionOffsets.of(map);
  }
}
