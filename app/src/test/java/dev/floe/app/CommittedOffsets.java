package dev.floe.app;

import dev.floe.core.SourcePartition;
import dev.floe.core.config.FloeConfig;
import java.util.Map;

/** The Kafka offsets a mapping's tables have committed, as Floe records them in each format. */
final class CommittedOffsets {
  private CommittedOffsets() {}

  /**
   * Whether a mapping into both formats has committed exactly up to {@code ends} (the next offset
   * per partition) in its Iceberg table and in its Delta table: everything produced has landed in
   * both, and nothing more.
   */
  static boolean reachedInBothFormats(
      FloeConfig config, String table, Map<SourcePartition, Long> ends) {
    return IcebergTables.exists(config, table)
        && IcebergTables.committed(config, table).asMap().equals(ends)
        && ends.entrySet().stream()
            .allMatch(
                e ->
                    DeltaTables.txnVersion(
                            config, table, e.getKey().topic(), e.getKey().partition())
                        == e.getValue());
  }
}
