package dev.floe.consumer.decode;

import java.io.IOException;

/**
 * A payload that failed to decode, with the path of the field where it failed ({@code
 * order.items.price: ...}). Each enclosing record adds its field name on the way out, so the path
 * costs nothing for payloads that decode.
 */
final class FieldPathException extends IOException {
  private final String path;
  private final String cause;

  private FieldPathException(String path, String cause, Throwable original) {
    super(path + ": " + cause, original);
    this.path = path;
    this.cause = cause;
  }

  static FieldPathException at(String field, Throwable e) {
    if (e instanceof FieldPathException inner) {
      return new FieldPathException(field + "." + inner.path, inner.cause, inner.getCause());
    }
    String why =
        e instanceof java.io.EOFException || e instanceof ArrayIndexOutOfBoundsException
            ? "the payload ends before this field (truncated, or written with another schema)"
            : e.getMessage() != null ? e.getMessage() : e.toString();
    return new FieldPathException(field, why, e);
  }

  @Override
  public String toString() {
    return getMessage(); // no class name in bad-record messages
  }
}
