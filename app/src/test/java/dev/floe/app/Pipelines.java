package dev.floe.app;

import static org.awaitility.Awaitility.await;

import dev.floe.consumer.Pipeline;
import dev.floe.core.config.FloeConfig;
import dev.floe.sinks.delta.DeltaTableSink;
import dev.floe.sinks.iceberg.IcebergTableSink;
import java.time.Duration;
import java.util.Map;
import java.util.function.BooleanSupplier;

/** Runs the real pipeline in the test JVM, as {@code floe run} wires it. */
final class Pipelines {
  private Pipelines() {}

  /**
   * Runs until {@code done} holds or the pipeline fails, then stops it gracefully.
   *
   * @return the failure that stopped the pipeline, or null
   */
  static Throwable runUntil(FloeConfig config, Duration timeout, BooleanSupplier done) {
    try (IcebergTableSink iceberg = new IcebergTableSink(config);
        DeltaTableSink delta = new DeltaTableSink(config);
        Pipeline pipeline =
            new Pipeline(config, Map.of(iceberg.format(), iceberg, delta.format(), delta))) {
      pipeline.start();
      await().atMost(timeout).until(() -> pipeline.failure() != null || done.getAsBoolean());
      return pipeline.failure();
    }
  }
}
