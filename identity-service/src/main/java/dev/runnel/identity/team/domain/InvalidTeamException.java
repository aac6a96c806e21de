package dev.runnel.identity.team.domain;

/** A field of a team, member or quota that breaks a rule; {@link #field()} names it. */
public final class InvalidTeamException extends RuntimeException {
  private final String field;

  public InvalidTeamException(String field, String message) {
    super(message);
    this.field = field;
  }

  public String field() {
    return field;
  }
}
