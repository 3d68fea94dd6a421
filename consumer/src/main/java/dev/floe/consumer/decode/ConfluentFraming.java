package dev.floe.consumer.decode;

/**
 * The Confluent wire format: magic byte 0, a 4-byte big-endian schema id, then the payload. Returns
 * the id; the payload starts at {@link #PAYLOAD_OFFSET}.
 */
final class ConfluentFraming {
  static final int PAYLOAD_OFFSET = 5;

  private ConfluentFraming() {}

  /** The schema id, or -1 when the bytes are not Confluent-framed. */
  static int schemaId(byte[] value) {
    if (value.length < PAYLOAD_OFFSET || value[0] != 0) {
      return -1;
    }
    return ((value[1] & 0xff) << 24)
        | ((value[2] & 0xff) << 16)
        | ((value[3] & 0xff) << 8)
        | (value[4] & 0xff);
  }
}
