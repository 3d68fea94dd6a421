package dev.floe.consumer;

import dev.floe.consumer.decode.Change;
import dev.floe.consumer.decode.DecodedKey;
import dev.floe.consumer.decode.DecodedRecord;
import dev.floe.consumer.decode.RecordDecoder;
import dev.floe.consumer.route.Router;
import dev.floe.consumer.route.TableRoute;
import dev.floe.core.BadRecordException;
import dev.floe.core.CommitFencedException;
import dev.floe.core.Errors;
import dev.floe.core.FloeException;
import dev.floe.core.PartitionOffsets;
import dev.floe.core.SourcePartition;
import dev.floe.core.SourcePosition;
import dev.floe.core.TransientException;
import dev.floe.core.config.TableMapping;
import dev.floe.core.sink.CommitResult;
import dev.floe.core.sink.TableSink;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One member of the consumer group: polls, decodes, routes and writes records into open batches,
 * and commits each table's batch with the offsets it covers. Follows the sink-task contract: on
 * revocation commit what was written, on loss drop it, and on assignment resume from the offsets
 * stored in the tables (the table is the truth; Kafka group offsets only show lag).
 */
final class ConsumerWorker implements Runnable {
  private static final Logger LOG = LoggerFactory.getLogger(ConsumerWorker.class);
  private static final Duration POLL = Duration.ofMillis(200);
  // lag and buffer gauges are refreshed at most this often: cheap, and fresh enough for a scrape
  private static final long OBSERVE_EVERY_NANOS = 1_000_000_000L;

  private final String name;
  private long observedNanos;
  private final java.util.Set<TableRoute> observedRoutes = new java.util.HashSet<>();

  private final Consumer<byte[], byte[]> consumer;
  private final String group;
  private final Router router;
  private final RecordDecoder decoder;
  private final Map<String, TableSink> sinks;
  private final PartitionPositioner positioner;
  private final PipelineStats stats;
  private final Map<String, OpenBatch> open = new LinkedHashMap<>();
  private final OffsetLedger ledger = new OffsetLedger();
  private final DeadLetters deadLetters;
  private final DeadLetterIndex deadLetterIndex;
  private final FaultEpisodes faults;
  // the record as decoded and written (a replayed dead letter's original); offsets stay consumed
  private final java.util.function.UnaryOperator<ConsumerRecord<byte[], byte[]>> source;
  private volatile boolean stopping;

  ConsumerWorker(
      String name,
      Consumer<byte[], byte[]> consumer,
      String group,
      Router router,
      RecordDecoder decoder,
      Map<String, TableSink> sinks,
      String resetPolicy,
      PipelineStats stats,
      DeadLetters deadLetters,
      DeadLetterIndex deadLetterIndex,
      java.util.function.UnaryOperator<ConsumerRecord<byte[], byte[]>> source,
      FaultEpisodes faults) {
    this.name = name;
    this.faults = faults;
    this.consumer = consumer;
    this.source = source;
    this.group = group;
    this.router = router;
    this.decoder = decoder;
    this.sinks = sinks;
    this.positioner =
        new PartitionPositioner(consumer, group, router, this::sink, resetPolicy, ledger);
    this.stats = stats;
    this.deadLetters = deadLetters;
    this.deadLetterIndex = deadLetterIndex;
  }

  /** Asks the worker to commit what it has and leave the group. Safe from any thread. */
  void stop() {
    stopping = true;
    consumer.wakeup();
  }

  @Override
  public void run() {
    Listener listener = new Listener();
    if (router.usesPatterns()) {
      consumer.subscribe(router.subscriptionPattern(), listener);
    } else {
      consumer.subscribe(router.fixedTopics(), listener);
    }
    try {
      boolean reposition = false;
      while (!stopping) {
        try {
          if (reposition) { // after a fault: where the tables say, which may fail again
            positioner.position(consumer.assignment());
            reposition = false;
          }
          ConsumerRecords<byte[], byte[]> records = consumer.poll(POLL);
          process(records);
          commitDue();
          observe();
          faults.succeeded();
        } catch (BadRecordException | WakeupException e) {
          throw e;
        } catch (RuntimeException e) {
          if (stopping || !TransientException.isTransient(e)) {
            throw e;
          }
          stats.fault();
          abortAll(); // their records are read again from the tables' offsets
          try {
            faults.failed(e);
          } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
            throw e;
          }
          reposition = true;
        }
      }
    } catch (WakeupException e) {
      // stop() was called: fall through to the final commit
    } catch (BadRecordException e) {
      // on-error: stop. Rows before the bad record are committed; its offset is where a restart
      // resumes.
      commitAll();
      throw e;
    } catch (RuntimeException e) {
      abortAll();
      throw e;
    } finally {
      try {
        if (stopping) {
          commitAll();
        }
      } finally {
        consumer.close();
        deadLetters.close();
      }
    }
  }

  private void process(ConsumerRecords<byte[], byte[]> records) {
    if (records.isEmpty()) {
      return;
    }
    stats.read(records.count());
    for (TopicPartition tp : records.partitions()) {
      // per partition, not per record: the routes and the partition key are the same for all of
      // them
      SourcePartition p = new SourcePartition(tp.topic(), tp.partition());
      List<TableRoute> routes = router.routes(tp.topic());
      for (ConsumerRecord<byte[], byte[]> r : records.records(tp)) {
        if (!process(r, p, routes)) {
          return; // fenced and re-positioned: the rest of this poll would be read twice
        }
      }
    }
  }

  /**
   * Routes one record to its tables; false when a commit was fenced and the worker re-positioned.
   */
  private boolean process(
      ConsumerRecord<byte[], byte[]> consumed, SourcePartition p, List<TableRoute> routes) {
    ConsumerRecord<byte[], byte[]> r = source.apply(consumed);
    DecodedRecord decoded = null;
    Change change = null;
    BadRecordException undecodable = null;
    TableMapping decodedFor = null; // the mappings of a record usually decode it alike: decode once
    for (TableRoute route : routes) {
      OffsetLedger.Entry entry = ledger.get(route.key(), p);
      if (entry == null) {
        throw new IllegalStateException(
            "no position for " + p + " in " + route.key() + ": partition was not assigned");
      }
      if (consumed.offset() < entry.start()) {
        continue; // already in this table
      }
      OpenBatch batch = open.get(route.key());
      if (batch == null) {
        batch = new OpenBatch(route, sink(route).newBatch(route.spec()));
        open.put(route.key(), batch);
      }
      TableMapping mapping = route.mapping();
      if (!deadLetterIndex.isEmpty()
          && mapping.onError() == TableMapping.OnError.DEAD_LETTER
          && deadLetterIndex.contains(
              mapping.deadLetterTopicFor(r.topic()), r.topic(), r.partition(), r.offset())) {
        // dead-lettered already (for the mapping's other format, or by a run that crashed before
        // committing past it): never both places
        stats
            .table(sink(route).format(), route.spec().id().toString())
            .deadLettered(
                r,
                "Record at topic '"
                    + r.topic()
                    + "' partition "
                    + r.partition()
                    + " offset "
                    + r.offset()
                    + " went to the dead-letter topic (the letter's headers say why)");
        batch.cover(p, entry.committed(), consumed.offset());
        continue;
      }
      try {
        if (decodedFor == null || !decodesAlike(decodedFor, mapping)) {
          change = null;
          decoded = null;
          undecodable = null;
          decodedFor = mapping;
          try {
            if (mapping.mode() == TableMapping.Mode.CDC) {
              change = decoder.decodeChange(r, mapping);
            } else {
              decoded = decoder.decodeFor(r, mapping);
            }
          } catch (BadRecordException e) {
            undecodable = e;
          }
        }
        if (undecodable != null) {
          throw undecodable;
        }
        if (change != null) {
          if (change.row() != null) {
            write(batch, change.row(), r);
          } else {
            delete(batch, change.delete(), r);
          }
        } else if (decoded != null) {
          write(batch, decoded, r);
        } else if (mapping.mode() == TableMapping.Mode.UPSERT) { // a tombstone deletes its key
          delete(batch, decoder.deleteKey(r, mapping), r);
        } // otherwise a tombstone adds nothing (CDC: its delete event came before it), but its
        // offset is covered
      } catch (BadRecordException e) {
        badRecord(route, batch, r, e);
      }
      batch.cover(p, entry.committed(), consumed.offset());
      batch.seen(r.timestamp());
      if (batch.full() && !commit(batch)) {
        return false;
      }
    }
    return true;
  }

  /**
   * Applies the mapping's {@code on-error} to a record that cannot land in a table: rethrows for
   * {@code stop}; logs it for {@code skip}; writes it to the dead-letter topic (once, also across
   * restarts) for {@code dead-letter}. Either way the caller then counts its offset as done.
   */
  private void badRecord(
      TableRoute route, OpenBatch batch, ConsumerRecord<byte[], byte[]> r, BadRecordException e) {
    try (var mdc = LogContext.record(route.spec().id().toString(), r)) {
      handleBadRecord(route, batch, r, e);
    }
  }

  private void handleBadRecord(
      TableRoute route, OpenBatch batch, ConsumerRecord<byte[], byte[]> r, BadRecordException e) {
    TableMapping.OnError policy = route.mapping().onError();
    if (policy == TableMapping.OnError.STOP) {
      throw e;
    }
    if (!batch.batch().usable()) {
      throw Errors.badRecord(
          e.position(),
          e.stage(),
          "it failed half-way through writing to table "
              + route.spec().id()
              + ", so on-error: "
              + policy.name().toLowerCase(java.util.Locale.ROOT).replace('_', '-')
              + " cannot go on past it ("
              + e.problem()
              + ")",
          e.fix(),
          e);
    }
    TableMeters meters = stats.table(sink(route).format(), route.spec().id().toString());
    if (policy == TableMapping.OnError.SKIP) {
      stats.skipped();
      meters.skipped(e.getMessage());
      LOG.warn("Skipped (on-error: skip) for table {}: {}", route.spec().id(), e.getMessage());
      return;
    }
    // counted per table and format: a record of a mapping with two formats leaves both tables
    meters.deadLettered(r, e.getMessage());
    String topic = route.mapping().deadLetterTopicFor(r.topic());
    if (deadLetterIndex.contains(topic, r.topic(), r.partition(), r.offset())) {
      return; // written by this or an earlier run that did not commit past the record
    }
    deadLetters.send(r, e, topic, route.spec().id().toString());
    deadLetterIndex.add(topic, r.topic(), r.partition(), r.offset());
    stats.deadLettered();
    LOG.warn("Dead-lettered to {} for table {}: {}", topic, route.spec().id(), e.getMessage());
  }

  /**
   * Whether two mappings turn a record into the same row (same value format, metadata column and
   * key settings).
   */
  private static boolean decodesAlike(TableMapping a, TableMapping b) {
    return a == b
        || a.valueFormat() == TableMapping.ValueFormat.CONFLUENT
            && b.valueFormat() == TableMapping.ValueFormat.CONFLUENT
            && Objects.equals(a.kafkaMetadataColumn(), b.kafkaMetadataColumn())
            && a.key().equals(b.key())
            && a.mode() == b.mode()
            && a.cdcKeepOp() == b.cdcKeepOp();
  }

  private void write(OpenBatch batch, DecodedRecord decoded, ConsumerRecord<byte[], byte[]> r) {
    try {
      batch.write(decoded.schema(), decoded.row(), decoded.schemaId());
    } catch (FloeException e) {
      if (TransientException.isTransient(e)) {
        throw e; // the storage failed, not the record: retried
      }
      throw Errors.badRecord(
          new SourcePosition(r.topic(), r.partition(), r.offset()),
          e instanceof dev.floe.core.SchemaChangeException
              ? BadRecordException.Stage.EVOLVE
              : BadRecordException.Stage.WRITE,
          "cannot write it to table "
              + batch.route().spec().id()
              + " (schema id "
              + decoded.schemaId()
              + ")",
          e.fix(),
          e);
    }
  }

  private void delete(OpenBatch batch, DecodedKey key, ConsumerRecord<byte[], byte[]> r) {
    try {
      batch.delete(key.schema(), key.row());
    } catch (FloeException e) {
      if (TransientException.isTransient(e)) {
        throw e;
      }
      throw Errors.badRecord(
          new SourcePosition(r.topic(), r.partition(), r.offset()),
          BadRecordException.Stage.WRITE,
          "cannot delete its key from table " + batch.route().spec().id(),
          e.fix(),
          e);
    }
  }

  private void commitDue() {
    long now = System.nanoTime();
    for (OpenBatch batch : List.copyOf(open.values())) {
      if (batch.due(now) && !commit(batch)) {
        return;
      }
    }
  }

  private void commitAll() {
    for (OpenBatch batch : List.copyOf(open.values())) {
      if (!commit(batch)) {
        return;
      }
    }
  }

  /**
   * Commits a batch and its offsets. Returns false when the commit was fenced: then every open
   * batch is dropped and the assigned partitions are re-positioned from the tables.
   */
  private boolean commit(OpenBatch batch) {
    String key = batch.route().key();
    if (open.get(key) != batch) {
      return true; // dropped meanwhile by a fence: there is nothing left to commit
    }
    open.remove(key);
    if (batch.isEmpty()) {
      batch.batch().abort();
      return true;
    }
    PartitionOffsets next = batch.next();
    try (var mdc = LogContext.table(batch.route().spec().id().toString())) {
      return commit(batch, key, next);
    }
  }

  private boolean commit(OpenBatch batch, String key, PartitionOffsets next) {
    LOG.debug("Committing {} rows to {} with offsets {}", batch.batch().records(), key, next);
    deadLetters.flush(); // a table never moves past a record whose letter is not written
    TableMeters meters =
        stats.table(sink(batch.route()).format(), batch.route().spec().id().toString());
    try {
      int evolutions = batch.batch().schemaChanges();
      batch.batch().newestRecord(batch.newestRecordMillis());
      CommitResult result = batch.batch().commit(group, batch.expected(), next);
      next.asMap().forEach((p, o) -> ledger.committed(key, p, o));
      stats.committed(result, batch.newestRecordMillis());
      if (evolutions > 0) {
        meters.evolved(evolutions);
      }
      LOG.info(
          // the bench parses "Committed N rows in F files": bytes come after
          "Committed {} rows in {} files ({} bytes) to {} table {} (version {}) in {} ms; offsets {}",
          result.records(),
          result.dataFiles(),
          result.bytes(),
          result.format(),
          result.table(),
          result.version(),
          result.millis(),
          next);
      acknowledge(next.asMap().keySet());
      return true;
    } catch (CommitFencedException e) {
      LOG.warn("{}; re-reading the table offsets", e.getMessage());
      abortAll();
      positioner.position(consumer.assignment());
      return false;
    } catch (RuntimeException e) {
      meters.failed(e.getMessage());
      batch.batch().abort();
      throw e;
    }
  }

  /**
   * Refreshes the gauges this worker owns: rows buffered per table and, per assigned partition, the
   * records not yet committed to all of its tables. At most once a second.
   */
  private void observe() {
    long now = System.nanoTime();
    if (now - observedNanos < OBSERVE_EVERY_NANOS) {
      return;
    }
    observedNanos = now;
    Map<TableRoute, long[]> buffered = new HashMap<>();
    for (OpenBatch batch : open.values()) {
      long[] b = buffered.computeIfAbsent(batch.route(), r -> new long[2]);
      b[0]++;
      b[1] += batch.batch().bytes();
    }
    for (TableRoute route : observedRoutes) {
      buffered.putIfAbsent(route, new long[2]); // committed since: nothing buffered any more
    }
    observedRoutes.clear();
    buffered.forEach(
        (route, b) -> {
          stats
              .table(sink(route).format(), route.spec().id().toString())
              .buffered(name, (int) b[0], b[1]);
          if (b[0] > 0) {
            observedRoutes.add(route);
          }
        });
    for (TopicPartition tp : consumer.assignment()) {
      java.util.OptionalLong behind = consumer.currentLag(tp);
      if (behind.isEmpty()) {
        continue; // no fetch response for it yet
      }
      SourcePartition p = new SourcePartition(tp.topic(), tp.partition());
      long end = consumer.position(tp) + behind.getAsLong();
      long committed = end;
      for (TableRoute route : router.routes(tp.topic())) {
        OffsetLedger.Entry entry = ledger.get(route.key(), p);
        if (entry != null) {
          committed =
              Math.min(committed, entry.committed() == null ? entry.start() : entry.committed());
        }
      }
      stats.lag(p, end, committed);
    }
  }

  /**
   * Commits group offsets up to what every table of each partition holds; for lag monitoring only.
   */
  private void acknowledge(Collection<SourcePartition> partitions) {
    Map<TopicPartition, OffsetAndMetadata> acks = new HashMap<>();
    for (SourcePartition p : partitions) {
      long min = Long.MAX_VALUE;
      for (TableRoute route : router.routes(p.topic())) {
        OffsetLedger.Entry entry = ledger.get(route.key(), p);
        min = Math.min(min, entry == null || entry.committed() == null ? -1 : entry.committed());
      }
      if (min > 0) {
        acks.put(new TopicPartition(p.topic(), p.partition()), new OffsetAndMetadata(min));
      }
    }
    if (!acks.isEmpty()) {
      consumer.commitAsync(
          acks,
          (offsets, e) -> {
            if (e != null) {
              LOG.debug(
                  "Group offset commit failed (harmless: the tables hold the offsets): {}",
                  e.toString());
            }
          });
    }
  }

  private void abortAll() {
    open.values().forEach(b -> b.batch().abort());
    open.clear();
  }

  private static List<SourcePartition> sourcePartitions(Collection<TopicPartition> partitions) {
    return partitions.stream().map(tp -> new SourcePartition(tp.topic(), tp.partition())).toList();
  }

  private TableSink sink(TableRoute route) {
    return sinks.get(route.format().name().toLowerCase(java.util.Locale.ROOT));
  }

  private final class Listener implements ConsumerRebalanceListener {
    @Override
    public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
      if (!partitions.isEmpty()) {
        commitAll(); // save state on revoke: commit what was written for them
        partitions.forEach(tp -> ledger.remove(new SourcePartition(tp.topic(), tp.partition())));
        stats.forget(sourcePartitions(partitions));
      }
    }

    @Override
    public void onPartitionsLost(Collection<TopicPartition> partitions) {
      // Another member may own them already: committing could double rows. Drop everything and
      // resume the partitions we keep from their tables' offsets.
      abortAll();
      partitions.forEach(tp -> ledger.remove(new SourcePartition(tp.topic(), tp.partition())));
      stats.forget(sourcePartitions(partitions));
      List<TopicPartition> kept = new ArrayList<>(consumer.assignment());
      kept.removeAll(partitions);
      positioner.position(kept);
    }

    @Override
    public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
      positioner.position(partitions);
      deadLetterIndex.load(partitions);
      stats.positioned(name);
    }
  }
}
