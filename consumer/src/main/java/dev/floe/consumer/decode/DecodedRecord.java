package dev.floe.consumer.decode;

import dev.floe.core.row.Row;
import dev.floe.core.row.Type;

/**
 * A record as a table row. {@code schema} is the same instance for every record of one schema id
 * (and metadata column), which lets sinks cache per schema.
 */
public record DecodedRecord(Type.Struct schema, Row row, int schemaId) {}
