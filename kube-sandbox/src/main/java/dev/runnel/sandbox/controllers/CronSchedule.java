package dev.runnel.sandbox.controllers;

import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.util.BitSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Standard five-field cron schedules as CronJobs use them: lists, ranges, steps, month and day
 * names, and the {@code @hourly}-style macros. When both day-of-month and day-of-week are
 * restricted a day matches either, as in Vixie cron.
 */
final class CronSchedule {

  private static final Map<String, String> MACROS =
      Map.of(
          "@yearly", "0 0 1 1 *",
          "@annually", "0 0 1 1 *",
          "@monthly", "0 0 1 * *",
          "@weekly", "0 0 * * 0",
          "@daily", "0 0 * * *",
          "@midnight", "0 0 * * *",
          "@hourly", "0 * * * *");
  private static final List<String> MONTHS =
      List.of("JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC");
  private static final List<String> DAYS = List.of("SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT");

  private final BitSet minutes;
  private final BitSet hours;
  private final BitSet daysOfMonth;
  private final BitSet months;
  private final BitSet daysOfWeek;
  private final boolean anyDayOfMonth;
  private final boolean anyDayOfWeek;

  private CronSchedule(String[] fields) {
    minutes = field(fields[0], 0, 59, List.of());
    hours = field(fields[1], 0, 23, List.of());
    daysOfMonth = field(fields[2], 1, 31, List.of());
    months = field(fields[3], 1, 12, MONTHS);
    daysOfWeek = field(fields[4], 0, 7, DAYS);
    if (daysOfWeek.get(7)) {
      daysOfWeek.set(0);
    }
    anyDayOfMonth = fields[2].equals("*") || fields[2].equals("?");
    anyDayOfWeek = fields[4].equals("*") || fields[4].equals("?");
  }

  static CronSchedule parse(String expression) {
    String text = expression.trim();
    String expanded = MACROS.getOrDefault(text.toLowerCase(Locale.ROOT), text);
    String[] fields = expanded.split("\\s+");
    if (fields.length != 5) {
      throw new IllegalArgumentException("expected 5 fields in schedule \"" + expression + "\"");
    }
    return new CronSchedule(fields);
  }

  /** The first scheduled minute strictly after {@code after}. */
  Instant next(Instant after, ZoneId zone) {
    ZonedDateTime t = after.atZone(zone).truncatedTo(ChronoUnit.MINUTES).plusMinutes(1);
    ZonedDateTime limit = t.plusYears(5);
    while (t.isBefore(limit)) {
      if (!months.get(t.getMonthValue())) {
        t = t.plusMonths(1).withDayOfMonth(1).withHour(0).withMinute(0);
      } else if (!dayMatches(t)) {
        t = t.plusDays(1).withHour(0).withMinute(0);
      } else if (!hours.get(t.getHour())) {
        t = t.plusHours(1).withMinute(0);
      } else if (!minutes.get(t.getMinute())) {
        t = t.plusMinutes(1);
      } else {
        return t.toInstant();
      }
    }
    throw new IllegalArgumentException("schedule never fires");
  }

  private boolean dayMatches(ZonedDateTime t) {
    boolean dom = daysOfMonth.get(t.getDayOfMonth());
    boolean dow = daysOfWeek.get(t.getDayOfWeek().getValue() % 7);
    if (anyDayOfMonth && anyDayOfWeek) {
      return true;
    }
    if (anyDayOfMonth) {
      return dow;
    }
    if (anyDayOfWeek) {
      return dom;
    }
    return dom || dow;
  }

  private static BitSet field(String spec, int min, int max, List<String> names) {
    BitSet bits = new BitSet(max + 1);
    for (String part : spec.split(",")) {
      int step = 1;
      String range = part;
      int slash = part.indexOf('/');
      if (slash >= 0) {
        step = Integer.parseInt(part.substring(slash + 1));
        range = part.substring(0, slash);
        if (step <= 0) {
          throw new IllegalArgumentException("step must be positive in " + spec);
        }
      }
      int from;
      int to;
      if (range.equals("*") || range.equals("?")) {
        from = min;
        to = max;
      } else if (range.contains("-")) {
        String[] ends = range.split("-", 2);
        from = value(ends[0], names);
        to = value(ends[1], names);
      } else {
        from = value(range, names);
        to = slash >= 0 ? max : from;
      }
      if (from < min || to > max || from > to) {
        throw new IllegalArgumentException("out of range: " + part);
      }
      for (int v = from; v <= to; v += step) {
        bits.set(v);
      }
    }
    return bits;
  }

  private static int value(String text, List<String> names) {
    int index = names.indexOf(text.toUpperCase(Locale.ROOT));
    if (index >= 0) {
      return index + (names.size() == 12 ? 1 : 0);
    }
    return Integer.parseInt(text);
  }
}
