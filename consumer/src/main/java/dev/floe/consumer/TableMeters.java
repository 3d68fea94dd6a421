package dev.floe.consumer;

import dev.floe.core.sink.CommitResult;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The meters and latest state of one table in one format. Registered on first use, so that a table
 * appears in {@code /metrics} once Floe writes to it. Updated by the worker threads; read by the
 * metrics scrape and {@code /status}.
 */
final class TableMeters {
  private final String table;
  private final String format;
  private final Counter records;
  private final Counter bytes;
  private final Counter commits;
  private final Timer latency;
  private final DistributionSummary files;
  private final Counter deadLetters;
  private final Counter skipped;
  private final Counter evolutions;
  private final AtomicLong lastCommitMillis = new AtomicLong();
  private final AtomicLong newestRecordMillis = new AtomicLong();
  private final AtomicReference<String> lastError = new AtomicReference<>();
  // per worker: each worker owns its own open batches, so the table's total is their sum
  private final Map<String, long[]> buffered = new ConcurrentHashMap<>();
  // as many entries as the dead-letter index holds offsets: few, or the mapping is broken anyway
  private final java.util.Set<String> lettered = ConcurrentHashMap.newKeySet();

  TableMeters(MeterRegistry registry, String table, String format) {
    this.table = table;
    this.format = format;
    Tags tags = Tags.of("table", table, "format", format);
    records = counter(registry, tags, "floe.records.written", "Rows committed to the table");
    bytes =
        counter(registry, tags, "floe.bytes.written", "Bytes of data files committed to the table");
    commits = counter(registry, tags, "floe.commits", "Table commits");
    latency =
        Timer.builder("floe.commit.latency")
            .description("Time to close the batch's files and commit them with their offsets")
            .tags(tags)
            .publishPercentileHistogram()
            .minimumExpectedValue(Duration.ofMillis(5))
            .maximumExpectedValue(Duration.ofMinutes(2))
            .register(registry);
    files =
        DistributionSummary.builder("floe.commit.files")
            .description("Data files per commit")
            .tags(tags)
            .register(registry);
    deadLetters =
        counter(
            registry, tags, "floe.dead.letters", "Bad records written to the dead-letter topic");
    skipped =
        counter(registry, tags, "floe.records.skipped", "Bad records skipped under on-error: skip");
    evolutions =
        counter(
            registry, tags, "floe.schema.evolutions", "Batches that changed the table's schema");
    Gauge.builder("floe.freshness", this, TableMeters::freshnessSeconds)
        .description(
            "Seconds between now and the newest record timestamp committed to the table (NaN"
                + " before the first commit)")
        .baseUnit("seconds")
        .tags(tags)
        .register(registry);
    Gauge.builder("floe.last.commit.timestamp", this, m -> m.lastCommitMillis.get() / 1000.0)
        .description("Epoch seconds of the last commit to the table by this process")
        .baseUnit("seconds")
        .tags(tags)
        .register(registry);
    Gauge.builder("floe.buffered.bytes", this, m -> m.bufferedBytes())
        .description("Estimated bytes written to open (uncommitted) data files")
        .tags(tags)
        .register(registry);
    Gauge.builder("floe.open.batches", this, m -> m.openBatches())
        .description("Open batches (one per worker with uncommitted rows for the table)")
        .tags(tags)
        .register(registry);
  }

  void committed(CommitResult result, long newestRecordMillis) {
    records.increment(result.records());
    bytes.increment(result.bytes());
    commits.increment();
    latency.record(result.millis(), TimeUnit.MILLISECONDS);
    files.record(result.dataFiles());
    lastCommitMillis.set(System.currentTimeMillis());
    this.newestRecordMillis.accumulateAndGet(newestRecordMillis, Math::max);
  }

  void evolved(int changes) {
    evolutions.increment(changes);
  }

  /** Counts a record sent to the dead-letter topic once, also when a retry reads it again. */
  void deadLettered(org.apache.kafka.clients.consumer.ConsumerRecord<?, ?> r, String reason) {
    lastError.set(reason);
    if (lettered.add(r.topic() + "/" + r.partition() + "/" + r.offset())) {
      deadLetters.increment();
    }
  }

  void skipped(String reason) {
    skipped.increment();
    lastError.set(reason);
  }

  void failed(String reason) {
    lastError.set(reason);
  }

  void buffered(String worker, int batches, long bytes) {
    buffered.put(worker, new long[] {batches, bytes});
  }

  private double freshnessSeconds() {
    long newest = newestRecordMillis.get();
    return newest == 0 ? Double.NaN : (System.currentTimeMillis() - newest) / 1000.0;
  }

  private long bufferedBytes() {
    return buffered.values().stream().mapToLong(b -> b[1]).sum();
  }

  private long openBatches() {
    return buffered.values().stream().mapToLong(b -> b[0]).sum();
  }

  TableProgress progress() {
    return new TableProgress(
        table,
        format,
        (long) commits.count(),
        (long) records.count(),
        (long) bytes.count(),
        lastCommitMillis.get(),
        newestRecordMillis.get(),
        (long) deadLetters.count(),
        (long) skipped.count(),
        (long) evolutions.count(),
        bufferedBytes(),
        lastError.get());
  }

  private static Counter counter(
      MeterRegistry registry, Tags tags, String name, String description) {
    return Counter.builder(name).description(description).tags(tags).register(registry);
  }
}
