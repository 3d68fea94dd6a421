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
  private final PipelineStats stats = new PipelineStats();
  private final List<ConsumerWorker> workers = new ArrayList<>();
  private final List<Thread> threads = new ArrayList<>();
  private final AtomicReference<Throwable> failure = new AtomicReference<>();
  private CountDownLatch finished;

  /**
   * @param sinks the table sinks by format name ({@code iceberg})
   */
  public Pipeline(FloeConfig config, Map<String, TableSink> sinks) {
    this.config = config;
    this.sinks = Map.copyOf(sinks);
  }

  public synchronized void start() {
    if (finished != null) {
      throw new IllegalStateException("pipeline already started");
    }
    Router router = new Router(config);
    // Plain-JSON-only configs have no registry.
    RecordDecoder decoder =
        new RecordDecoder(
            config.schemaRegistry() == null
                ? null
                : new SchemaRegistryClient(config.schemaRegistry()));
    String reset = config.kafka().getOrDefault("auto.offset.reset", "earliest");
    finished = new CountDownLatch(config.workers());
    for (int i = 0; i < config.workers(); i++) {
      String clientId = config.groupId() + "-" + ProcessHandle.current().pid() + "-" + i;
      KafkaConsumer<byte[], byte[]> consumer =
          new KafkaConsumer<>(KafkaSettings.consumerProperties(config.kafka(), clientId, i));
      ConsumerWorker worker =
          new ConsumerWorker(
              consumer,
              config.groupId(),
              router,
              decoder,
              sinks,
              reset,
              stats,
              new DeadLetters(config.kafka(), clientId),
              new DeadLetterIndex(config.kafka(), router));
      Thread thread = new Thread(() -> runWorker(worker), "floe-worker-" + i);
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
