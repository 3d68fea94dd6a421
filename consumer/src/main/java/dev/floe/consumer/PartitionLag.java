package dev.floe.consumer;

import dev.floe.core.SourcePartition;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * One assigned partition's lag as a gauge: its end offset minus the smallest offset its tables
 * hold, so that it reaches 0 only once every record is committed, not merely read.
 */
final class PartitionLag {
  private final Gauge gauge;
  private volatile long end;
  private volatile long committed;

  PartitionLag(MeterRegistry registry, SourcePartition p) {
    gauge =
        Gauge.builder("floe.consumer.lag", this, PartitionLag::records)
            .description("Records of the partition not yet committed to all of its tables")
            .baseUnit("records")
            .tag("topic", p.topic())
            .tag("partition", Integer.toString(p.partition()))
            .register(registry);
  }

  void set(long end, long committed) {
    this.end = end;
    this.committed = committed;
  }

  long records() {
    return Math.max(0, end - committed);
  }

  void remove(MeterRegistry registry) {
    registry.remove(gauge);
  }
}
