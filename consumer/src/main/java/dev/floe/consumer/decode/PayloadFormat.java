package dev.floe.consumer.decode;

import dev.floe.consumer.registry.RegisteredSchema;
import dev.floe.consumer.registry.SchemaRegistryClient;

/**
 * One schema language of the registry ({@code AVRO}, {@code PROTOBUF}, {@code JSON}): compiles a
 * registered schema, once per schema id, into a decoder of the payloads written with it.
 */
interface PayloadFormat {
  /** The registry's name for the schema type, e.g. {@code PROTOBUF}. */
  String schemaType();

  /**
   * Compiles a schema.
   *
   * @param registry to fetch the schemas that {@code schema} references (imports)
   * @param metadataColumn the Kafka metadata column to end every row type with, or null; use {@link
   *     KafkaMetadata#append} and leave its value slot (the last) empty
   * @throws IllegalArgumentException when the schema cannot become a table schema; the message
   *     names the field path and why
   */
  PayloadDecoder compile(
      RegisteredSchema schema, SchemaRegistryClient registry, String metadataColumn);

  /**
   * Compiles a key schema. Unlike values, keys may be scalars (an Avro {@code "string"} key); a
   * format whose top level is always a message or object decodes keys as it decodes values.
   *
   * @throws IllegalArgumentException as {@link #compile}
   */
  default KeyReader compileKey(RegisteredSchema schema, SchemaRegistryClient registry) {
    PayloadDecoder values = compile(schema, registry, null);
    return (bytes, offset) -> {
      PayloadDecoder.Decoded d = values.decode(bytes, offset);
      return new KeyReader.Key(d.type(), dev.floe.core.row.Row.wrap(d.values()));
    };
  }
}
