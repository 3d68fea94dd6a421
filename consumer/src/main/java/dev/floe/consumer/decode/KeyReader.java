package dev.floe.consumer.decode;

import dev.floe.core.row.Type;
import java.io.IOException;

/** Decodes record keys written with one schema. Thread-safe. */
interface KeyReader {
  /**
   * Decodes the key payload that starts at {@code offset} and runs to the end of {@code bytes}.
   *
   * @throws IOException or a RuntimeException when the payload does not match the schema
   */
  Key decode(byte[] bytes, int offset) throws IOException;

  /**
   * The type of every key this reader decodes, or null when it depends on the payload (Protobuf
   * message indexes). A null key of a known type still gets its (null) key columns.
   */
  default Type type() {
    return null;
  }

  /**
   * A decoded key: a struct ({@link dev.floe.core.row.Row} value) or a scalar. {@code type} is the
   * same instance for every key of one schema.
   */
  record Key(Type type, Object value) {}
}
