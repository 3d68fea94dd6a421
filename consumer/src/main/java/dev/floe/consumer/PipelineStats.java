package dev.floe.consumer;

import dev.floe.core.SourcePartition;
import dev.floe.core.sink.CommitResult;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Counters for progress reporting, health and metrics; cheap enough to update on the hot path.
 * Every counter is also a meter on the {@link MeterRegistry} given at construction (the app exposes
 * it to Prometheus); the consumer itself knows no exposition format.
 */
public final class PipelineStats {
  private final MeterRegistry registry;
  private final AtomicLong recordsRead = new AtomicLong();
  private final AtomicLong skipped = new AtomicLong();
  private final AtomicLong deadLettered = new AtomicLong();
  private final AtomicLong commits = new AtomicLong();
  private final AtomicLong faults = new AtomicLong();
  private final Counter readCounter;
  private final Counter retryCounter;
  private final Map<String, AtomicLong> rowsCommitted = new ConcurrentHashMap<>();
  private final Map<String, TableMeters> tables = new ConcurrentHashMap<>();
  private final Map<SourcePartition, PartitionLag> lags = new ConcurrentHashMap<>();
  private final Set<String> unhealthyWorkers = ConcurrentHashMap.newKeySet();
  private final Set<String> unpositionedWorkers = ConcurrentHashMap.newKeySet();

  /** Stats that are not exported anywhere (tests, one-off commands). */
  public PipelineStats() {
    this(new CompositeMeterRegistry());
  }

  public PipelineStats(MeterRegistry registry) {
    this.registry = registry;
    readCounter =
        Counter.builder("floe.records.read")
            .description(
                "Records polled from Kafka (before routing; a record of two tables counts once)")
            .register(registry);
    retryCounter =
        Counter.builder("floe.retries")
            .description("Transient faults (broker, registry, storage, catalog) retried")
            .register(registry);
    Gauge.builder("floe.healthy", this, s -> s.healthy() ? 1 : 0)
        .description("1 unless a dependency has been failing longer than health.unhealthy-after")
        .register(registry);
  }

  MeterRegistry registry() {
    return registry;
  }

  void read(int records) {
    recordsRead.addAndGet(records);
    readCounter.increment(records);
  }

  void committed(CommitResult result, long newestRecordMillis) {
    commits.incrementAndGet();
    rowsCommitted
        .computeIfAbsent(result.table().toString(), k -> new AtomicLong())
        .addAndGet(result.records());
    table(result.format(), result.table().toString()).committed(result, newestRecordMillis);
  }

  /** The meters of one table in one format, registered on first use. */
  TableMeters table(String format, String table) {
    return tables.computeIfAbsent(
        format + ":" + table, k -> new TableMeters(registry, table, format));
  }

  void unhealthy(String worker) {
    unhealthyWorkers.add(worker);
  }

  void healthy(String worker) {
    unhealthyWorkers.remove(worker);
  }

  void fault() {
    faults.incrementAndGet();
    retryCounter.increment();
  }

  /** A worker that has joined but not yet placed its partitions where the tables say. */
  void joining(String worker) {
    unpositionedWorkers.add(worker);
  }

  void positioned(String worker) {
    unpositionedWorkers.remove(worker);
  }

  /**
   * Whether every worker has had its first assignment positioned from the tables' offsets: before
   * that, the process reads nothing.
   */
  public boolean positioned() {
    return unpositionedWorkers.isEmpty();
  }

  /**
   * Whether no worker has been failing for longer than {@code health.unhealthy-after}. A failing
   * worker keeps retrying; this is what a health check reports.
   */
  public boolean healthy() {
    return unhealthyWorkers.isEmpty();
  }

  /** Transient failures retried so far (storage, catalog, registry, broker). */
  public long faults() {
    return faults.get();
  }

  void skipped() {
    skipped.incrementAndGet();
  }

  void deadLettered() {
    deadLettered.incrementAndGet();
  }

  /** Bad records skipped under {@code on-error: skip}. */
  public long recordsSkipped() {
    return skipped.get();
  }

  /** Bad records written to dead-letter topics. */
  public long recordsDeadLettered() {
    return deadLettered.get();
  }

  public long recordsRead() {
    return recordsRead.get();
  }

  public long commits() {
    return commits.get();
  }

  /** Rows committed per table since start. */
  public Map<String, Long> rowsCommitted() {
    Map<String, Long> out = new TreeMap<>();
    rowsCommitted.forEach((k, v) -> out.put(k, v.get()));
    return out;
  }

  public long totalRowsCommitted() {
    return rowsCommitted.values().stream().mapToLong(AtomicLong::get).sum();
  }

  /** Each table's progress in each format, ordered by table then format. */
  public List<TableProgress> tables() {
    return new TreeMap<>(tables).values().stream().map(TableMeters::progress).toList();
  }

  void lag(SourcePartition p, long endOffset, long committedOffset) {
    lags.computeIfAbsent(p, k -> new PartitionLag(registry, k)).set(endOffset, committedOffset);
  }

  void forget(Collection<SourcePartition> partitions) {
    partitions.forEach(
        p -> {
          PartitionLag lag = lags.remove(p);
          if (lag != null) {
            lag.remove(registry);
          }
        });
  }

  /**
   * Records not yet in all of their tables, per assigned partition: the partition's end offset
   * minus the smallest offset its tables hold.
   */
  public Map<SourcePartition, Long> lag() {
    Map<SourcePartition, Long> out =
        new TreeMap<>(
            java.util.Comparator.comparing(SourcePartition::topic)
                .thenComparingInt(SourcePartition::partition));
    lags.forEach((p, l) -> out.put(p, l.records()));
    return out;
  }

  /** The sum of all partitions' lag: the backlog this process has left to commit. */
  public long totalLag() {
    return lags.values().stream().mapToLong(PartitionLag::records).sum();
  }
}
