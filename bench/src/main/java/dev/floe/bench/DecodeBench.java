package dev.floe.bench;

import dev.floe.consumer.decode.DecodedRecord;
import dev.floe.consumer.decode.RecordDecoder;
import dev.floe.consumer.registry.SchemaRegistryClient;
import dev.floe.core.config.RegistrySettings;
import dev.floe.core.row.Row;
import dev.floe.embedded.EmbeddedSchemaRegistry;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Decode + convert of the benchmark event, per payload format: a Confluent-framed Kafka record
 * becomes a Floe row ({@link RecordDecoder#decode}), the form Floe's table writers consume. One
 * operation is one row, on one thread, so ops/s is rows/s per core. The schema is fetched from an
 * embedded registry once, in setup; the records are 10,000 pre-generated, varied events, cycled.
 *
 * <p>Every {@link EventFormat} constant is measured ({@code format} has no explicit values).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Threads(1)
@Fork(1)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class DecodeBench {
  private static final int EVENTS = 10_000;
  private static final String TOPIC = "bench-events";

  @Param public EventFormat format;

  private EmbeddedSchemaRegistry registry;
  private RecordDecoder decoder;
  private ConsumerRecord<byte[], byte[]>[] records;
  private int next;

  @Setup
  public void setUp() {
    registry = EmbeddedSchemaRegistry.start();
    int schemaId = registry.register(TOPIC + "-value", format.schemaType, format.schema);
    decoder =
        new RecordDecoder(
            new SchemaRegistryClient(
                new RegistrySettings(
                    registry.url(),
                    null,
                    null,
                    null,
                    Duration.ofSeconds(5),
                    Duration.ofSeconds(5))));
    records = records(schemaId);
    checkDecodes(records[0]);
  }

  /**
   * Fails the trial, rather than measuring a shortcut, if the first event does not decode as
   * written.
   */
  private void checkDecodes(ConsumerRecord<byte[], byte[]> record) {
    DecodedRecord decoded = decoder.decode(record, "_kafka");
    Row row = decoded.row();
    Object eventId = row.get(decoded.schema().indexOf("event_id"));
    Object pageUrl = row.get(decoded.schema().indexOf("page_url"));
    GenericRecord event = new BenchEvents(42).next();
    if (row.size() != BenchEvents.SCHEMA.getFields().size() + 1
        || !event.get("event_id").equals(eventId)
        || !event.get("page_url").toString().equals(String.valueOf(pageUrl))
        || row.get(row.size() - 1) == null) {
      throw new IllegalStateException("the benchmark event decoded to an unexpected row: " + row);
    }
  }

  @TearDown
  public void tearDown() {
    registry.close();
  }

  /** With the {@code _kafka} metadata column, Floe's default. */
  @Benchmark
  public DecodedRecord withMetadata() {
    return decoder.decode(nextRecord(), "_kafka");
  }

  @Benchmark
  public DecodedRecord withoutMetadata() {
    return decoder.decode(nextRecord(), (String) null);
  }

  private ConsumerRecord<byte[], byte[]> nextRecord() {
    ConsumerRecord<byte[], byte[]> r = records[next];
    next = next + 1 == records.length ? 0 : next + 1;
    return r;
  }

  @SuppressWarnings("unchecked")
  private ConsumerRecord<byte[], byte[]>[] records(int schemaId) {
    BenchEvents events = new BenchEvents(42);
    ConsumerRecord<byte[], byte[]>[] out = new ConsumerRecord[EVENTS];
    for (int i = 0; i < EVENTS; i++) {
      GenericRecord event = events.next();
      byte[] key = event.get("user_id").toString().getBytes(StandardCharsets.UTF_8);
      byte[] value = format.framed(schemaId, event);
      // As the consumer delivers them: keyed by user id, create-time timestamp, no headers.
      out[i] =
          new ConsumerRecord<>(
              TOPIC,
              i % 4,
              i,
              (long) event.get("event_ts_ms"),
              TimestampType.CREATE_TIME,
              key.length,
              value.length,
              key,
              value,
              new RecordHeaders(),
              Optional.empty());
    }
    return out;
  }
}
