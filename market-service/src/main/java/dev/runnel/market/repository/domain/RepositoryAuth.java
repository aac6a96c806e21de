package dev.runnel.market.repository.domain;

/**
 * How the market signs in to a repository. The secret (password or token) is held only sealed;
 * {@code sealedSecret} is ciphertext and is never shown to anyone.
 */
public record RepositoryAuth(Kind kind, String username, byte[] sealedSecret) {
  public static final RepositoryAuth NONE = new RepositoryAuth(Kind.NONE, null, null);

  /** The ways a Helm repository accepts credentials. */
  public enum Kind {
    NONE,
    BASIC,
    BEARER
  }

  public String kindName() {
    return kind.name().toLowerCase(java.util.Locale.ROOT);
  }
}
