package dev.floe.core.config;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One {@code partition-by} entry: a transform of a source column. Written {@code order_ts} or
 * {@code identity(order_ts)}, {@code year|month|day|hour(order_ts)}, {@code bucket[16](user_id)}
 * and {@code truncate[4](name)}. Iceberg's own {@code bucket(16, user_id)} form is accepted too.
 */
public record PartitionField(Transform transform, String column, int parameter) {

  public enum Transform {
    IDENTITY,
    YEAR,
    MONTH,
    DAY,
    HOUR,
    BUCKET,
    TRUNCATE
  }

  private static final Pattern COLUMN =
      Pattern.compile("[A-Za-z_][A-Za-z0-9_]*(\\.[A-Za-z_][A-Za-z0-9_]*)*");
  private static final Pattern FUNCTION =
      Pattern.compile("(\\w+)\\s*(?:\\[\\s*(\\d+)\\s*])?\\s*\\(\\s*([^)]*?)\\s*\\)");

  public PartitionField {
    boolean parameterized = transform == Transform.BUCKET || transform == Transform.TRUNCATE;
    if (parameterized && parameter <= 0) {
      throw new IllegalArgumentException(
          transform.name().toLowerCase(Locale.ROOT) + " needs a positive width");
    }
  }

  /** Parses one entry; the message of the exception says what is accepted. */
  public static PartitionField parse(String text) {
    String t = text.trim();
    if (COLUMN.matcher(t).matches()) {
      return new PartitionField(Transform.IDENTITY, t, 0);
    }
    Matcher m = FUNCTION.matcher(t);
    if (!m.matches()) {
      throw new IllegalArgumentException(usage(text));
    }
    Transform transform;
    try {
      transform = Transform.valueOf(m.group(1).toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "unknown transform '" + m.group(1) + "' in '" + text + "'. " + usage(text));
    }
    String args = m.group(3);
    String width = m.group(2);
    if (width == null && args.contains(",")) { // Iceberg style: bucket(16, col)
      String[] parts = args.split(",", 2);
      width = parts[0].trim();
      args = parts[1].trim();
    }
    boolean parameterized = transform == Transform.BUCKET || transform == Transform.TRUNCATE;
    if (parameterized != (width != null) || !COLUMN.matcher(args).matches()) {
      throw new IllegalArgumentException(usage(text));
    }
    return new PartitionField(transform, args, width == null ? 0 : Integer.parseInt(width));
  }

  private static String usage(String text) {
    return "cannot read partition field '"
        + text
        + "'; write a column name or one of identity(col), year(col),"
        + " month(col), day(col), hour(col), bucket[N](col), truncate[W](col)";
  }

  @Override
  public String toString() {
    String name = transform.name().toLowerCase(Locale.ROOT);
    return switch (transform) {
      case IDENTITY -> column;
      case BUCKET, TRUNCATE -> name + "[" + parameter + "](" + column + ")";
      default -> name + "(" + column + ")";
    };
  }
}
