package dev.floe.consumer.route;

import dev.floe.core.config.TableMapping;
import dev.floe.core.sink.TableSpec;
import java.util.Locale;

/**
 * One table a topic's records go to, in one format.
 *
 * @param key the table across formats and mappings, e.g. {@code iceberg:sales.orders}; computed
 *     once because the worker looks batches up by it for every record
 */
public record TableRoute(
    TableMapping mapping, TableSpec spec, TableMapping.Format format, String key) {
  public TableRoute(TableMapping mapping, TableSpec spec, TableMapping.Format format) {
    this(mapping, spec, format, format.name().toLowerCase(Locale.ROOT) + ":" + spec.id());
  }
}
