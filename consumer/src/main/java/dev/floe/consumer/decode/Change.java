package dev.floe.consumer.decode;

/**
 * What a change event does to its table: upsert {@code row}, or delete {@code key}. Exactly one is
 * set.
 */
public record Change(DecodedRecord row, DecodedKey delete) {}
