package dev.floe.catalogsync;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** What the name of an Iceberg metadata file tells: its table's root and its version. */
final class MetadataFiles {
  // 00012-<uuid>.metadata.json (catalogs), v12.metadata.json (Hadoop tables), maybe compressed
  private static final Pattern VERSION = Pattern.compile("^v?(\\d+)[-.].*\\.metadata\\.json.*$");

  private MetadataFiles() {}

  static String tableRoot(String metadataLocation) {
    String dir = parent(metadataLocation);
    return dir.endsWith("/metadata") ? parent(dir) : dir;
  }

  /** The version in the file name, or -1 when the name has none (a catalog's own naming). */
  static long version(String metadataLocation) {
    String file = metadataLocation.substring(metadataLocation.lastIndexOf('/') + 1);
    Matcher m = VERSION.matcher(file);
    return m.matches() ? Long.parseLong(m.group(1)) : -1;
  }

  /**
   * Whether a catalog that points at {@code current} should move to {@code newest}: never
   * backwards, because a late sync must not undo a newer one.
   */
  static boolean isNewer(String newest, String current) {
    if (newest.equals(current)) {
      return false;
    }
    long a = version(newest);
    long b = version(current);
    return a < 0 || b < 0 || a > b;
  }

  /** Locations of one table may differ in scheme spelling: file:/x, file:///x and /x. */
  static boolean sameRoot(String a, String b) {
    return normalize(a).equals(normalize(b));
  }

  private static String normalize(String location) {
    String l = location.replaceFirst("^file:(//)?", "");
    return l.endsWith("/") ? l.substring(0, l.length() - 1) : l;
  }

  private static String parent(String location) {
    String l = location.endsWith("/") ? location.substring(0, location.length() - 1) : location;
    return l.substring(0, Math.max(0, l.lastIndexOf('/')));
  }
}
