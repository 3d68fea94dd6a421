package dev.floe.catalogsync;

import dev.floe.core.TableId;
import dev.floe.core.TransientException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Syncs tables into one catalog on a thread of its own, so that a slow or unreachable catalog
 * delays neither ingestion nor the other catalogs. Per table: at most one sync per {@code
 * sync-interval} (commits in between only update the state to sync), a retry with exponential
 * backoff after a failure, and a re-sync every {@code refresh-interval}.
 */
final class TargetWorker implements AutoCloseable {
  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(CatalogSync.class);
  private static final Duration FIRST_RETRY = Duration.ofSeconds(1);

  private final SyncTarget target;
  private final Secrets secrets;
  private final ScheduledExecutorService thread;
  private final Map<String, Entry> entries = new ConcurrentHashMap<>();

  /** One table in this catalog. Guarded by itself. */
  private static final class Entry {
    TableState latest;
    boolean pending;
    long lastRunNanos = Long.MIN_VALUE / 2;
    String synced;
    Instant syncedAt;
    String lastError;
    int failures;
  }

  TargetWorker(SyncTarget target) {
    this.target = target;
    this.secrets = new Secrets(target.settings());
    this.thread =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "floe-catalog-sync-" + target.settings().name());
              t.setDaemon(true);
              return t;
            });
    long refresh = target.settings().refreshInterval().toMillis();
    thread.scheduleWithFixedDelay(this::refresh, refresh, refresh, TimeUnit.MILLISECONDS);
  }

  String catalog() {
    return target.settings().name();
  }

  boolean holds(String format) {
    return target.holds(format);
  }

  /** Syncs {@code state} soon: now, or when the table's sync interval has passed. */
  void offer(TableState state) {
    Entry e = entries.computeIfAbsent(state.format() + ":" + state.id(), k -> new Entry());
    synchronized (e) {
      e.latest = state;
      if (!e.pending) {
        e.pending = true;
        long due = e.lastRunNanos + target.settings().syncInterval().toNanos() - System.nanoTime();
        schedule(e, Math.max(0, due));
      }
    }
  }

  private void refresh() {
    for (Entry e : entries.values()) {
      TableState s;
      synchronized (e) {
        s = e.latest;
      }
      offer(s);
    }
  }

  private void schedule(Entry e, long delayNanos) {
    try {
      thread.schedule(() -> run(e), delayNanos, TimeUnit.NANOSECONDS);
    } catch (java.util.concurrent.RejectedExecutionException closed) {
      // stopping: the next start syncs again
    }
  }

  private void run(Entry e) {
    TableState state;
    synchronized (e) {
      e.pending = false; // commits from now on schedule another sync
      e.lastRunNanos = System.nanoTime();
      state = e.latest;
    }
    try {
      target.sync(state);
      synchronized (e) {
        if (e.failures > 0) {
          LOG.info(
              "Table {} is registered in catalog '{}' again after {} failed attempts",
              state.id(),
              catalog(),
              e.failures);
        }
        e.synced = state.location();
        e.syncedAt = Instant.now();
        e.lastError = null;
        e.failures = 0;
      }
      LOG.debug(
          "Synced {} table {} in catalog '{}': {}",
          state.format(),
          state.id(),
          catalog(),
          state.location());
    } catch (RuntimeException | LinkageError ex) {
      String message = describe(state, ex);
      synchronized (e) {
        e.failures++;
        e.lastError = message;
        Duration backoff = backoff(e.failures);
        // the exception itself is not logged: its messages may hold what the secrets mask hides
        LOG.warn("{} (attempt {}; next in {}s)", message, e.failures, backoff.toSeconds());
        if (!e.pending) {
          e.pending = true;
          schedule(e, backoff.toNanos());
        }
      }
      if (ex instanceof TransientException) {
        LOG.debug("Sync of {} in '{}' will be retried", state.id(), catalog());
      }
    }
  }

  /**
   * The failure as operators read it. Never throws: a failure here would end this scheduled run
   * without a retry, leaving the table unsynced until its next commit.
   */
  private String describe(TableState state, Throwable ex) {
    try {
      return SyncFailures.of(target.settings(), state, ex, secrets).getMessage();
    } catch (RuntimeException | LinkageError e) {
      return "Cannot register "
          + state.format()
          + " table "
          + state.id()
          + " in catalog '"
          + catalog()
          + "': "
          + secrets.describe(ex);
    }
  }

  /** 1s, 2s, 4s ... up to the refresh interval, which bounds how stale a catalog may stay. */
  private Duration backoff(int failures) {
    Duration d = FIRST_RETRY.multipliedBy(1L << Math.min(failures - 1, 20));
    Duration max = target.settings().refreshInterval();
    return d.compareTo(max) > 0 ? max : d;
  }

  List<SyncStatus> status() {
    return entries.values().stream()
        .map(
            e -> {
              synchronized (e) {
                return new SyncStatus(
                    catalog(),
                    e.latest.id(),
                    e.latest.format(),
                    e.synced,
                    e.syncedAt,
                    e.lastError,
                    e.failures);
              }
            })
        .toList();
  }

  SyncStatus status(TableId table, String format) {
    return status().stream()
        .filter(s -> s.table().equals(table) && s.format().equals(format))
        .findFirst()
        .orElse(null);
  }

  @Override
  public void close() {
    thread.shutdownNow();
    try {
      thread.awaitTermination(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    target.close();
  }
}
