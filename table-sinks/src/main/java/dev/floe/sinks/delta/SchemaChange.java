package dev.floe.sinks.delta;

import io.delta.standalone.types.StructType;

/**
 * A change of a Delta table's schema that a commit carries: from {@code base}, the schema the
 * batch's files were planned from, to {@code evolved}; {@code source} names the source schema of
 * the rows that needed it (see WriteBatch#source), or is null.
 */
record SchemaChange(StructType base, StructType evolved, String source) {}
