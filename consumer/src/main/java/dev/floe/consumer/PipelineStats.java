package dev.floe.consumer;

import dev.floe.core.sink.CommitResult;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/** Counters for progress reporting; cheap enough to update on the hot path. */
public final class PipelineStats {
  private final AtomicLong recordsRead = new AtomicLong();
  private final AtomicLong skipped = new AtomicLong();
  private final AtomicLong deadLettered = new AtomicLong();
  private final AtomicLong commits = new AtomicLong();
  private final Map<String, AtomicLong> rowsCommitted = new ConcurrentHashMap<>();

  void read(int records) {
    recordsRead.addAndGet(records);
  }

  void committed(CommitResult result) {
    commits.incrementAndGet();
    rowsCommitted
        .computeIfAbsent(result.table().toString(), k -> new AtomicLong())
        .addAndGet(result.records());
  }

  private final java.util.Set<String> unhealthyWorkers =
      java.util.concurrent.ConcurrentHashMap.newKeySet();
  private final AtomicLong faults = new AtomicLong();

  void unhealthy(String worker) {
    unhealthyWorkers.add(worker);
  }

  void healthy(String worker) {
    unhealthyWorkers.remove(worker);
  }

  void fault() {
    faults.incrementAndGet();
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
    Map<String, Long> out = new java.util.TreeMap<>();
    rowsCommitted.forEach((k, v) -> out.put(k, v.get()));
    return out;
  }

  public long totalRowsCommitted() {
    return rowsCommitted.values().stream().mapToLong(AtomicLong::get).sum();
  }
}
