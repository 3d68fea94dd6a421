package dev.floe.consumer.decode;

import java.math.BigDecimal;

/**
 * The range checks every format shares, so that a value a table cannot hold fails with the same
 * clear words in Avro, Protobuf and JSON instead of overflowing or reaching the Parquet writer.
 * Tables hold timestamps as 64-bit microseconds since 1970 (about ±292,000 years) and decimals of
 * at most their declared precision.
 */
final class ValueRanges {
  private ValueRanges() {}

  /** Thrown for a value outside what its column holds; the message says which and why. */
  static final class OutOfRangeException extends java.io.IOException {
    OutOfRangeException(String message) {
      super(message);
    }

    @Override
    public String toString() {
      return getMessage();
    }
  }

  static long millisToMicros(long millis) throws OutOfRangeException {
    if (millis > Long.MAX_VALUE / 1000 || millis < Long.MIN_VALUE / 1000) {
      throw timestamp(millis + " milliseconds since 1970");
    }
    return millis * 1000;
  }

  /** Microseconds of {@code seconds} plus {@code nanos} (truncated toward the past). */
  static long micros(long seconds, long nanos) throws OutOfRangeException {
    try {
      return Math.addExact(Math.multiplyExact(seconds, 1_000_000L), Math.floorDiv(nanos, 1000));
    } catch (ArithmeticException e) {
      throw timestamp(seconds + " seconds and " + nanos + " nanoseconds since 1970");
    }
  }

  private static OutOfRangeException timestamp(String what) {
    return new OutOfRangeException(
        what
            + " is out of range: tables hold timestamps as 64-bit microseconds since 1970"
            + " (years -290308 to 294247)");
  }

  /** {@code value} if its digits fit {@code precision}; the scale is already the column's. */
  static BigDecimal decimal(BigDecimal value, int precision, int scale) throws OutOfRangeException {
    if (value.precision() > precision) {
      throw new OutOfRangeException(
          value.toPlainString()
              + " has "
              + value.precision()
              + " digits, more than decimal("
              + precision
              + ","
              + scale
              + ") holds");
    }
    return value;
  }
}
