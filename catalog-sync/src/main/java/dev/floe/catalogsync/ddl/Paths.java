package dev.floe.catalogsync.ddl;

/** Location spellings: engines want URIs, Floe's local warehouse has paths. */
final class Paths {
  private Paths() {}

  /** {@code file:///x/} and {@code /x} both become {@code /x}; other schemes stay. */
  static String plain(String location) {
    String l = location.replaceFirst("^file:(//)?", "");
    return l.endsWith("/") ? l.substring(0, l.length() - 1) : l;
  }

  /** A URI engines accept: local paths become {@code file://} URIs. */
  static String uri(String location) {
    return location.contains("://") ? location : "file://" + plain(location);
  }

  /** A directory URI with the trailing slash that Athena and Snowflake expect. */
  static String dir(String location) {
    String u = uri(location);
    return u.endsWith("/") ? u : u + "/";
  }

  static String quote(String s) {
    return "'" + s.replace("'", "''") + "'";
  }
}
