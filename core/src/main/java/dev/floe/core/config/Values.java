package dev.floe.core.config;

import java.time.Duration;
import java.util.Arrays;
import java.util.Locale;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/** Parsing of the value syntaxes config files use: durations, sizes, {@code ${env:...}}. */
final class Values {
  private static final Pattern SIZE =
      Pattern.compile("(\\d+)\\s*(B|KB|MB|GB|KiB|MiB|GiB)?", Pattern.CASE_INSENSITIVE);
  private static final Pattern ENV =
      Pattern.compile("\\$\\{env:([A-Za-z_][A-Za-z0-9_]*)(?::-([^}]*))?}");

  private Values() {}

  static Duration duration(String text) {
    return dev.floe.core.Durations.parse(text);
  }

  /** Sizes: KB/MB/GB are powers of 1000, KiB/MiB/GiB powers of 1024, a bare number is bytes. */
  static long bytes(String text) {
    Matcher m = SIZE.matcher(text.trim());
    if (!m.matches()) {
      throw new IllegalArgumentException("'" + text + "' is not a size");
    }
    long n = Long.parseLong(m.group(1));
    String unit = m.group(2) == null ? "B" : m.group(2).toUpperCase(Locale.ROOT);
    long factor =
        switch (unit) {
          case "KB" -> 1_000L;
          case "MB" -> 1_000_000L;
          case "GB" -> 1_000_000_000L;
          case "KIB" -> 1L << 10;
          case "MIB" -> 1L << 20;
          case "GIB" -> 1L << 30;
          default -> 1L;
        };
    if (n <= 0) {
      throw new IllegalArgumentException("'" + text + "' must be larger than zero");
    }
    return Math.multiplyExact(n, factor);
  }

  /**
   * Replaces {@code ${env:NAME}} and {@code ${env:NAME:-default}}; a missing variable is an error.
   */
  static String substituteEnv(String value, Function<String, String> env) {
    if (value == null || !value.contains("${env:")) {
      return value;
    }
    Matcher m = ENV.matcher(value);
    StringBuilder out = new StringBuilder();
    while (m.find()) {
      String v = env.apply(m.group(1));
      if (v == null) {
        v = m.group(2);
      }
      if (v == null) {
        throw new IllegalArgumentException("environment variable " + m.group(1) + " is not set");
      }
      m.appendReplacement(out, Matcher.quoteReplacement(v));
    }
    m.appendTail(out);
    return out.toString();
  }

  static String configName(Enum<?> e) {
    return e.name().toLowerCase(Locale.ROOT).replace('_', '-');
  }

  static String configNames(Class<? extends Enum<?>> type) {
    return Arrays.stream(type.getEnumConstants())
        .map(Values::configName)
        .collect(Collectors.joining(", "));
  }
}
