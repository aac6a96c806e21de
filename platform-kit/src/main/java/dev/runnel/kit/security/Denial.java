package dev.runnel.kit.security;

import dev.runnel.kit.problem.Problem;
import org.springframework.web.ErrorResponseException;

/**
 * An authorisation decision against the caller, which the kit both answers and records as an {@code
 * access.denied} event. The answer is exactly the problem a plain {@link Problem} would give: a
 * team-scope denial renders as the same 404 as an object that does not exist, so a client cannot
 * probe for another team's objects; only the audit trail learns the difference.
 */
public final class Denial extends ErrorResponseException {
  /** Why the request was refused, as the event's {@code reason} says it. */
  public enum Reason {
    /** The caller's roles do not allow the action: 403. */
    FORBIDDEN_ACTION("forbidden-action"),
    /** The object belongs to a team the caller may not see: 404. */
    OTHER_TEAMS_OBJECT("other-teams-object");

    private final String wire;

    Reason(String wire) {
      this.wire = wire;
    }

    public String wire() {
      return wire;
    }
  }

  private final Reason reason;
  private final String team;
  private final String objectKind;
  private final String objectId;

  private Denial(Problem rendered, Reason reason, String team, String objectKind, String objectId) {
    super(rendered.getStatusCode(), rendered.getBody(), null);
    this.reason = reason;
    this.team = team;
    this.objectKind = objectKind;
    this.objectId = objectId;
  }

  /** Another team's object: answered as "does not exist", recorded as a scope denial. */
  public static Denial hidden(String what, Object id, String team) {
    return new Denial(
        Problem.notFound(what, id),
        Reason.OTHER_TEAMS_OBJECT,
        team,
        what,
        id == null ? null : String.valueOf(id));
  }

  /** A forbidden action, on an object of {@code team} when there is one (null otherwise). */
  public static Denial forbidden(String detail, String team) {
    return new Denial(Problem.forbidden(detail), Reason.FORBIDDEN_ACTION, team, null, null);
  }

  public Reason reason() {
    return reason;
  }

  /** The team the requested object belongs to, or null when the action is not about a team. */
  public String team() {
    return team;
  }

  /** What kind of object was asked for ({@code Instance}, {@code Team}), or null. */
  public String objectKind() {
    return objectKind;
  }

  public String objectId() {
    return objectId;
  }
}
