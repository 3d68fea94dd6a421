package dev.floe.sinks.delta;

import io.delta.kernel.Scan;
import io.delta.kernel.Snapshot;
import io.delta.kernel.Table;
import io.delta.kernel.data.ColumnVector;
import io.delta.kernel.data.ColumnarBatch;
import io.delta.kernel.data.FilteredColumnarBatch;
import io.delta.kernel.data.Row;
import io.delta.kernel.defaults.engine.DefaultEngine;
import io.delta.kernel.engine.Engine;
import io.delta.kernel.internal.InternalScanFileUtils;
import io.delta.kernel.internal.data.ScanStateRow;
import io.delta.kernel.internal.util.Utils;
import io.delta.kernel.types.ArrayType;
import io.delta.kernel.types.BinaryType;
import io.delta.kernel.types.BooleanType;
import io.delta.kernel.types.DataType;
import io.delta.kernel.types.DateType;
import io.delta.kernel.types.DecimalType;
import io.delta.kernel.types.DoubleType;
import io.delta.kernel.types.FloatType;
import io.delta.kernel.types.IntegerType;
import io.delta.kernel.types.LongType;
import io.delta.kernel.types.MapType;
import io.delta.kernel.types.StringType;
import io.delta.kernel.types.StructField;
import io.delta.kernel.types.StructType;
import io.delta.kernel.types.TimestampType;
import io.delta.kernel.utils.CloseableIterator;
import io.delta.kernel.utils.FileStatus;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.hadoop.conf.Configuration;

/**
 * Reads a Delta table with Delta Kernel, Delta's own reader library: its log replay, its Parquet
 * reader, its partition-value handling. Rows come back in {@link DeltaFixtures}' plain form
 * (structs as lists, binary as hex, dates as LocalDate, timestamps as epoch micros).
 */
final class KernelReader {
  private KernelReader() {}

  static List<Map<String, Object>> read(Path table) {
    Engine engine = DefaultEngine.create(new Configuration());
    Snapshot snapshot = Table.forPath(engine, table.toString()).getLatestSnapshot(engine);
    Scan scan = snapshot.getScanBuilder(engine).build();
    Row scanState = scan.getScanState(engine);
    StructType physicalSchema = ScanStateRow.getPhysicalDataReadSchema(engine, scanState);
    List<Map<String, Object>> rows = new ArrayList<>();
    try (CloseableIterator<FilteredColumnarBatch> files = scan.getScanFiles(engine)) {
      while (files.hasNext()) {
        try (CloseableIterator<Row> fileRows = files.next().getRows()) {
          while (fileRows.hasNext()) {
            Row scanFile = fileRows.next();
            FileStatus file = InternalScanFileUtils.getAddFileStatus(scanFile);
            CloseableIterator<ColumnarBatch> physical =
                engine
                    .getParquetHandler()
                    .readParquetFiles(
                        Utils.singletonCloseableIterator(file), physicalSchema, Optional.empty());
            try (CloseableIterator<FilteredColumnarBatch> data =
                Scan.transformPhysicalData(engine, scanState, scanFile, physical)) {
              while (data.hasNext()) {
                addRows(data.next(), rows);
              }
            }
          }
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return rows;
  }

  private static void addRows(FilteredColumnarBatch filtered, List<Map<String, Object>> rows) {
    ColumnarBatch batch = filtered.getData();
    Optional<ColumnVector> selection = filtered.getSelectionVector();
    StructType schema = batch.getSchema();
    for (int r = 0; r < batch.getSize(); r++) {
      if (selection.isPresent()
          && (selection.get().isNullAt(r) || !selection.get().getBoolean(r))) {
        continue;
      }
      Map<String, Object> row = new LinkedHashMap<>();
      for (int c = 0; c < schema.length(); c++) {
        StructField f = schema.at(c);
        row.put(f.getName(), value(batch.getColumnVector(c), r, f.getDataType()));
      }
      rows.add(row);
    }
  }

  private static Object value(ColumnVector v, int i, DataType type) {
    if (v.isNullAt(i)) {
      return null;
    }
    if (type instanceof StructType s) {
      List<Object> fields = new ArrayList<>();
      for (int c = 0; c < s.length(); c++) {
        fields.add(value(v.getChild(c), i, s.at(c).getDataType()));
      }
      return fields;
    }
    if (type instanceof ArrayType a) {
      ColumnVector elements = v.getArray(i).getElements();
      List<Object> out = new ArrayList<>();
      for (int e = 0; e < elements.getSize(); e++) {
        out.add(value(elements, e, a.getElementType()));
      }
      return out;
    }
    if (type instanceof MapType m) {
      ColumnVector keys = v.getMap(i).getKeys();
      ColumnVector values = v.getMap(i).getValues();
      Map<Object, Object> out = new LinkedHashMap<>();
      for (int e = 0; e < keys.getSize(); e++) {
        out.put(value(keys, e, m.getKeyType()), value(values, e, m.getValueType()));
      }
      return out;
    }
    if (type instanceof DecimalType) {
      return v.getDecimal(i);
    } else if (type instanceof BooleanType) {
      return v.getBoolean(i);
    } else if (type instanceof IntegerType) {
      return v.getInt(i);
    } else if (type instanceof LongType || type instanceof TimestampType) {
      return v.getLong(i);
    } else if (type instanceof FloatType) {
      return v.getFloat(i);
    } else if (type instanceof DoubleType) {
      return v.getDouble(i);
    } else if (type instanceof StringType) {
      return v.getString(i);
    } else if (type instanceof BinaryType) {
      return HexFormat.of().formatHex(v.getBinary(i));
    } else if (type instanceof DateType) {
      return LocalDate.ofEpochDay(v.getInt(i));
    }
    throw new IllegalArgumentException("unexpected Delta type " + type);
  }
}
