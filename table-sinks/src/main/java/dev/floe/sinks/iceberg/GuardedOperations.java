package dev.floe.sinks.iceberg;

import java.util.Objects;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.TableMetadata;
import org.apache.iceberg.TableOperations;
import org.apache.iceberg.encryption.EncryptionManager;
import org.apache.iceberg.exceptions.ValidationException;
import org.apache.iceberg.io.FileIO;
import org.apache.iceberg.io.LocationProvider;

/**
 * Table operations that refuse to commit on any base but the snapshot the caller read its offsets
 * from. Iceberg retries a failed commit on a fresh base with the same summary properties; after a
 * concurrent commit that summary would hold stale offsets (regressing the other writer's
 * partitions). This turns that retry into a {@link BaseMovedException}, which Iceberg does not
 * retry, so that the caller re-reads the offsets and builds the summary again. It catches every
 * concurrent commit, including ones that add no files, because it compares snapshot ids rather than
 * files.
 */
final class GuardedOperations implements TableOperations {
  private final TableOperations delegate;
  private final Long expectedSnapshotId;
  private volatile long lastSnapshotId = -1;

  GuardedOperations(TableOperations delegate, Snapshot expected) {
    this.delegate = delegate;
    this.expectedSnapshotId = expected == null ? null : expected.snapshotId();
  }

  /** The id of the snapshot the last commit attempt produced (the committed one after success). */
  long lastSnapshotId() {
    return lastSnapshotId;
  }

  @Override
  public void commit(TableMetadata base, TableMetadata metadata) {
    Snapshot current = base == null ? null : base.currentSnapshot();
    Long baseId = current == null ? null : current.snapshotId();
    if (!Objects.equals(baseId, expectedSnapshotId)) {
      throw new BaseMovedException(expectedSnapshotId, baseId);
    }
    delegate.commit(base, metadata);
  }

  @Override
  public long newSnapshotId() {
    long id = delegate.newSnapshotId();
    lastSnapshotId = id;
    return id;
  }

  @Override
  public TableMetadata current() {
    return delegate.current();
  }

  @Override
  public TableMetadata refresh() {
    return delegate.refresh();
  }

  @Override
  public FileIO io() {
    return delegate.io();
  }

  @Override
  public EncryptionManager encryption() {
    return delegate.encryption();
  }

  @Override
  public String metadataFileLocation(String fileName) {
    return delegate.metadataFileLocation(fileName);
  }

  @Override
  public LocationProvider locationProvider() {
    return delegate.locationProvider();
  }

  @Override
  public TableOperations temp(TableMetadata uncommittedMetadata) {
    return delegate.temp(uncommittedMetadata);
  }

  @Override
  public boolean requireStrictCleanup() {
    return delegate.requireStrictCleanup();
  }

  /**
   * Another commit landed after the offsets were read. A ValidationException: Iceberg neither
   * retries it nor leaks manifests.
   */
  static final class BaseMovedException extends ValidationException {
    BaseMovedException(Long expected, Long actual) {
      super("Table moved from snapshot %s to %s while committing", expected, actual);
    }
  }
}
