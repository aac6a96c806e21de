package dev.runnel.cli.auth;

import java.io.IOException;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/** {@code runnel token}: prints a valid access token, refreshing it when it is about to expire. */
@Command(
    name = "token",
    description = "Print a valid access token of the logged-in user (refreshed when needed).")
public final class TokenCommand implements Callable<Integer> {
  /** A printed token is good for at least this long, so the command that uses it can finish. */
  static final long MIN_SECONDS_LEFT = 30;

  @Override
  public Integer call() throws IOException, InterruptedException {
    try {
      System.out.println(valid(TokenStore.forUser(), MIN_SECONDS_LEFT).accessToken());
      return 0;
    } catch (OidcClient.AuthException e) {
      System.err.println("runnel token: " + e.getMessage());
      return 1;
    }
  }

  /**
   * The stored token, first renewed with the refresh token (and stored again) when it has less than
   * {@code minSecondsLeft} to live.
   */
  static StoredToken valid(TokenStore store, long minSecondsLeft)
      throws IOException, InterruptedException {
    StoredToken token = store.load();
    if (token == null) {
      throw new OidcClient.AuthException("not logged in; run `runnel login`");
    }
    if (token.freshFor(minSecondsLeft)) {
      return token;
    }
    if (!token.refreshable()) {
      throw new OidcClient.AuthException("the session has expired; run `runnel login` again");
    }
    StoredToken renewed;
    try {
      renewed = new OidcClient(token.issuer()).refresh(token.refreshToken());
    } catch (OidcClient.AuthException e) {
      throw new OidcClient.AuthException(e.getMessage() + "; run `runnel login` again");
    }
    store.save(renewed);
    return renewed;
  }
}
