package dev.floe.core.sink;

/**
 * A table column as a Hive-style catalog lists it (Glue, Hive Metastore): its name and its type in
 * Hive's type syntax, e.g. {@code bigint} or {@code struct<id:bigint,tags:array<string>>}.
 */
public record Column(String name, String type) {}
