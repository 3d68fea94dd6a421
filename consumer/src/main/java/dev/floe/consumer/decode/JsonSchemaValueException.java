package dev.floe.consumer.decode;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;

/**
 * A JSON value that does not match its schema. The readers throw it at the leaf and every enclosing
 * object or array prepends its segment on the way out, so the happy path never builds a path and
 * the message still names the field, e.g. {@code order.items[2].price: expected a number, got a
 * string}.
 */
final class JsonSchemaValueException extends IOException {
  private final String problem;
  private String path = "";

  JsonSchemaValueException(String problem) {
    super(problem);
    this.problem = problem;
  }

  /** Jackson's own complaint (truncated or malformed JSON, bad base64), without its location. */
  static JsonSchemaValueException malformed(JsonProcessingException e) {
    // Jackson appends where a container started; the field path says that better.
    String message = e.getOriginalMessage().replaceFirst(" \\(start marker at .*$", "");
    JsonSchemaValueException v = new JsonSchemaValueException("malformed JSON: " + message);
    v.initCause(e);
    return v;
  }

  /** A value of the wrong JSON kind, e.g. "expected a number, got a string". */
  static JsonSchemaValueException mismatch(String expected, JsonParser p) {
    return new JsonSchemaValueException(
        "expected " + expected + ", got " + describe(p.currentToken()));
  }

  static String describe(JsonToken token) {
    if (token == null) {
      return "the end of the input";
    }
    return switch (token) {
      case VALUE_STRING -> "a string";
      case VALUE_NUMBER_INT -> "an integer";
      case VALUE_NUMBER_FLOAT -> "a number";
      case VALUE_TRUE, VALUE_FALSE -> "a boolean";
      case VALUE_NULL -> "null";
      case START_OBJECT -> "an object";
      case START_ARRAY -> "an array";
      default -> token.asString() == null ? token.name() : "'" + token.asString() + "'";
    };
  }

  /** Prepends a property name to the path. */
  JsonSchemaValueException at(String property) {
    path = path.isEmpty() || path.charAt(0) == '[' ? property + path : property + "." + path;
    return this;
  }

  /** Prepends an array position to the path. */
  JsonSchemaValueException index(int i) {
    path = path.isEmpty() || path.charAt(0) == '[' ? "[" + i + "]" + path : "[" + i + "]." + path;
    return this;
  }

  String path() {
    return path;
  }

  @Override
  public String getMessage() {
    return path.isEmpty() ? problem : path + ": " + problem;
  }

  /**
   * No stack trace: the message says where in the value the problem is, and unions try branches by
   * catching this exception, which must stay cheap.
   */
  @Override
  public synchronized Throwable fillInStackTrace() {
    return this;
  }

  /** Just the message: RecordDecoder quotes the exception and the class name says nothing. */
  @Override
  public String toString() {
    return getMessage();
  }
}
