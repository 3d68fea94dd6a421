package dev.floe.consumer.decode;

import com.fasterxml.jackson.core.Base64Variants;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.StringWriter;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.ByteBuffer;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.OffsetTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.UUID;

/** Readers of JSON scalars, one per row-model type; each checks the JSON kind and the format. */
final class JsonSchemaScalars {
  private static final JsonFactory JSON = new JsonFactory();

  private JsonSchemaScalars() {}

  static final JsonSchemaReader BOOLEAN =
      p ->
          switch (p.currentToken()) {
            case VALUE_TRUE -> Boolean.TRUE;
            case VALUE_FALSE -> Boolean.FALSE;
            default -> throw JsonSchemaValueException.mismatch("a boolean", p);
          };

  static final JsonSchemaReader STRING =
      p -> {
        if (p.currentToken() != JsonToken.VALUE_STRING) {
          throw JsonSchemaValueException.mismatch("a string", p);
        }
        return p.getText();
      };

  static final JsonSchemaReader LONG = JsonSchemaScalars::readLong;

  static final JsonSchemaReader INT =
      p -> {
        long v = readLong(p);
        if (v != (int) v) {
          throw new JsonSchemaValueException(v + " is out of range for a 32-bit integer");
        }
        return (int) v;
      };

  static final JsonSchemaReader DOUBLE =
      p -> {
        JsonToken t = p.currentToken();
        if (t != JsonToken.VALUE_NUMBER_INT && t != JsonToken.VALUE_NUMBER_FLOAT) {
          throw JsonSchemaValueException.mismatch("a number", p);
        }
        double d = p.getDoubleValue();
        if (Double.isInfinite(d)) {
          throw new JsonSchemaValueException(p.getText() + " is out of range for a double");
        }
        return d;
      };

  static final JsonSchemaReader FLOAT =
      p -> {
        double d = (Double) DOUBLE.read(p);
        float f = (float) d;
        if (Float.isInfinite(f)) {
          throw new JsonSchemaValueException(p.getText() + " is out of range for a float");
        }
        return f;
      };

  /** Base64 text ({@code contentEncoding: base64}, {@code format: byte}). */
  static final JsonSchemaReader BINARY =
      p -> {
        text(p, "base64 text");
        return ByteBuffer.wrap(p.getBinaryValue(Base64Variants.MIME_NO_LINEFEEDS));
      };

  static final JsonSchemaReader DATE =
      p -> {
        String s = text(p, "a date");
        try {
          return (int) LocalDate.parse(s).toEpochDay();
        } catch (DateTimeParseException e) {
          throw new JsonSchemaValueException("'" + s + "' is not a date (format date: yyyy-mm-dd)");
        }
      };

  /** A time of day; one with an offset is moved to UTC, one without is taken as it is. */
  static final JsonSchemaReader TIME =
      p -> {
        String s = text(p, "a time");
        try {
          LocalTime t =
              hasOffset(s)
                  ? OffsetTime.parse(s, DateTimeFormatter.ISO_OFFSET_TIME)
                      .withOffsetSameInstant(ZoneOffset.UTC)
                      .toLocalTime()
                  : LocalTime.parse(s);
          return t.toNanoOfDay() / 1000L;
        } catch (DateTimeParseException e) {
          throw new JsonSchemaValueException(
              "'" + s + "' is not a time (format time: hh:mm:ss[.ffffff][Z|+hh:mm])");
        }
      };

  /** RFC 3339 date-time: the offset is required, the value is stored in UTC. */
  static final JsonSchemaReader TIMESTAMPTZ =
      p -> {
        String s = text(p, "a date-time");
        long fast = JsonSchemaTimestamps.offsetDateTimeMicros(s);
        if (fast != JsonSchemaTimestamps.NOT_FAST) {
          return fast;
        }
        OffsetDateTime t;
        try {
          t = OffsetDateTime.parse(s, DateTimeFormatter.ISO_OFFSET_DATE_TIME);
        } catch (DateTimeParseException e) {
          throw new JsonSchemaValueException(
              isLocalDateTime(s)
                  ? "'"
                      + s
                      + "' has no UTC offset, which format date-time (RFC 3339) requires;"
                      + " declare format local-date-time for timestamps without zone"
                  : "'"
                      + s
                      + "' is not a date-time (format date-time: RFC 3339, e.g."
                      + " 2024-05-01T12:30:00Z)");
        }
        return micros(t.toEpochSecond(), t.getNano());
      };

  /** Floe's {@code format: local-date-time}: a date-time without offset, stored as it is. */
  static final JsonSchemaReader TIMESTAMP =
      p -> {
        String s = text(p, "a local date-time");
        try {
          LocalDateTime t = LocalDateTime.parse(s, DateTimeFormatter.ISO_LOCAL_DATE_TIME);
          return micros(t.toEpochSecond(ZoneOffset.UTC), t.getNano());
        } catch (DateTimeParseException e) {
          throw new JsonSchemaValueException(
              "'" + s + "' is not a local date-time (format local-date-time: 2024-05-01T12:30:00)");
        }
      };

  static final JsonSchemaReader UUID_READER =
      p -> {
        String s = text(p, "a uuid");
        try {
          // UUID.fromString accepts short groups like 1-2-3-4-5; the canonical form has 36 chars.
          if (s.length() == 36) {
            return UUID.fromString(s);
          }
        } catch (IllegalArgumentException e) {
          // reported below
        }
        throw new JsonSchemaValueException("'" + s + "' is not a uuid (format uuid)");
      };

  /** A schema without type constraint: the value's JSON text, compact. */
  static final JsonSchemaReader JSON_TEXT =
      p -> {
        StringWriter out = new StringWriter();
        try (JsonGenerator g = JSON.createGenerator(out)) {
          g.copyCurrentStructure(p);
        }
        return out.toString();
      };

  /** A decimal from a JSON number or a string holding one, exact, at the type's scale. */
  static JsonSchemaReader decimal(int precision, int scale) {
    return p -> {
      BigDecimal d;
      switch (p.currentToken()) {
        case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> d = p.getDecimalValue();
        case VALUE_STRING -> {
          try {
            d = new BigDecimal(p.getText());
          } catch (NumberFormatException e) {
            throw new JsonSchemaValueException("'" + p.getText() + "' is not a decimal number");
          }
        }
        default -> throw JsonSchemaValueException.mismatch("a decimal number", p);
      }
      try {
        d = d.setScale(scale, RoundingMode.UNNECESSARY);
      } catch (ArithmeticException e) {
        throw new JsonSchemaValueException(
            d.toPlainString() + " has more than " + scale + " fractional digits");
      }
      if (d.precision() > precision) {
        throw new JsonSchemaValueException(
            d.toPlainString() + " does not fit decimal(" + precision + "," + scale + ")");
      }
      return d;
    };
  }

  private static long readLong(JsonParser p) throws java.io.IOException {
    switch (p.currentToken()) {
      case VALUE_NUMBER_INT -> {
        if (p.getNumberType() == JsonParser.NumberType.BIG_INTEGER) {
          throw new JsonSchemaValueException(p.getText() + " is out of range for a 64-bit integer");
        }
        return p.getLongValue();
      }
      case VALUE_NUMBER_FLOAT -> { // JSON Schema counts 2.0 as an integer
        BigDecimal d = p.getDecimalValue();
        if (d.signum() != 0 && d.stripTrailingZeros().scale() > 0) {
          throw new JsonSchemaValueException(p.getText() + " is not an integer");
        }
        try {
          return d.longValueExact();
        } catch (ArithmeticException e) {
          throw new JsonSchemaValueException(p.getText() + " is out of range for a 64-bit integer");
        }
      }
      default -> throw JsonSchemaValueException.mismatch("an integer", p);
    }
  }

  private static String text(JsonParser p, String expected) throws java.io.IOException {
    if (p.currentToken() != JsonToken.VALUE_STRING) {
      throw JsonSchemaValueException.mismatch("a string (" + expected + ")", p);
    }
    return p.getText();
  }

  private static boolean hasOffset(String time) {
    if (time.isEmpty()) {
      return false;
    }
    char last = time.charAt(time.length() - 1);
    return last == 'Z' || last == 'z' || time.indexOf('+') > 0 || time.indexOf('-') > 0;
  }

  private static boolean isLocalDateTime(String s) {
    try {
      LocalDateTime.parse(s, DateTimeFormatter.ISO_LOCAL_DATE_TIME);
      return true;
    } catch (DateTimeParseException e) {
      return false;
    }
  }

  private static long micros(long epochSecond, int nano) throws JsonSchemaValueException {
    try {
      return ValueRanges.micros(epochSecond, nano);
    } catch (ValueRanges.OutOfRangeException e) {
      throw new JsonSchemaValueException(e.getMessage());
    }
  }
}
