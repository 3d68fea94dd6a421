package dev.floe.sinks.iceberg;

import java.util.Map;
import java.util.function.Function;
import java.util.function.Supplier;
import org.apache.iceberg.DeleteFile;
import org.apache.iceberg.data.BaseDeleteLoader;
import org.apache.iceberg.io.InputFile;

/**
 * Loads each delete file once per partition that compaction rewrites: every data file of the
 * partition needs the same equality deletes, and Iceberg's generic reader would otherwise read them
 * again for each data file (thousands of times for a streamed table).
 */
final class CachingDeleteLoader extends BaseDeleteLoader {
  private final Map<String, Object> cache;

  CachingDeleteLoader(Function<DeleteFile, InputFile> files, Map<String, Object> cache) {
    super(files);
    this.cache = cache;
  }

  @Override
  protected boolean canCache(long size) {
    return true;
  }

  @Override
  @SuppressWarnings("unchecked")
  protected <V> V getOrLoad(String key, Supplier<V> load, long size) {
    Object cached = cache.get(key);
    if (cached == null) {
      cached = load.get();
      cache.put(key, cached);
    }
    return (V) cached;
  }
}
