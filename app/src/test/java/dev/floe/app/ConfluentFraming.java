package dev.floe.app;

import java.nio.ByteBuffer;

/** Record values framed the Confluent way, for tests that encode the message themselves. */
final class ConfluentFraming {
  private ConfluentFraming() {}

  /**
   * Protobuf: magic byte 0, the 4-byte schema id, the message indexes ([0], the first message of
   * the schema, is the single byte 0), then the message.
   */
  static byte[] protobuf(int schemaId, byte[] message) {
    return ByteBuffer.allocate(6 + message.length)
        .put((byte) 0)
        .putInt(schemaId)
        .put((byte) 0)
        .put(message)
        .array();
  }
}
