package dev.floe.consumer.route;

import dev.floe.core.config.TableMapping;
import dev.floe.core.sink.TableSpec;

/** One table a topic's records go to, in one format. */
public record TableRoute(TableMapping mapping, TableSpec spec, TableMapping.Format format) {
  /** Key of the table across formats and mappings, e.g. {@code iceberg:sales.orders}. */
  public String key() {
    return format.name().toLowerCase(java.util.Locale.ROOT) + ":" + spec.id();
  }
}
