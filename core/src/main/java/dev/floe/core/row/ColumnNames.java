package dev.floe.core.row;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Makes source field names safe as column names in every engine and catalog:
 *
 * <ul>
 *   <li>a character other than a letter, digit or {@code _} becomes {@code _}, and a name that
 *       starts with a digit gets a leading {@code _} ({@code "first name"} → {@code first_name},
 *       {@code "2fa"} → {@code _2fa});
 *   <li>names that equal an earlier sibling ignoring case get {@code _2}, {@code _3}, ... in source
 *       order ({@code id}, {@code ID} → {@code id}, {@code ID_2}), because Glue, Hive Metastore and
 *       Athena lower-case names and would otherwise see one column twice.
 * </ul>
 *
 * Case is kept. Nested structs, list elements and map values are renamed the same way. Values are
 * positional, so renaming changes the type only, once per schema.
 */
public final class ColumnNames {
  private ColumnNames() {}

  /** The struct with safe names; the same instance when nothing needed renaming. */
  public static Type.Struct safe(Type.Struct struct) {
    List<Field> fields = new ArrayList<>(struct.fields().size());
    Set<String> taken = new HashSet<>();
    boolean changed = false;
    for (Field f : struct.fields()) {
      String name = unique(legal(f.name()), taken);
      Type type = safe(f.type());
      changed |= !name.equals(f.name()) || type != f.type();
      List<String> aliases = f.aliases().stream().map(ColumnNames::legal).toList();
      changed |= !aliases.equals(f.aliases());
      fields.add(new Field(name, type, f.optional(), f.doc(), f.sourceId(), aliases));
    }
    return changed ? new Type.Struct(fields) : struct;
  }

  private static Type safe(Type type) {
    if (type instanceof Type.Struct s) {
      return safe(s);
    }
    if (type instanceof Type.ListType l) {
      Type element = safe(l.element());
      return element == l.element() ? l : new Type.ListType(element, l.elementOptional());
    }
    if (type instanceof Type.MapType m) {
      Type key = safe(m.key());
      Type value = safe(m.value());
      return key == m.key() && value == m.value()
          ? m
          : new Type.MapType(key, value, m.valueOptional());
    }
    return type;
  }

  static String legal(String name) {
    StringBuilder sb = new StringBuilder(name.length() + 1);
    for (int i = 0; i < name.length(); i++) {
      char c = name.charAt(i);
      sb.append(c < 128 && (Character.isLetterOrDigit(c) || c == '_') ? c : '_');
    }
    if (sb.length() == 0 || Character.isDigit(sb.charAt(0))) {
      sb.insert(0, '_');
    }
    return sb.toString();
  }

  private static String unique(String name, Set<String> taken) {
    String candidate = name;
    for (int n = 2; !taken.add(candidate.toLowerCase(Locale.ROOT)); n++) {
      candidate = name + "_" + n;
    }
    return candidate;
  }
}
