package dev.runnel.audit.trail.application;

import dev.runnel.kit.problem.Problem;
import java.time.Instant;
import java.time.format.DateTimeParseException;

/**
 * A search of the trail, validated: every filter is optional and they combine with AND.
 *
 * @param from events that occurred at or after this instant
 * @param to events that occurred before this instant
 * @param type events of exactly this type
 * @param typePrefix events whose type starts with this (the {@code type} filter ending in {@code
 *     *})
 * @param typeSuffix events whose type ends with this (set by the server's own views, never by a
 *     client: {@link #denials()})
 * @param subject events about this aggregate
 * @param team events of this team
 * @param actor events caused by this actor
 * @param beforeSeq only entries older than this seq (from the cursor)
 * @param limit the page size
 */
public record TrailQuery(
    Instant from,
    Instant to,
    String type,
    String typePrefix,
    String typeSuffix,
    String subject,
    String team,
    String actor,
    Long beforeSeq,
    int limit) {
  public static final int DEFAULT_LIMIT = 50;
  public static final int MAX_LIMIT = 200;
  public static final int MAX_TEXT = 256;

  /**
   * What every service's denial event type ends with ({@code runnel.<service>.access.denied.v1}).
   */
  public static final String DENIAL_TYPE_SUFFIX = ".access.denied.v1";

  /**
   * Reads the query parameters as a client sent them (null when absent); blank counts as absent. A
   * value that cannot be used is a 400 problem naming its parameter.
   */
  public static TrailQuery parse(
      String from,
      String to,
      String type,
      String subject,
      String team,
      String actor,
      String limit,
      String cursor) {
    Instant fromTime = instant("from", from);
    Instant toTime = instant("to", to);
    if (fromTime != null && toTime != null && fromTime.isAfter(toTime)) {
      throw Problem.invalid("from", "must not be after to");
    }
    String typeText = text("type", type);
    String exactType = typeText;
    String typePrefix = null;
    if (typeText != null && typeText.endsWith("*")) {
      exactType = null;
      typePrefix = typeText.substring(0, typeText.length() - 1);
    }
    if (typeText != null && (exactType != null ? exactType : typePrefix).contains("*")) {
      throw Problem.invalid("type", "may contain * only at its end, for a prefix match");
    }
    String cursorText = text("cursor", cursor);
    Long beforeSeq = null;
    if (cursorText != null) {
      beforeSeq = TrailCursor.decode(cursorText);
      if (beforeSeq == null) {
        throw Problem.invalid("cursor", "is not a cursor this API returned");
      }
    }
    return new TrailQuery(
        fromTime,
        toTime,
        exactType,
        typePrefix,
        null,
        text("subject", subject),
        text("team", team),
        text("actor", actor),
        beforeSeq,
        limit(limit));
  }

  /** This search narrowed to the denials of every service: refused requests, 403 and 404. */
  public TrailQuery denials() {
    return new TrailQuery(
        from, to, type, typePrefix, DENIAL_TYPE_SUFFIX, subject, team, actor, beforeSeq, limit);
  }

  /** The cursor that continues after an entry at {@code seq}. */
  public static String cursorAfter(long seq) {
    return TrailCursor.encode(seq);
  }

  private static String text(String field, String raw) {
    if (raw == null || raw.isBlank()) {
      return null;
    }
    if (raw.length() > MAX_TEXT) {
      throw Problem.invalid(field, "must be at most " + MAX_TEXT + " characters");
    }
    return raw;
  }

  private static Instant instant(String field, String raw) {
    String text = text(field, raw);
    if (text == null) {
      return null;
    }
    try {
      return Instant.parse(text);
    } catch (DateTimeParseException e) {
      throw Problem.invalid(field, "must be an ISO-8601 instant such as 2026-01-31T12:00:00Z");
    }
  }

  private static int limit(String raw) {
    String text = text("limit", raw);
    if (text == null) {
      return DEFAULT_LIMIT;
    }
    int limit;
    try {
      limit = Integer.parseInt(text.strip());
    } catch (NumberFormatException e) {
      throw Problem.invalid("limit", "must be a whole number between 1 and " + MAX_LIMIT);
    }
    if (limit < 1 || limit > MAX_LIMIT) {
      throw Problem.invalid("limit", "must be between 1 and " + MAX_LIMIT);
    }
    return limit;
  }
}
