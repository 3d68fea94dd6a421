package dev.floe.app;

import dev.floe.consumer.Pipeline;
import dev.floe.core.PartitionOffsets;
import dev.floe.core.SourcePartition;
import dev.floe.core.TableId;
import dev.floe.core.config.FloeConfig;
import dev.floe.core.config.TableMapping;
import dev.floe.core.sink.TableSpec;
import dev.floe.sinks.iceberg.IcebergTableSink;
import java.io.PrintWriter;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.TopicPartition;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(
    name = "replay-dlq",
    description =
        "Re-ingests a table's dead letters once their cause is fixed, exactly once, keeping each"
            + " record's original topic, partition and offset. Letters that fail again are"
            + " dead-lettered again. Exit code 0 when every letter landed, 1 when some failed again.")
final class ReplayDlqCommand implements Callable<Integer> {
  @Mixin ConfigOption config;

  @Option(names = "--table", required = true, description = "the table, e.g. sales.orders")
  String table;

  @Option(
      names = "--timeout",
      defaultValue = "10m",
      description = "give up after this long (default ${DEFAULT-VALUE})")
  String timeout;

  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    FloeConfig parsed = config.load();
    TableId id = TableId.parse(table);
    String group = parsed.groupId() + ".replay";
    Map<String, String> sources = new LinkedHashMap<>(); // dead-letter topic -> source topic
    Map<TopicPartition, Long> ends = new HashMap<>();
    TableMapping mapping = null;
    try (Admin admin = Admin.create(adminProperties(parsed))) {
      Set<String> topics = admin.listTopics().names().get(30, TimeUnit.SECONDS);
      for (TableMapping m : parsed.tables()) {
        for (String topic : topics) {
          if (m.matches(topic) && m.tableFor(topic).equals(id)) {
            mapping = m;
            String dlq = m.deadLetterTopicFor(topic);
            if (dlq != null && topics.contains(dlq)) {
              sources.put(dlq, topic);
            }
          }
        }
      }
      if (mapping == null || mapping.deadLetterTopicFor("t") == null) {
        spec.commandLine()
            .getErr()
            .println(
                "No mapping of "
                    + config
                    + " writes table "
                    + id
                    + (mapping == null ? "" : " with on-error: dead-letter")
                    + "; nothing to replay");
        return ExitCodes.BAD_CONFIG;
      }
      if (!sources.isEmpty()) {
        Map<String, TopicDescription> described =
            admin.describeTopics(sources.keySet()).allTopicNames().get(30, TimeUnit.SECONDS);
        Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
        Map<TopicPartition, OffsetSpec> earliest = new HashMap<>();
        described
            .values()
            .forEach(
                d ->
                    d.partitions()
                        .forEach(
                            p -> {
                              TopicPartition tp = new TopicPartition(d.name(), p.partition());
                              latest.put(tp, OffsetSpec.latest());
                              earliest.put(tp, OffsetSpec.earliest());
                            }));
        var first = admin.listOffsets(earliest).all().get(30, TimeUnit.SECONDS);
        admin
            .listOffsets(latest)
            .all()
            .get(30, TimeUnit.SECONDS)
            .forEach(
                (tp, info) -> { // a partition without letters left (retention) has nothing to wait
                  // for
                  if (info.offset() > first.get(tp).offset()) {
                    ends.put(tp, info.offset());
                  }
                });
      }
    }
    if (ends.isEmpty()) {
      out.printf(
          "%s: no dead letters in %s%n",
          id, sources.isEmpty() ? "its dead-letter topics" : sources.keySet());
      return ExitCodes.OK;
    }
    TableSpec tableSpec =
        new TableSpec(id, mapping.catalog(), List.of(), mapping.targetFileSizeBytes(), Map.of());
    long deadline = System.nanoTime() + dev.floe.core.Durations.parse(timeout).toNanos();
    JobProgress progress =
        JobProgress.start(
            spec.commandLine().getErr(), "replay-dlq " + id + " from " + sources.keySet());
    try (IcebergTableSink sink = new IcebergTableSink(parsed);
        Pipeline pipeline =
            Pipeline.replaying(parsed, Map.of(sink.format(), sink), sources, id, group)) {
      pipeline.start();
      while (pipeline.failure() == null
          && !caughtUp(sink.committedOffsets(tableSpec, group), ends)) {
        if (System.nanoTime() > deadline) {
          spec.commandLine().getErr().println("replay-dlq: timed out after " + timeout);
          return ExitCodes.FAILED;
        }
        progress.update(
            () ->
                pipeline.stats().recordsRead()
                    + " letters read, "
                    + pipeline.stats().totalRowsCommitted()
                    + " landed, "
                    + pipeline.stats().recordsDeadLettered()
                    + " failed again");
        Thread.sleep(200);
      }
      pipeline.close();
      if (pipeline.failure() != null) {
        spec.commandLine()
            .getErr()
            .println("replay-dlq: stopped: " + pipeline.failure().getMessage());
        return ExitCodes.FAILED;
      }
      progress.finished("finished");
      long landed = pipeline.stats().totalRowsCommitted();
      long failed = pipeline.stats().recordsDeadLettered();
      out.printf(
          "%s: replayed %d dead letters from %s: %d landed, %d failed again (dead-lettered again)%n",
          id, pipeline.stats().recordsRead(), sources.keySet(), landed, failed);
      return failed == 0 ? ExitCodes.OK : ExitCodes.FAILED;
    }
  }

  private static boolean caughtUp(PartitionOffsets committed, Map<TopicPartition, Long> ends) {
    for (Map.Entry<TopicPartition, Long> e : ends.entrySet()) {
      Long next = committed.next(new SourcePartition(e.getKey().topic(), e.getKey().partition()));
      if (next == null || next < e.getValue()) {
        return false;
      }
    }
    return true;
  }

  private static Map<String, Object> adminProperties(FloeConfig config) {
    Map<String, Object> props = new HashMap<>();
    config
        .kafka()
        .forEach(
            (k, v) -> {
              if (org.apache.kafka.clients.admin.AdminClientConfig.configNames().contains(k)
                  || k.startsWith("sasl.")
                  || k.startsWith("ssl.")) {
                props.put(k, v);
              }
            });
    return props;
  }
}
