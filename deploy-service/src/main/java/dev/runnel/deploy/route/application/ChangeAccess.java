package dev.runnel.deploy.route.application;

import java.util.List;

/**
 * The whole set of access rules for a domain, replacing the previous one. A user without a password
 * keeps the password stored for that name.
 */
public record ChangeAccess(List<String> ipAllowList, List<User> basicAuth, Boolean wafProtected) {
  public record User(String username, String password) {
    @Override
    public String toString() {
      return "User[" + username + "]";
    }
  }
}
