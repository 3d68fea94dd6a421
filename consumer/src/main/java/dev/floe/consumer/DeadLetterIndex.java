package dev.floe.consumer;

import dev.floe.consumer.route.Router;
import dev.floe.consumer.route.TableRoute;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The records of assigned partitions that are in their dead-letter topics already. A worker that
 * crashed after writing a dead letter but before committing the table past its record meets the
 * record again after the restart; this index lets it see the letter is written, so that the record
 * lands in its dead-letter topic exactly once. Built by reading the dead-letter topics of the
 * assigned partitions' mappings when partitions are assigned (they hold only bad records, so they
 * are small).
 */
final class DeadLetterIndex {
  private static final Logger LOG = LoggerFactory.getLogger(DeadLetterIndex.class);
  private static final Duration POLL = Duration.ofMillis(200);

  private final Map<String, String> kafka;
  private final Router router;
  private final Set<String> written = new HashSet<>();

  DeadLetterIndex(Map<String, String> kafka, Router router) {
    this.kafka = kafka;
    this.router = router;
  }

  /** Whether the record at {@code topic-partition@offset} is in {@code deadLetterTopic}. */
  boolean contains(String deadLetterTopic, String topic, int partition, long offset) {
    return written.contains(key(deadLetterTopic, topic, partition, offset));
  }

  boolean isEmpty() {
    return written.isEmpty();
  }

  void add(String deadLetterTopic, String topic, int partition, long offset) {
    written.add(key(deadLetterTopic, topic, partition, offset));
  }

  /** Reads the dead-letter topics of the mappings of {@code partitions}' topics. */
  void load(Collection<TopicPartition> partitions) {
    Set<String> sources = new HashSet<>();
    Set<String> topics = new HashSet<>();
    for (TopicPartition tp : partitions) {
      for (TableRoute route : router.routes(tp.topic())) {
        String dlq = route.mapping().deadLetterTopicFor(tp.topic());
        if (dlq != null) {
          topics.add(dlq);
          sources.add(tp.topic() + "-" + tp.partition());
        }
      }
    }
    if (topics.isEmpty()) {
      return;
    }
    long start = System.nanoTime();
    int found = 0;
    try (KafkaConsumer<byte[], byte[]> reader = reader()) {
      for (String topic : topics) {
        found += read(reader, topic, sources);
      }
    }
    LOG.info(
        "Dead-letter topics {}: {} letters of the assigned partitions already written (read in {} ms)",
        topics,
        found,
        (System.nanoTime() - start) / 1_000_000);
  }

  private int read(KafkaConsumer<byte[], byte[]> reader, String topic, Set<String> sources) {
    List<PartitionInfo> infos = reader.partitionsFor(topic, Duration.ofSeconds(10));
    if (infos == null || infos.isEmpty()) {
      return 0; // not created yet: nothing was dead-lettered
    }
    List<TopicPartition> tps = new ArrayList<>();
    infos.forEach(i -> tps.add(new TopicPartition(topic, i.partition())));
    reader.assign(tps);
    reader.seekToBeginning(tps);
    Map<TopicPartition, Long> end = new HashMap<>(reader.endOffsets(tps));
    int found = 0;
    while (!end.isEmpty()) {
      for (ConsumerRecord<byte[], byte[]> r : reader.poll(POLL)) {
        String source = header(r, DeadLetters.SOURCE_TOPIC);
        String partition = header(r, DeadLetters.SOURCE_PARTITION);
        String offset = header(r, DeadLetters.SOURCE_OFFSET);
        if (source != null
            && partition != null
            && offset != null
            && sources.contains(source + "-" + partition)) {
          written.add(key(topic, source, Integer.parseInt(partition), Long.parseLong(offset)));
          found++;
        }
      }
      end.entrySet().removeIf(e -> reader.position(e.getKey()) >= e.getValue());
    }
    return found;
  }

  private KafkaConsumer<byte[], byte[]> reader() {
    Map<String, Object> props = new HashMap<>();
    kafka.forEach(
        (k, v) -> {
          if (ConsumerConfig.configNames().contains(k)
              || k.startsWith("sasl.")
              || k.startsWith("ssl.")) {
            props.put(k, v);
          }
        });
    props.remove(ConsumerConfig.GROUP_ID_CONFIG); // assigned, not subscribed: no group
    props.remove(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG);
    props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
    props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_uncommitted");
    return new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer());
  }

  private static String header(ConsumerRecord<byte[], byte[]> r, String key) {
    Header h = r.headers().lastHeader(key);
    return h == null || h.value() == null ? null : new String(h.value(), StandardCharsets.UTF_8);
  }

  private static String key(String dlq, String topic, int partition, long offset) {
    return dlq + "|" + topic + "|" + partition + "|" + offset;
  }
}
