package dev.floe.compaction;

import dev.floe.core.Errors;
import dev.floe.core.config.FloeConfig;
import dev.floe.core.config.TableMapping;
import dev.floe.core.sink.TableSink;
import dev.floe.core.sink.TableSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import org.quartz.CronExpression;
import org.quartz.CronScheduleBuilder;
import org.quartz.DisallowConcurrentExecution;
import org.quartz.Job;
import org.quartz.JobBuilder;
import org.quartz.JobDetail;
import org.quartz.JobExecutionContext;
import org.quartz.JobKey;
import org.quartz.Scheduler;
import org.quartz.SchedulerException;
import org.quartz.Trigger;
import org.quartz.TriggerBuilder;
import org.quartz.impl.StdSchedulerFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs each table's maintenance on the cron schedule of its mapping's {@code maintenance} block, on
 * Quartz's own thread (never a consumer thread), one job per table at a time; a run missed while
 * the previous one ran, or while Floe was down, is skipped rather than caught up. A job that fails
 * is logged with its table and cause and tried again at its next time.
 */
public final class MaintenanceScheduler implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(MaintenanceScheduler.class);

  /** One table's compaction, as a job Quartz can run. */
  private record Target(TableSink sink, TableSpec table, java.time.Duration expireAfter) {}

  private final Scheduler scheduler;
  private final Map<JobKey, Target> targets = new ConcurrentHashMap<>();

  private MaintenanceScheduler(Scheduler scheduler) {
    this.scheduler = scheduler;
  }

  /**
   * Checks every mapping's schedules.
   *
   * @throws dev.floe.core.ConfigException-like {@link FloeException} naming the key of a cron
   *     expression Quartz cannot parse
   */
  public static void validate(FloeConfig config) {
    for (TableMapping m : config.tables()) {
      if (m.compactSchedule() != null) {
        try {
          CronExpression.validateExpression(m.compactSchedule());
        } catch (java.text.ParseException e) {
          throw Errors.of(
              "'tables["
                  + m.index()
                  + "].maintenance.compact': '"
                  + m.compactSchedule()
                  + "' is not a cron expression ("
                  + e.getMessage()
                  + ")",
              "write a Quartz cron expression: seconds minutes hours day-of-month month"
                  + " day-of-week, e.g. 0 */15 * * * ? for every 15 minutes",
              null);
        }
      }
    }
  }

  /**
   * Schedules the tables of every mapping that has a {@code maintenance.compact} schedule, for each
   * of its formats' sinks. Tables of topic patterns are not known ahead and are not scheduled yet.
   */
  public static MaintenanceScheduler start(FloeConfig config, Map<String, TableSink> sinks) {
    validate(config);
    try {
      Properties props = new Properties();
      props.setProperty("org.quartz.scheduler.instanceName", "floe-maintenance");
      props.setProperty("org.quartz.threadPool.threadCount", "1");
      props.setProperty("org.quartz.threadPool.threadNamePrefix", "floe-maintenance");
      props.setProperty("org.quartz.jobStore.class", "org.quartz.simpl.RAMJobStore");
      props.setProperty("org.quartz.scheduler.skipUpdateCheck", "true");
      Scheduler scheduler = new StdSchedulerFactory(props).getScheduler();
      MaintenanceScheduler s = new MaintenanceScheduler(scheduler);
      scheduler.setJobFactory((bundle, sch) -> s.new CompactJob(bundle.getJobDetail().getKey()));
      for (TableMapping m : config.tables()) {
        if (m.compactSchedule() != null) {
          s.schedule(m, sinks);
        }
      }
      scheduler.start();
      return s;
    } catch (SchedulerException e) {
      throw Errors.of("Cannot start the maintenance scheduler: " + e.getMessage(), null, e);
    }
  }

  private void schedule(TableMapping m, Map<String, TableSink> sinks) throws SchedulerException {
    List<String> topics = new ArrayList<>(m.topics());
    if (topics.isEmpty()) {
      LOG.warn(
          "{}: maintenance of topic-pattern mappings is not scheduled yet; run floe maintain",
          m.label());
      return;
    }
    for (TableMapping.Format format : m.formats()) {
      TableSink sink = sinks.get(format.name().toLowerCase(Locale.ROOT));
      for (String topic : topics) {
        TableSpec spec =
            new TableSpec(
                m.tableFor(topic),
                m.catalog(),
                m.partitionBy(),
                m.targetFileSizeBytes(),
                m.tableProperties(),
                m.key().columns(),
                m.schemaEvolution());
        JobKey key =
            JobKey.jobKey("compact " + format.name().toLowerCase(Locale.ROOT) + ":" + spec.id());
        if (targets.putIfAbsent(key, new Target(sink, spec, m.expireSnapshotsAfter())) != null) {
          continue; // two topics of one mapping into one table: one job
        }
        JobDetail job = JobBuilder.newJob(CompactJob.class).withIdentity(key).build();
        Trigger trigger =
            TriggerBuilder.newTrigger()
                .withSchedule(
                    CronScheduleBuilder.cronSchedule(m.compactSchedule())
                        .withMisfireHandlingInstructionDoNothing())
                .build();
        scheduler.scheduleJob(job, trigger);
        LOG.info(
            "Compaction of {} table {} scheduled: {}",
            format.name().toLowerCase(Locale.ROOT),
            spec.id(),
            m.compactSchedule());
      }
    }
  }

  /** Compacts one table; Quartz never runs two of one table at once. */
  @DisallowConcurrentExecution
  final class CompactJob implements Job {
    private final JobKey key;

    CompactJob(JobKey key) {
      this.key = key;
    }

    @Override
    public void execute(JobExecutionContext context) {
      Target target = targets.get(key);
      try {
        String done = target.sink().compact(target.table());
        if (done != null) {
          LOG.info("Scheduled {}", done);
        }
        if (target.expireAfter() != null) {
          String expired = target.sink().expireSnapshots(target.table(), target.expireAfter());
          if (expired != null) {
            LOG.info("Scheduled {}", expired);
          }
        }
      } catch (RuntimeException e) {
        LOG.warn(
            "Scheduled compaction of table {} failed: {}; it runs again at its next time",
            target.table().id(),
            e.getMessage(),
            e);
      }
    }
  }

  /**
   * Stops scheduling; a running job is left to finish on its own thread (the table stays readable).
   */
  @Override
  public void close() {
    try {
      scheduler.shutdown(false);
    } catch (SchedulerException e) {
      LOG.debug("Maintenance scheduler did not stop cleanly", e);
    }
  }
}
