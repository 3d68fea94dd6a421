package dev.floe.sinks.delta;

import io.delta.storage.CloseableIterator;
import io.delta.storage.LogStore;
import java.io.IOException;
import java.util.Iterator;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.Path;

/**
 * The real local log store with one injected fault: the next write of a version file fails either
 * before writing or after it landed, as a lost connection to a store would.
 */
public final class FaultyLogStore extends LogStore {
  enum Fault {
    NONE,
    FAIL_BEFORE_WRITE,
    FAIL_AFTER_WRITE
  }

  static final AtomicReference<Fault> NEXT = new AtomicReference<>(Fault.NONE);

  /** Runs once, just before the next version file is written: another writer's commit, say. */
  static final AtomicReference<Runnable> BEFORE_NEXT_WRITE = new AtomicReference<>();

  private final LocalFileLogStore store;

  public FaultyLogStore(Configuration conf) {
    super(conf);
    this.store = new LocalFileLogStore(conf);
  }

  static Configuration configuration() {
    Configuration conf = TableLog.configuration();
    conf.set("delta.logStore.file.impl", FaultyLogStore.class.getName());
    return conf;
  }

  @Override
  public void write(Path path, Iterator<String> actions, Boolean overwrite, Configuration conf)
      throws IOException {
    boolean versionFile = path.getName().matches("\\d{20}\\.json");
    Runnable before = versionFile ? BEFORE_NEXT_WRITE.getAndSet(null) : null;
    if (before != null) {
      before.run();
    }
    Fault fault = versionFile ? NEXT.getAndSet(Fault.NONE) : Fault.NONE;
    if (fault == Fault.FAIL_BEFORE_WRITE) {
      throw new IOException("injected: connection reset before " + path.getName());
    }
    store.write(path, actions, overwrite, conf);
    if (fault == Fault.FAIL_AFTER_WRITE) {
      throw new IOException("injected: connection reset after " + path.getName() + " landed");
    }
  }

  @Override
  public CloseableIterator<String> read(Path path, Configuration conf) throws IOException {
    return store.read(path, conf);
  }

  @Override
  public Iterator<FileStatus> listFrom(Path path, Configuration conf) throws IOException {
    return store.listFrom(path, conf);
  }

  @Override
  public Path resolvePathOnPhysicalStorage(Path path, Configuration conf) {
    return store.resolvePathOnPhysicalStorage(path, conf);
  }

  @Override
  public Boolean isPartialWriteVisible(Path path, Configuration conf) {
    return false;
  }
}
