package dev.floe.app;

import dev.floe.consumer.PipelineStats;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Liveness and readiness as a load balancer or Kubernetes asks for them. Live while the pipeline
 * has not stopped on an error. Ready once every worker has positioned its assigned partitions from
 * the tables' offsets, and while no dependency has been failing for longer than {@code
 * health.unhealthy-after} (the workers' retried faults, and the brokers not answering the probe).
 */
final class Health {
  private final PipelineStats stats;
  private final Supplier<Throwable> failure;
  private final KafkaProbe kafka;
  private final Duration unhealthyAfter;

  Health(
      PipelineStats stats, Supplier<Throwable> failure, KafkaProbe kafka, Duration unhealthyAfter) {
    this.stats = stats;
    this.failure = failure;
    this.kafka = kafka;
    this.unhealthyAfter = unhealthyAfter;
  }

  boolean live() {
    return failure.get() == null;
  }

  /** Each readiness check by name: true when it passes. */
  Map<String, Boolean> readiness() {
    Map<String, Boolean> checks = new LinkedHashMap<>();
    checks.put("running", live());
    checks.put("positioned", stats.positioned());
    checks.put("dependencies", stats.healthy());
    checks.put("kafka", kafka.failingFor().compareTo(unhealthyAfter) < 0);
    return checks;
  }

  boolean ready() {
    return !readiness().containsValue(false);
  }
}
