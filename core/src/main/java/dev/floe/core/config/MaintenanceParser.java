package dev.floe.core.config;

import java.text.ParseException;
import java.time.Duration;
import java.util.Set;
import org.quartz.CronExpression;

/**
 * Reads a {@code maintenance} block, top-level or of a mapping; a mapping's keys override the
 * top-level block's one by one. Cron expressions are checked here, with Quartz's own parser, so
 * that a bad one fails at start-up with its key and line.
 */
final class MaintenanceParser {
  private static final Set<String> KEYS =
      Set.of("compact", "expire-snapshots", "remove-orphans", "vacuum", "rewrite-manifests");
  private static final Set<String> AFTER_COMPACT =
      Set.of("expire-snapshots", "remove-orphans", "vacuum", "rewrite-manifests");

  private MaintenanceParser() {}

  /** The block under {@code node}'s {@code maintenance} key over {@code inherited}. */
  static Maintenance parse(ConfigNode node, Maintenance inherited) {
    if (!node.has("maintenance")) {
      return inherited;
    }
    ConfigNode m = node.child("maintenance");
    m.rejectUnknownKeys(KEYS);
    String compact = m.string("compact", inherited.compact());
    if (m.has("compact")) {
      try {
        CronExpression.validateExpression(compact);
      } catch (ParseException e) {
        throw m.error(
            "compact",
            "'" + compact + "' is not a cron expression (" + e.getMessage() + ")",
            "write a Quartz cron expression: seconds minutes hours day-of-month month"
                + " day-of-week, e.g. \"0 */15 * * * ?\" for every 15 minutes");
      }
    }
    Maintenance result =
        new Maintenance(
            compact,
            m.duration("expire-snapshots", inherited.expireSnapshots()),
            retention(m, "remove-orphans", inherited.removeOrphans()),
            retention(m, "vacuum", inherited.vacuum()),
            m.intValue("rewrite-manifests", inherited.rewriteManifestsAbove(), 0));
    if (compact == null) {
      for (String key : AFTER_COMPACT) {
        if (m.has(key)) {
          throw m.error(
              key,
              "runs after each scheduled compaction, and there is no compact schedule",
              "add compact: \"0 0 * * * ?\" (hourly), or run floe maintain --job ... by hand");
        }
      }
    }
    return result;
  }

  private static Duration retention(ConfigNode m, String key, Duration inherited) {
    Duration d = m.duration(key, inherited);
    if (m.has(key) && d.compareTo(Maintenance.MINIMUM_RETENTION) < 0) {
      throw m.error(
          key,
          "is shorter than 1h: files of a commit in progress, or that a reader of the previous"
              + " version still opens, could be deleted",
          "use 1h or more (the default practice is 3d to 7d); floe maintain --force goes lower");
    }
    return d;
  }
}
