package dev.floe.sinks.delta;

import java.time.LocalTime;
import java.time.format.DateTimeFormatter;

/**
 * Time of day as Delta holds it: a string {@code HH:mm:ss.SSSSSS}. Fixed width, so strings sort as
 * the times do and min/max statistics skip files correctly; every engine can cast it to a time.
 */
final class TimeOfDay {
  private static final DateTimeFormatter FORMAT = DateTimeFormatter.ofPattern("HH:mm:ss.SSSSSS");

  private TimeOfDay() {}

  static String format(long micros) {
    return FORMAT.format(LocalTime.ofNanoOfDay(micros * 1000));
  }
}
