package dev.floe.consumer.decode;

import dev.floe.core.row.Row;
import dev.floe.core.row.Type;

/**
 * The key columns of a record, taken from its Kafka key: what a tombstone deletes. {@code schema}
 * holds the key columns by name and is one instance per key schema.
 */
public record DecodedKey(Type.Struct schema, Row row) {}
