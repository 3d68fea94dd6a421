package dev.floe.consumer.decode;

import dev.floe.core.row.Type;
import java.io.IOException;

/** Decodes payloads written with one registered schema. Thread-safe. */
interface PayloadDecoder {
  /**
   * Decodes the payload that starts at {@code offset} (after the 5-byte Confluent header) and runs
   * to the end of {@code value}.
   *
   * @return the row's type (the same instance for every payload of one message type, so sinks can
   *     cache per type) and its values; with a metadata column, the last value is left null
   * @throws IOException or a RuntimeException when the payload does not match the schema; the
   *     caller turns it into a bad-record error with the record's position
   */
  Decoded decode(byte[] value, int offset) throws IOException;

  /**
   * The row type of the schema's main message (Protobuf: the first message of the file), for
   * previews such as {@code floe plan-schema}.
   */
  Type.Struct rowType();

  record Decoded(Type.Struct type, Object[] values) {}
}
