package dev.floe.sinks.iceberg;

import org.apache.iceberg.types.Type;
import org.apache.iceberg.types.Types;

/** Iceberg's type promotions: which column types hold values of a narrower type. */
final class Promotions {
  private Promotions() {}

  /** Whether a column of type {@code wide} holds every value of {@code narrow} (and differs). */
  static boolean holds(Type wide, Type narrow) {
    if (wide.typeId() == Type.TypeID.LONG && narrow.typeId() == Type.TypeID.INTEGER) {
      return true;
    }
    if (wide.typeId() == Type.TypeID.DOUBLE && narrow.typeId() == Type.TypeID.FLOAT) {
      return true;
    }
    if (wide instanceof Types.DecimalType w && narrow instanceof Types.DecimalType n) {
      return w.scale() == n.scale() && w.precision() > n.precision();
    }
    return false;
  }
}
