package dev.floe.sinks.delta;

import java.io.IOException;
import org.apache.parquet.io.DelegatingSeekableInputStream;
import org.apache.parquet.io.InputFile;
import org.apache.parquet.io.SeekableInputStream;

/**
 * An Iceberg input file as Parquet's, so that a footer is read through the warehouse's FileIO
 * (local or S3) rather than through a Hadoop file system.
 */
final class ParquetInput {
  private ParquetInput() {}

  static InputFile of(org.apache.iceberg.io.InputFile file) {
    return new InputFile() {
      @Override
      public long getLength() {
        return file.getLength();
      }

      @Override
      public SeekableInputStream newStream() {
        org.apache.iceberg.io.SeekableInputStream in = file.newStream();
        return new DelegatingSeekableInputStream(in) {
          @Override
          public long getPos() throws IOException {
            return in.getPos();
          }

          @Override
          public void seek(long position) throws IOException {
            in.seek(position);
          }
        };
      }

      @Override
      public String toString() {
        return file.location();
      }
    };
  }
}
