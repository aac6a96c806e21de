package dev.runnel.deploy.route.domain;

/**
 * One basic-auth user: the name and the bcrypt hash of the password (the htpasswd line). The
 * password itself is never kept.
 */
public record BasicAuthUser(String username, String hash) {
  @Override
  public String toString() {
    return "BasicAuthUser[" + username + "]";
  }
}
