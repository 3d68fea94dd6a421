package dev.floe.consumer.registry;

import java.util.List;

/**
 * A schema as the registry returns it.
 *
 * @param id the schema id, or 0 for a schema fetched by subject and version
 * @param type {@code AVRO}, {@code PROTOBUF} or {@code JSON} (the registry omits it for Avro)
 * @param references the other schemas this one imports (Protobuf imports, JSON Schema and Avro
 *     named types from other subjects), to be fetched with {@link SchemaRegistryClient#referenced}
 */
public record RegisteredSchema(int id, String type, String text, List<Reference> references) {
  public RegisteredSchema {
    references = List.copyOf(references);
  }

  public RegisteredSchema(int id, String type, String text) {
    this(id, type, text, List.of());
  }

  /**
   * One import: {@code name} is how the schema text refers to it (e.g. {@code common/money.proto}),
   * {@code subject} and {@code version} where the registry keeps it.
   */
  public record Reference(String name, String subject, int version) {}
}
