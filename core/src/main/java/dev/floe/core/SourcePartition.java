package dev.floe.core;

/** A source topic-partition, without depending on the Kafka client. */
public record SourcePartition(String topic, int partition) implements Comparable<SourcePartition> {
  @Override
  public int compareTo(SourcePartition o) {
    int c = topic.compareTo(o.topic);
    return c != 0 ? c : Integer.compare(partition, o.partition);
  }

  @Override
  public String toString() {
    return topic + "-" + partition;
  }
}
