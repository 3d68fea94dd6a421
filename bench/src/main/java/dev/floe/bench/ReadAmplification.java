package dev.floe.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import org.apache.iceberg.FileFormat;
import org.apache.iceberg.PartitionSpec;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.Catalog;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.data.GenericFileWriterFactory;
import org.apache.iceberg.data.IcebergGenerics;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.io.CloseableIterable;
import org.apache.iceberg.io.DataWriter;
import org.apache.iceberg.io.OutputFileFactory;

/**
 * What upserts cost readers: a full scan of the upsert table (data files plus the equality and
 * position deletes a reader must apply) against a scan of an append-only table holding the same
 * final rows. Both scans use Iceberg's generic reader, which applies deletes as engines do.
 */
final class ReadAmplification {
  record Scan(long rows, double seconds) {}

  record Result(Scan upsert, Scan append) {
    double ratio() {
      return upsert.seconds() / append.seconds();
    }
  }

  private ReadAmplification() {}

  static Result measure(Catalog catalog, TableIdentifier upsertTable) {
    Table upsert = catalog.loadTable(upsertTable);
    scan(upsert); // warm-up: class loading and the page cache, for both scans alike
    Scan upsertScan = scan(upsert);
    Table copy =
        copy(
            catalog,
            upsert,
            TableIdentifier.of(upsertTable.namespace(), upsertTable.name() + "_final_rows"));
    scan(copy);
    return new Result(upsertScan, scan(copy));
  }

  private static Scan scan(Table table) {
    long start = System.nanoTime();
    long rows = 0;
    long checksum = 0;
    try (CloseableIterable<Record> records = IcebergGenerics.read(table).build()) {
      for (Record r : records) {
        rows++;
        checksum += r.get(0).hashCode(); // touch the row so that it is really read
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    if (checksum == 42) {
      System.out.print(""); // keeps the checksum alive
    }
    return new Scan(rows, (System.nanoTime() - start) / 1e9);
  }

  /** The final rows of {@code source} as one append-only, unpartitioned table. */
  private static Table copy(Catalog catalog, Table source, TableIdentifier target) {
    if (catalog.tableExists(target)) {
      catalog.dropTable(target, true);
    }
    Table copy =
        catalog.createTable(
            target, source.schema(), PartitionSpec.unpartitioned(), source.properties());
    GenericFileWriterFactory factory =
        new GenericFileWriterFactory.Builder(copy).dataFileFormat(FileFormat.PARQUET).build();
    OutputFileFactory files =
        OutputFileFactory.builderFor(copy, 0, 0).format(FileFormat.PARQUET).build();
    DataWriter<Record> writer = factory.newDataWriter(files.newOutputFile(), copy.spec(), null);
    try (CloseableIterable<Record> records = IcebergGenerics.read(source).build()) {
      for (Record r : records) {
        writer.write(r);
      }
      writer.close();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    copy.newAppend().appendFile(writer.toDataFile()).commit();
    return copy;
  }
}
