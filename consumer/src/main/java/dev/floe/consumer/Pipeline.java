package dev.floe.consumer;

import dev.floe.consumer.decode.RecordDecoder;
import dev.floe.consumer.registry.SchemaRegistryClient;
import dev.floe.consumer.route.Router;
import dev.floe.core.config.FloeConfig;
import dev.floe.core.sink.TableSink;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.UnaryOperator;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The running materializer: {@code workers} consumer threads in one group, sharing the decoder and
 * the table sinks. When one worker fails, the others commit what they have and stop too, so the
 * process exits with the first error.
 */
public final class Pipeline implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Pipeline.class);

  private final FloeConfig config;
  private final Map<String, TableSink> sinks;
  private final PipelineStats stats;
  private final List<ConsumerWorker> workers = new ArrayList<>();
  private final List<Thread> threads = new ArrayList<>();
  private final AtomicReference<Throwable> failure = new AtomicReference<>();
  private CountDownLatch finished;

  /**
   * @param sinks the table sinks by format name ({@code iceberg})
   */
  public Pipeline(FloeConfig config, Map<String, TableSink> sinks) {
    this(config, sinks, new PipelineStats());
  }

  /** A pipeline whose metrics are recorded on {@code stats}'s registry. */
  public Pipeline(FloeConfig config, Map<String, TableSink> sinks, PipelineStats stats) {
    this(config, sinks, new Router(config), UnaryOperator.identity(), config.groupId(), stats);
  }

  private final Router router;
  private final UnaryOperator<ConsumerRecord<byte[], byte[]>> source;
  private final String group;

  private Pipeline(
      FloeConfig config,
      Map<String, TableSink> sinks,
      Router router,
      UnaryOperator<ConsumerRecord<byte[], byte[]>> source,
      String group,
      PipelineStats stats) {
    this.stats = stats;
    this.config = config;
    for (int i = 0; i < config.workers(); i++) {
      stats.joining("floe-worker-" + i); // not ready before its first assignment is positioned
    }
    this.sinks = Map.copyOf(sinks);
    this.router = router;
    this.source = source;
    this.group = group;
  }

  /**
   * A pipeline that re-ingests the dead letters of {@code table}: it consumes the dead-letter
   * topics (keys of {@code sources}, values their source topics) as consumer group {@code group}
   * and writes each letter's original record, with its original topic, partition and offset,
   * exactly once: the table records the group's progress through the dead-letter topics as for any
   * source.
   */
  public static Pipeline replaying(
      FloeConfig config,
      Map<String, TableSink> sinks,
      Map<String, String> sources,
      dev.floe.core.TableId table,
      String group) {
    return new Pipeline(
        config,
        sinks,
        Router.replaying(config, sources, table),
        DeadLetters::original,
        group,
        new PipelineStats());
  }

  public synchronized void start() {
    if (finished != null) {
      throw new IllegalStateException("pipeline already started");
    }
    // Plain-JSON-only configs have no registry.
    RecordDecoder decoder =
        new RecordDecoder(
            config.schemaRegistry() == null
                ? null
                : new SchemaRegistryClient(config.schemaRegistry()));
    String reset = config.kafka().getOrDefault("auto.offset.reset", "earliest");
    finished = new CountDownLatch(config.workers());
    for (int i = 0; i < config.workers(); i++) {
      String clientId = group + "-" + ProcessHandle.current().pid() + "-" + i;
      Map<String, String> kafka = new java.util.HashMap<>(config.kafka());
      kafka.put("group.id", group);
      KafkaConsumer<byte[], byte[]> consumer =
          new KafkaConsumer<>(KafkaSettings.consumerProperties(kafka, clientId, i));
      String name = "floe-worker-" + i;
      ConsumerWorker worker =
          new ConsumerWorker(
              name,
              consumer,
              group,
              router,
              decoder,
              sinks,
              reset,
              stats,
              new DeadLetters(config.kafka(), clientId),
              new DeadLetterIndex(config.kafka(), router),
              source,
              new FaultEpisodes(name, config.unhealthyAfter(), stats));
      Thread thread = new Thread(() -> runWorker(worker), name);
      workers.add(worker);
      threads.add(thread);
    }
    threads.forEach(Thread::start);
  }

  private void runWorker(ConsumerWorker worker) {
    try {
      worker.run();
    } catch (Throwable t) {
      if (failure.compareAndSet(null, t)) {
        LOG.error("Pipeline stopping: {}", t.getMessage(), t);
        workers.forEach(ConsumerWorker::stop);
      }
    } finally {
      finished.countDown();
    }
  }

  /** Asks every worker to commit what it has written and leave the group. */
  public void stop() {
    workers.forEach(ConsumerWorker::stop);
  }

  /** Waits until all workers have stopped; true if they did within the timeout. */
  public boolean await(long timeout, TimeUnit unit) throws InterruptedException {
    return finished.await(timeout, unit);
  }

  /** The first error that stopped the pipeline, or null. */
  public Throwable failure() {
    return failure.get();
  }

  public PipelineStats stats() {
    return stats;
  }

  /** Stops gracefully (final commits) and waits for the workers. */
  @Override
  public void close() {
    stop();
    try {
      if (finished != null && !finished.await(2, TimeUnit.MINUTES)) {
        LOG.warn("Workers did not stop within 2 minutes");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
