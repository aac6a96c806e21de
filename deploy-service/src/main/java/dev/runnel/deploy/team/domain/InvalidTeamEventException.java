package dev.runnel.deploy.team.domain;

/** A team event whose content this service cannot use; retrying it would not help. */
public class InvalidTeamEventException extends RuntimeException {
  public InvalidTeamEventException(String message) {
    super(message);
  }
}
