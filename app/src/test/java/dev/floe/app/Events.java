package dev.floe.app;

import dev.floe.testsupport.ConfluentAvroProducer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Future;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.clients.producer.RecordMetadata;

/** A small event for volume tests, produced through Apicurio's serializer. */
final class Events {
  static final Schema SCHEMA =
      new Schema.Parser()
          .parse(
              """
      {"type": "record", "name": "Event", "namespace": "it", "fields": [
        {"name": "seq", "type": "long"},
        {"name": "user", "type": "string"},
        {"name": "ts", "type": {"type": "long", "logicalType": "timestamp-millis"}},
        {"name": "amount", "type": ["null", "double"], "default": null}
      ]}""");

  private Events() {}

  static GenericRecord event(long seq) {
    GenericRecord e = new GenericData.Record(SCHEMA);
    e.put("seq", seq);
    e.put("user", "user-" + (seq % 977));
    e.put("ts", 1_760_000_000_000L + seq);
    e.put("amount", seq % 3 == 0 ? null : seq / 100.0);
    return e;
  }

  /** Produces {@code count} events round-robin over partitions and waits for all acks. */
  static List<RecordMetadata> produce(
      ConfluentAvroProducer producer, String topic, long firstSeq, int count) throws Exception {
    List<Future<RecordMetadata>> sent = new ArrayList<>(count);
    for (long i = firstSeq; i < firstSeq + count; i++) {
      sent.add(producer.send(topic, event(i)));
    }
    producer.flush();
    List<RecordMetadata> acked = new ArrayList<>(count);
    for (Future<RecordMetadata> f : sent) {
      acked.add(f.get());
    }
    return acked;
  }
}
