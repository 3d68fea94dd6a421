package dev.floe.app.demo;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.Catalog;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.data.IcebergGenerics;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.io.CloseableIterable;

/** What an analyst would see: row counts, snapshots, files and a few rows, read back with Iceberg's own reader. */
public final class DemoReport {
  private final Catalog catalog;
  private final PrintWriter out;

  public DemoReport(Catalog catalog, PrintWriter out) {
    this.catalog = catalog;
    this.out = out;
  }

  /** Prints one table and returns its row count. */
  public long print(String name, int sampleRows) throws Exception {
    Table table = catalog.loadTable(TableIdentifier.parse(name));
    long rows = 0;
    List<Record> sample = new ArrayList<>();
    try (CloseableIterable<Record> records = IcebergGenerics.read(table).build()) {
      for (Record r : records) {
        if (rows++ < sampleRows) {
          sample.add(r);
        }
      }
    }
    Snapshot current = table.currentSnapshot();
    int snapshots = 0;
    for (Snapshot ignored : table.snapshots()) {
      snapshots++;
    }
    out.printf("%n== %s: %,d rows, %d snapshots, %s data files, partitioned by %s%n", name, rows, snapshots,
        current == null ? "0" : current.summary().getOrDefault("total-data-files", "?"), table.spec().fields());
    out.printf("   location %s%n", table.location());
    for (Record r : sample) {
      out.println("   " + abbreviate(r.toString(), 220));
    }
    return rows;
  }

  private static String abbreviate(String s, int max) {
    return s.length() <= max ? s : s.substring(0, max) + "...";
  }
}
