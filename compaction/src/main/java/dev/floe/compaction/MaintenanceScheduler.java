package dev.floe.compaction;

import dev.floe.core.Errors;
import dev.floe.core.config.FloeConfig;
import dev.floe.core.config.Maintenance;
import dev.floe.core.config.TableMapping;
import dev.floe.core.sink.MaintenanceJob;
import dev.floe.core.sink.MaintenanceJob.Kind;
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
 * the previous one ran, or while Floe was down, is skipped rather than caught up. A run compacts,
 * then runs the jobs the block asks for after compaction (see {@link #steps}); a step that fails is
 * logged with its table and cause, the next steps still run, and the run comes again at its next
 * time. Tables of fixed topics are scheduled at start; tables of topic patterns when a sink first
 * opens a batch for them (see {@link #watching}).
 */
public final class MaintenanceScheduler implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(MaintenanceScheduler.class);

  /** One table of one format, as a job Quartz can run. */
  private record Target(TableSink sink, TableSpec table, Maintenance maintenance) {}

  private final Scheduler scheduler;
  private final List<TableMapping> patternMappings;
  private final Map<JobKey, Target> targets = new ConcurrentHashMap<>();

  private MaintenanceScheduler(Scheduler scheduler, List<TableMapping> patternMappings) {
    this.scheduler = scheduler;
    this.patternMappings = patternMappings;
  }

  /**
   * Checks every mapping's schedule. The config parser checks them already, with their lines; this
   * stays for configs built in code.
   *
   * @throws dev.floe.core.FloeException naming the key of a cron expression Quartz cannot parse
   */
  public static void validate(FloeConfig config) {
    for (TableMapping m : config.tables()) {
      if (m.compactSchedule() != null && !CronExpression.isValidExpression(m.compactSchedule())) {
        throw Errors.of(
            "'tables["
                + m.index()
                + "].maintenance.compact': '"
                + m.compactSchedule()
                + "' is not a cron expression",
            "write a Quartz cron expression: seconds minutes hours day-of-month month"
                + " day-of-week, e.g. 0 */15 * * * ? for every 15 minutes",
            null);
      }
    }
  }

  /**
   * Schedules the tables of every fixed-topic mapping that has a {@code maintenance.compact}
   * schedule, for each of its formats' sinks. Pass the pipeline sinks through {@link #watching} so
   * that the tables of topic patterns are scheduled as they appear.
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
      List<TableMapping> patterns =
          config.tables().stream()
              .filter(m -> m.topicPattern() != null && m.maintenance().scheduled())
              .toList();
      MaintenanceScheduler s = new MaintenanceScheduler(scheduler, patterns);
      scheduler.setJobFactory(
          (bundle, sch) -> s.new MaintenanceRun(bundle.getJobDetail().getKey()));
      for (TableMapping m : config.tables()) {
        if (m.maintenance().scheduled() && m.topicPattern() == null) {
          for (TableMapping.Format format : m.formats()) {
            TableSink sink = sinks.get(format.name().toLowerCase(Locale.ROOT));
            for (String topic : m.topics()) {
              s.schedule(m, sink, spec(m, topic));
            }
          }
        }
      }
      scheduler.start();
      return s;
    } catch (SchedulerException e) {
      throw Errors.of("Cannot start the maintenance scheduler: " + e.getMessage(), null, e);
    }
  }

  /**
   * {@code sink} as the pipeline should use it: the first batch for a table of a topic-pattern
   * mapping with a schedule schedules that table.
   */
  public TableSink watching(TableSink sink) {
    return patternMappings.isEmpty() ? sink : new WatchedSink(sink, this);
  }

  /** Called for every batch a watched sink opens; cheap once the table is known. */
  void opened(TableSink sink, TableSpec table) {
    JobKey key = key(sink, table);
    if (targets.containsKey(key)) {
      return;
    }
    for (TableMapping m : patternMappings) {
      boolean format = m.formats().stream().anyMatch(f -> f.name().equalsIgnoreCase(sink.format()));
      if (format && m.produces(table.id())) {
        try {
          schedule(m, sink, table);
        } catch (SchedulerException e) {
          LOG.warn("Cannot schedule maintenance of table {}: {}", table.id(), e.getMessage(), e);
        }
        return;
      }
    }
  }

  /** The jobs of one run for a format: compaction, then what the block asks for after it. */
  static List<MaintenanceJob> steps(Maintenance m, String format) {
    boolean delta = format.equals("delta");
    List<MaintenanceJob> steps = new ArrayList<>();
    steps.add(MaintenanceJob.of(Kind.COMPACT));
    if (m.expireSnapshots() != null) {
      if (delta) { // log cleanup deletes only versions before the latest checkpoint
        steps.add(MaintenanceJob.of(Kind.CHECKPOINT));
      }
      steps.add(new MaintenanceJob(Kind.EXPIRE, m.expireSnapshots(), 0, false));
    }
    if (delta && m.vacuum() != null) {
      steps.add(new MaintenanceJob(Kind.VACUUM, m.vacuum(), 0, false));
    }
    if (!delta && m.removeOrphans() != null) {
      steps.add(new MaintenanceJob(Kind.ORPHANS, m.removeOrphans(), 0, false));
    }
    if (!delta && m.rewriteManifestsAbove() > 0) {
      steps.add(new MaintenanceJob(Kind.REWRITE_MANIFESTS, null, m.rewriteManifestsAbove(), false));
    }
    return steps;
  }

  private void schedule(TableMapping m, TableSink sink, TableSpec spec) throws SchedulerException {
    JobKey key = key(sink, spec);
    if (targets.putIfAbsent(key, new Target(sink, spec, m.maintenance())) != null) {
      return; // two topics of one mapping into one table: one job
    }
    JobDetail job = JobBuilder.newJob(MaintenanceRun.class).withIdentity(key).build();
    Trigger trigger =
        TriggerBuilder.newTrigger()
            .withSchedule(
                CronScheduleBuilder.cronSchedule(m.compactSchedule())
                    .withMisfireHandlingInstructionDoNothing())
            .build();
    scheduler.scheduleJob(job, trigger);
    LOG.info(
        "Maintenance of {} table {} scheduled: {}", sink.format(), spec.id(), m.compactSchedule());
  }

  private static JobKey key(TableSink sink, TableSpec spec) {
    return JobKey.jobKey("maintain " + sink.format() + ":" + spec.catalog() + ":" + spec.id());
  }

  private static TableSpec spec(TableMapping m, String topic) {
    return m.spec(m.tableFor(topic));
  }

  /** One scheduled run for one table; Quartz never runs two of one table at once. */
  @DisallowConcurrentExecution
  final class MaintenanceRun implements Job {
    private final JobKey key;

    MaintenanceRun(JobKey key) {
      this.key = key;
    }

    @Override
    public void execute(JobExecutionContext context) {
      Target target = targets.get(key);
      for (MaintenanceJob step : steps(target.maintenance(), target.sink().format())) {
        try {
          LOG.debug(
              "Scheduled {} of {} table {} starts",
              name(step),
              target.sink().format(),
              target.table().id());
          String done = target.sink().maintain(target.table(), step);
          if (done != null) {
            LOG.info("Scheduled {} of {} table {}", name(step), target.sink().format(), done);
          }
        } catch (Exception e) { // delta-standalone (Scala) throws undeclared IOExceptions too:
          // caught here, the table's next steps still run and the job keeps its schedule
          LOG.warn(
              "Scheduled {} of {} table {} failed: {}; it runs again at its next time",
              name(step),
              target.sink().format(),
              target.table().id(),
              e.getMessage(),
              e);
        }
      }
    }
  }

  private static String name(MaintenanceJob job) {
    return job.kind().name().toLowerCase(Locale.ROOT).replace('_', '-');
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
