package dev.floe.consumer;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.slf4j.MDC;

/**
 * Log fields (SLF4J MDC) for the lines written while handling one table or one record: the JSON log
 * layout shows them as {@code table}, {@code topic}, {@code partition} and {@code offset}, so that
 * a log search finds every line about a table or a record. Set around commits and bad records only,
 * never per good record.
 */
final class LogContext implements AutoCloseable {
  private final String[] keys;

  private LogContext(String... keys) {
    this.keys = keys;
  }

  static LogContext table(String table) {
    MDC.put("table", table);
    return new LogContext("table");
  }

  static LogContext record(String table, ConsumerRecord<?, ?> r) {
    MDC.put("table", table);
    MDC.put("topic", r.topic());
    MDC.put("partition", Integer.toString(r.partition()));
    MDC.put("offset", Long.toString(r.offset()));
    return new LogContext("table", "topic", "partition", "offset");
  }

  @Override
  public void close() {
    for (String k : keys) {
      MDC.remove(k);
    }
  }
}
