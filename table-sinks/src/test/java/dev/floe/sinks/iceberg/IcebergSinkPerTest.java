package dev.floe.sinks.iceberg;

import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

/**
 * Gives each test its own warehouse and an Iceberg sink on it, closed after the test: the sink
 * holds the JDBC connection to the warehouse's SQLite catalog.
 */
abstract class IcebergSinkPerTest {
  @TempDir Path warehouse;
  IcebergTableSink sink;

  @BeforeEach
  void openSink() {
    sink = new IcebergTableSink(Fixtures.config(warehouse));
  }

  @AfterEach
  void closeSink() {
    sink.close();
  }
}
