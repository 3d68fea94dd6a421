package dev.floe.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class StatusTableTest {

  @Test
  void oneRowPerTableAndFormatAndOneLinePerPartition() {
    StatusReport report =
        new StatusReport(
            StatusCollector.TABLES,
            List.of(
                new TableStatus(
                    "sales.orders",
                    "iceberg",
                    7L,
                    0L,
                    1_234_567L,
                    12L,
                    List.of(
                        new TableStatus.PartitionStatus("orders", 0, 1000L, 1500L, 500),
                        new TableStatus.PartitionStatus("orders", 1, null, 20L, 20)),
                    520,
                    null,
                    null),
                new TableStatus(
                    "sales.orders",
                    "delta",
                    null,
                    null,
                    null,
                    null,
                    List.of(),
                    0,
                    2.5,
                    "bad\nrow")));

    String text = StatusTable.render(report);

    assertThat(text.lines())
        .containsSubsequence(
            "Status from the tables and brokers",
            "TABLE         FORMAT   LAST COMMIT (UTC)    ROWS       FILES  LAG  FRESHNESS  LAST ERROR",
            "sales.orders  iceberg  1970-01-01 00:00:00  1,234,567  12     520  -          -",
            "  orders[0] committed 1,000 of 1,500 (lag 500)",
            "  orders[1] committed nothing of 20 (lag 20)",
            "sales.orders  delta    never                -          -      0    2.5s       bad row");
  }

  @Test
  void etaReadsInHoursMinutesAndSeconds() {
    assertThat(CatchUpProgress.eta(0.2)).isEqualTo("1s");
    assertThat(CatchUpProgress.eta(91)).isEqualTo("1m31s");
    assertThat(CatchUpProgress.eta(3 * 3600 + 125)).isEqualTo("3h2m");
  }
}
