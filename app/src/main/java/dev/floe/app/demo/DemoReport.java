package dev.floe.app.demo;

import java.io.PrintWriter;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import org.apache.iceberg.HasTableOperations;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.Catalog;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.data.IcebergGenerics;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.io.CloseableIterable;
import org.apache.iceberg.types.Types;

/**
 * What an analyst would see: row counts, snapshots, files and a few rows, read back with Iceberg's
 * own reader.
 */
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
    out.printf(
        "%n== %s: %,d rows, %d snapshots, %s data files, partitioned by %s%n",
        name,
        rows,
        snapshots,
        current == null ? "0" : current.summary().getOrDefault("total-data-files", "?"),
        table.spec().fields());
    out.printf(
        "   metadata %s%n",
        ((HasTableOperations) table).operations().current().metadataFileLocation());
    for (Record r : sample) {
      out.println("   " + abbreviate(render(r), 240));
    }
    return rows;
  }

  /**
   * Like Record.toString, but binary values (the Kafka key) as text, which is what the demo
   * produces.
   */
  private static String render(Object value) {
    if (value instanceof Record r) {
      StringBuilder sb = new StringBuilder("{");
      List<Types.NestedField> fields = r.struct().fields();
      for (int i = 0; i < fields.size(); i++) {
        sb.append(i == 0 ? "" : ", ")
            .append(fields.get(i).name())
            .append('=')
            .append(render(r.get(i)));
      }
      return sb.append('}').toString();
    }
    if (value instanceof ByteBuffer b) {
      return "'" + StandardCharsets.UTF_8.decode(b.duplicate()) + "'";
    }
    if (value instanceof List<?> list) {
      return list.stream().map(DemoReport::render).collect(Collectors.joining(", ", "[", "]"));
    }
    return String.valueOf(value);
  }

  private static String abbreviate(String s, int max) {
    return s.length() <= max ? s : s.substring(0, max) + "...";
  }
}
