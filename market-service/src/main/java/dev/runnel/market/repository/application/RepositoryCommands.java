package dev.runnel.market.repository.application;

/** What callers ask of the repository use cases. Secrets travel only inside these, never out. */
public final class RepositoryCommands {
  private RepositoryCommands() {}

  /**
   * Settings of a repository as the admin gives them.
   *
   * @param username basic auth user; with {@code password}
   * @param token bearer token; instead of username and password
   * @param syncIntervalSeconds null for the configured default
   */
  public record Settings(
      String url,
      String username,
      String password,
      String token,
      String caPem,
      Long syncIntervalSeconds) {
    @Override
    public String toString() {
      return "Settings[" + url + "]";
    }
  }

  public record Add(String name, Settings settings, String actor) {}

  public record Update(String name, Settings settings, String actor) {}

  public record Remove(String name, String actor) {}
}
