package dev.floe.core;

/** The configuration file is wrong: names the key path and line. Raised at start-up only. */
public final class ConfigException extends FloeException {
  private final String key;
  private final int line;

  ConfigException(String key, int line, String problem, String fix) {
    super(where(key, line) + problem, fix, null);
    this.key = key;
    this.line = line;
  }

  /** Dotted path of the offending key, e.g. {@code tables[0].commit.interval}. */
  public String key() {
    return key;
  }

  /** 1-based line in the YAML file, or 0 when unknown (configs built in code). */
  public int line() {
    return line;
  }

  private static String where(String key, int line) {
    return (line > 0 ? "line " + line + ", " : "") + "'" + key + "': ";
  }
}
