package dev.floe.catalogsync;

import dev.floe.core.TableId;
import java.time.Instant;

/**
 * Where one table stands in one catalog.
 *
 * @param synced the state the catalog was last brought to, or null before the first success
 * @param lastError the last failure's message (credentials masked), or null after a success
 * @param failures failed attempts since the last success
 */
public record SyncStatus(
    String catalog,
    TableId table,
    String format,
    String synced,
    Instant syncedAt,
    String lastError,
    int failures) {}
