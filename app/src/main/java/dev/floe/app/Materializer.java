package dev.floe.app;

import dev.floe.consumer.Pipeline;
import dev.floe.consumer.PipelineStats;
import dev.floe.core.TableId;
import dev.floe.core.config.FloeConfig;
import dev.floe.core.config.TableMapping;
import dev.floe.core.sink.CommitResult;
import dev.floe.core.sink.ListeningTableSink;
import dev.floe.core.sink.TableSink;
import dev.floe.core.sink.TableSpec;
import dev.floe.core.sink.TableSummary;
import dev.floe.sinks.delta.DeltaTableSink;
import dev.floe.sinks.iceberg.IcebergTableSink;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import java.util.List;
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
  private final dev.floe.catalogsync.CatalogSync catalogSync;
  private final dev.floe.compaction.MaintenanceScheduler maintenance;
  private final ScheduledExecutorService progress =
      Executors.newSingleThreadScheduledExecutor(
          r -> {
            Thread t = new Thread(r, "floe-progress");
            t.setDaemon(true);
            return t;
          });
  private boolean closed;

  private final MeterRegistry registry;

  Materializer(FloeConfig config) {
    this(config, new CompositeMeterRegistry());
  }

  /** A materializer that records its metrics on {@code registry}. */
  Materializer(FloeConfig config, MeterRegistry registry) {
    this.iceberg = new IcebergTableSink(config);
    this.delta = new DeltaTableSink(config);
    this.registry = registry;
    this.catalogSync = dev.floe.catalogsync.CatalogSync.start(config);
    // maintenance runs are counted and timed; the scheduler starts before the pipeline exists: its
    // sinks tell it the tables of topic patterns as they appear
    TableSink meteredIceberg = new MeteredMaintenance(iceberg, registry);
    TableSink meteredDelta = new MeteredMaintenance(delta, registry);
    this.maintenance =
        dev.floe.compaction.MaintenanceScheduler.start(
            config, Map.of(iceberg.format(), meteredIceberg, delta.format(), meteredDelta));
    try {
      // the pipeline commits through sinks that also tell catalog sync; status uses the sinks
      // directly
      this.pipeline =
          new Pipeline(
              config,
              Map.of(
                  iceberg.format(),
                  new ListeningTableSink(maintenance.watching(meteredIceberg), catalogSync),
                  delta.format(),
                  new ListeningTableSink(maintenance.watching(meteredDelta), catalogSync)),
              new PipelineStats(registry));
    } catch (RuntimeException e) {
      maintenance.close(); // its thread would outlive a Materializer that never started
      catalogSync.close();
      throw e;
    }
    this.config = config;
  }

  void start() {
    pipeline.start();
    registerExisting();
  }

  /**
   * Tells catalog sync where the mappings' existing tables stand, so that tables not written since
   * the last start are registered too (the others it learns of at their commits). Tables of topic
   * patterns are left to their commits. On a thread of its own: loading tables takes I/O.
   */
  private void registerExisting() {
    List<TableMapping> synced =
        config.tables().stream()
            .filter(m -> !m.registerIn().isEmpty() && m.topicPattern() == null)
            .toList();
    if (synced.isEmpty()) {
      return;
    }
    Thread t =
        new Thread(
            () -> {
              for (TableMapping m : synced) {
                for (TableId id : m.topics().stream().map(m::tableFor).distinct().toList()) {
                  TableSpec spec = m.spec(id);
                  for (TableMapping.Format f : m.formats()) {
                    register(spec, sinks().get(f.name().toLowerCase(java.util.Locale.ROOT)));
                  }
                }
              }
            },
            "floe-catalog-existing");
    t.setDaemon(true);
    t.start();
  }

  private void register(TableSpec spec, TableSink sink) {
    try {
      TableSummary s = sink.summary(spec);
      if (s != null && s.location() != null) {
        catalogSync.committed(
            spec, new CommitResult(spec.id(), s.format(), s.version(), 0, 0, 0, 0, s.location()));
      }
    } catch (RuntimeException e) { // the first commit registers it then
      LOG.warn("Cannot read table {} to register it in its catalogs: {}", spec.id(), e.toString());
    }
  }

  /** The table sinks by format name. */
  Map<String, TableSink> sinks() {
    return Map.of(iceberg.format(), iceberg, delta.format(), delta);
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

  /** Where the tables stand in the catalogs of their register-in lists. */
  java.util.List<dev.floe.catalogsync.SyncStatus> catalogStatus() {
    return catalogSync.status();
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
    catalogSync.close();
    iceberg.close();
    delta.close();
    LOG.info("Stopped");
  }
}
