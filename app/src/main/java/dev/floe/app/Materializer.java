package dev.floe.app;

import dev.floe.consumer.Pipeline;
import dev.floe.consumer.PipelineStats;
import dev.floe.core.config.FloeConfig;
import dev.floe.sinks.delta.DeltaTableSink;
import dev.floe.sinks.iceberg.IcebergTableSink;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Wires the sinks and the consumer pipeline for one config; shared by {@code run} and {@code demo}.
 */
final class Materializer implements AutoCloseable {
  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(Materializer.class);
  private final IcebergTableSink iceberg;
  private final DeltaTableSink delta;
  private final Pipeline pipeline;
  private final FloeConfig config;
  private final dev.floe.compaction.MaintenanceScheduler maintenance;
  private final ScheduledExecutorService progress =
      Executors.newSingleThreadScheduledExecutor(
          r -> {
            Thread t = new Thread(r, "floe-progress");
            t.setDaemon(true);
            return t;
          });
  private boolean closed;

  Materializer(FloeConfig config) {
    this.iceberg = new IcebergTableSink(config);
    this.delta = new DeltaTableSink(config);
    // started before the pipeline exists: its sinks tell the scheduler the tables of topic
    // patterns as they appear
    this.maintenance =
        dev.floe.compaction.MaintenanceScheduler.start(
            config, Map.of(iceberg.format(), iceberg, delta.format(), delta));
    try {
      this.pipeline =
          new Pipeline(
              config,
              Map.of(
                  iceberg.format(),
                  maintenance.watching(iceberg),
                  delta.format(),
                  maintenance.watching(delta)));
    } catch (RuntimeException e) {
      maintenance.close(); // its thread would outlive a Materializer that never started
      throw e;
    }
    this.config = config;
  }

  void start() {
    pipeline.start();
  }

  /**
   * Calls {@code report} every {@code seconds} with the current counters while the pipeline runs.
   */
  void reportEvery(int seconds, Consumer<PipelineStats> report) {
    progress.scheduleAtFixedRate(
        () -> report.accept(pipeline.stats()), seconds, seconds, TimeUnit.SECONDS);
  }

  /** Blocks until the pipeline stops (on error, or after {@link #close} from another thread). */
  void awaitStop() throws InterruptedException {
    while (!pipeline.await(1, TimeUnit.SECONDS)) {
      // keep waiting; a shutdown hook or a failure ends it
    }
  }

  Throwable failure() {
    return pipeline.failure();
  }

  PipelineStats stats() {
    return pipeline.stats();
  }

  /** Graceful stop: workers commit what they have written, then the catalogs close. Idempotent. */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    LOG.info("Stopping: committing what was written");
    progress.shutdownNow();
    if (maintenance != null) {
      maintenance.close();
    }
    pipeline.close();
    iceberg.close();
    delta.close();
    LOG.info("Stopped");
  }
}
