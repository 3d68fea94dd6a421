package dev.floe.consumer.registry;

/**
 * A schema as the registry returns it for an id.
 *
 * @param type {@code AVRO}, {@code PROTOBUF} or {@code JSON} (the registry omits it for Avro)
 */
public record RegisteredSchema(int id, String type, String text) {}
