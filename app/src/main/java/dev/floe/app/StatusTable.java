package dev.floe.app;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;

/** {@code floe status} for a terminal: one row per table and format, one line per partition. */
final class StatusTable {
  private static final String[] HEADER = {
    "TABLE", "FORMAT", "LAST COMMIT (UTC)", "ROWS", "FILES", "LAG", "FRESHNESS", "LAST ERROR"
  };
  private static final DateTimeFormatter TIME =
      DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss").withZone(ZoneOffset.UTC);

  private StatusTable() {}

  static String render(StatusReport report) {
    List<String[]> rows = new ArrayList<>();
    rows.add(HEADER);
    for (TableStatus t : report.tables()) {
      rows.add(
          new String[] {
            t.table(),
            t.format(),
            t.lastCommitMillis() == null
                ? "never"
                : TIME.format(Instant.ofEpochMilli(t.lastCommitMillis())),
            t.rows() == null ? "-" : String.format("%,d", t.rows()),
            t.files() == null ? "-" : String.format("%,d", t.files()),
            String.format("%,d", t.lag()),
            t.freshnessSeconds() == null ? "-" : String.format("%.1fs", t.freshnessSeconds()),
            t.lastError() == null ? "-" : abbreviate(t.lastError(), 60)
          });
    }
    int[] widths = new int[HEADER.length];
    for (String[] row : rows) {
      for (int i = 0; i < row.length; i++) {
        widths[i] = Math.max(widths[i], row[i].length());
      }
    }
    StringBuilder out = new StringBuilder("Status from the ").append(report.source()).append("\n");
    for (int r = 0; r < rows.size(); r++) {
      String[] row = rows.get(r);
      StringBuilder line = new StringBuilder();
      for (int i = 0; i < row.length; i++) {
        line.append(String.format("%-" + widths[i] + "s  ", row[i]));
      }
      out.append(line.toString().stripTrailing()).append('\n');
      if (r > 0) {
        for (TableStatus.PartitionStatus p : report.tables().get(r - 1).partitions()) {
          out.append(
              String.format(
                  "  %s[%d] committed %s of %,d (lag %,d)%n",
                  p.topic(),
                  p.partition(),
                  p.committed() == null ? "nothing" : String.format("%,d", p.committed()),
                  p.end(),
                  p.lag()));
        }
      }
    }
    return out.toString();
  }

  private static String abbreviate(String s, int max) {
    String line = s.replace('\n', ' ');
    return line.length() <= max ? line : line.substring(0, max - 3) + "...";
  }
}
