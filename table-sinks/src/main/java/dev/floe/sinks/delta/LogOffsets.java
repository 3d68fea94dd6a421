package dev.floe.sinks.delta;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.floe.core.Errors;
import dev.floe.core.PartitionOffsets;
import dev.floe.core.SourcePartition;
import dev.floe.core.TableId;
import io.delta.standalone.actions.AddFile;
import io.delta.standalone.actions.CommitInfo;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * How Floe's offsets are spelled in a Delta log. Per source partition a {@code txn} action with
 * {@code appId = floe/<group>/<topic>/<partition>} and {@code version} = the next offset to read;
 * per group a {@code txn} {@code floe/<group>} counting the group's commits (so that two commits of
 * one group always conflict); and in {@code commitInfo.operationParameters}: {@code floe.group},
 * {@code floe.commit-id} and {@code floe.offsets.<group>} = {@code {"topic":{"0":123}}}, the
 * group's whole map. Delta writes parameter values into the log as JSON values and reads them back
 * as strings, so each value is a JSON string (the map is JSON text inside it) and comes back
 * unquoted.
 */
final class LogOffsets {
  static final String OFFSETS_PREFIX = "floe.offsets.";
  static final String GROUP = "floe.group";
  static final String COMMIT_ID = "floe.commit-id";

  /** The newest source record timestamp (epoch millis) of a Floe commit. */
  static final String NEWEST_RECORD = "floe.newest-record-ms";

  private static final ObjectMapper JSON = new ObjectMapper();

  private LogOffsets() {}

  static String appId(String group, SourcePartition p) {
    // topic names cannot hold '/', so the last two segments always split cleanly
    return "floe/" + group + "/" + p.topic() + "/" + p.partition();
  }

  static String groupAppId(String group) {
    return "floe/" + group;
  }

  static Map<String, String> parameters(
      String group, PartitionOffsets offsets, String commitId, long newestRecordMillis) {
    Map<String, String> params = new HashMap<>();
    params.put(GROUP, json(group));
    params.put(COMMIT_ID, json(commitId));
    params.put(OFFSETS_PREFIX + group, json(format(offsets)));
    if (newestRecordMillis > 0) {
      params.put(NEWEST_RECORD, String.valueOf(newestRecordMillis));
    }
    return params;
  }

  /** The newest source record timestamp a Floe commit recorded, or 0. */
  static long newestRecord(CommitInfo info) {
    String ms = info == null ? null : info.getOperationParameters().get(NEWEST_RECORD);
    return ms == null ? 0 : Long.parseLong(ms);
  }

  /** The commit id of a Floe commit, or null for commits of other writers. */
  static String commitId(CommitInfo info) {
    return info == null ? null : info.getOperationParameters().get(COMMIT_ID);
  }

  /** The group's map of a commit, or null when the commit holds none. */
  static PartitionOffsets read(TableId table, long version, CommitInfo info, String group) {
    String json = info == null ? null : info.getOperationParameters().get(OFFSETS_PREFIX + group);
    if (json == null) {
      return null;
    }
    try {
      return PartitionOffsets.fromJson(json);
    } catch (IllegalArgumentException e) {
      throw Errors.of(
          "Delta table " + table + " version " + version + " has unreadable Floe offsets: " + json,
          "restore the commitInfo or restore the table to a version Floe wrote",
          e);
    }
  }

  static String format(PartitionOffsets offsets) {
    return offsets.toJson();
  }

  static long records(List<AddFile> files) {
    long n = 0;
    for (AddFile f : files) {
      n += FileStatistics.numRecords(f.getStats());
    }
    return n;
  }

  private static String json(Object value) {
    try {
      return JSON.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write " + value + " as JSON", e);
    }
  }
}
