package dev.floe.core;

/** Where one record came from. */
public record SourcePosition(String topic, int partition, long offset) {
  public SourcePartition sourcePartition() {
    return new SourcePartition(topic, partition);
  }

  @Override
  public String toString() {
    return "topic '" + topic + "' partition " + partition + " offset " + offset;
  }
}
