package dev.floe.catalogsync;

import static org.awaitility.Awaitility.await;

import dev.floe.core.TableId;
import java.time.Duration;

/** Waits for catalog sync to report failures of a table, as {@code floe status} shows them. */
final class ReportedSyncErrors {
  private ReportedSyncErrors() {}

  /**
   * The last error of {@code table}'s sync to {@code catalog}, once it has failed {@code times}
   * times (2: reported, then retried).
   */
  static String lastError(
      CatalogSync sync, String catalog, TableId table, String format, int times, Duration wait) {
    await()
        .atMost(wait)
        .until(
            () -> {
              SyncStatus s = sync.status(catalog, table, format);
              return s != null && s.failures() >= times;
            });
    return sync.status(catalog, table, format).lastError();
  }
}
