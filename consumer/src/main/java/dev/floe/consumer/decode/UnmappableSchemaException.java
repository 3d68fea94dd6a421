package dev.floe.consumer.decode;

/**
 * A schema that cannot become a table schema, found while decoding (Protobuf compiles each message
 * type of a schema on first use): a schema problem, not a payload problem.
 */
final class UnmappableSchemaException extends RuntimeException {
  UnmappableSchemaException(String message, Throwable cause) {
    super(message, cause);
  }
}
