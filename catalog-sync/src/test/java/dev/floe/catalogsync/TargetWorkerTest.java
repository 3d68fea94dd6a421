package dev.floe.catalogsync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.floe.core.TableId;
import dev.floe.core.config.CatalogSettings;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** How often a catalog is synced: debounced per table, retried with backoff, refreshed. */
class TargetWorkerTest {
  static final TableId ORDERS = TableId.parse("sales.orders");

  /** A catalog that records what it was asked to hold, and fails while told to. */
  static final class RecordingTarget implements SyncTarget {
    final CatalogSettings settings;
    final List<TableState> synced = new CopyOnWriteArrayList<>();
    final AtomicInteger failuresLeft = new AtomicInteger();

    RecordingTarget(Duration syncInterval, Duration refresh) {
      settings =
          new CatalogSettings(
              "rec",
              CatalogSettings.Type.REST,
              "http://rec",
              null,
              Map.of("token", "tok-123456"),
              syncInterval,
              refresh);
    }

    @Override
    public CatalogSettings settings() {
      return settings;
    }

    @Override
    public boolean holds(String format) {
      return true;
    }

    @Override
    public void sync(TableState state) {
      if (failuresLeft.getAndDecrement() > 0) {
        throw new IllegalStateException("refused, token tok-123456");
      }
      synced.add(state);
    }

    @Override
    public void close() {}
  }

  static TableState state(int version) {
    return new TableState(
        ORDERS, "iceberg", "/w/sales/orders/metadata/0000" + version + "-a.metadata.json");
  }

  @Test
  void aBurstOfCommitsIsSyncedOnceAtOnceAndOnceMoreWithTheNewest() {
    RecordingTarget target = new RecordingTarget(Duration.ofMillis(700), Duration.ofHours(1));
    try (TargetWorker worker = new TargetWorker(target)) {
      worker.offer(state(1));
      await().atMost(Duration.ofSeconds(5)).until(() -> target.synced.size() == 1);
      for (int v = 2; v <= 9; v++) {
        worker.offer(state(v));
      }

      await().atMost(Duration.ofSeconds(5)).until(() -> target.synced.size() == 2);
      assertThat(target.synced).containsExactly(state(1), state(9));
      assertThat(worker.status(ORDERS, "iceberg").synced()).isEqualTo(state(9).location());
    }
  }

  @Test
  void aFailedSyncIsRetriedAndItsErrorMasksTheCredential() {
    RecordingTarget target = new RecordingTarget(Duration.ofMillis(10), Duration.ofHours(1));
    target.failuresLeft.set(2);
    try (TargetWorker worker = new TargetWorker(target)) {
      worker.offer(state(1));

      await()
          .atMost(Duration.ofSeconds(5))
          .until(() -> worker.status(ORDERS, "iceberg").failures() == 2);
      assertThat(worker.status(ORDERS, "iceberg").lastError())
          .contains("catalog 'rec'", "sales.orders", "refused, token ****")
          .doesNotContain("tok-123456");
      // backoff 1 s, then 2 s: the third attempt succeeds
      await().atMost(Duration.ofSeconds(10)).until(() -> target.synced.size() == 1);
      assertThat(worker.status(ORDERS, "iceberg").failures()).isZero();
      assertThat(worker.status(ORDERS, "iceberg").lastError()).isNull();
    }
  }

  @Test
  void theRefreshSyncsKnownTablesAgain() {
    RecordingTarget target = new RecordingTarget(Duration.ofMillis(10), Duration.ofMillis(300));
    try (TargetWorker worker = new TargetWorker(target)) {
      worker.offer(state(1));

      await().atMost(Duration.ofSeconds(5)).until(() -> target.synced.size() >= 3);
      assertThat(target.synced).containsOnly(state(1));
    }
  }

  @Test
  void metadataFilesMoveOnlyForwardWithinOneTable() {
    assertThat(MetadataFiles.isNewer(state(3).location(), state(2).location())).isTrue();
    assertThat(MetadataFiles.isNewer(state(2).location(), state(3).location())).isFalse();
    assertThat(MetadataFiles.isNewer(state(2).location(), state(2).location())).isFalse();
    assertThat(MetadataFiles.tableRoot("s3://b/w/sales/orders/metadata/v12.metadata.json"))
        .isEqualTo("s3://b/w/sales/orders");
    assertThat(MetadataFiles.sameRoot("file:///w/t/", "/w/t")).isTrue();
    assertThat(MetadataFiles.sameRoot("/w/t", "/w/u")).isFalse();
  }
}
