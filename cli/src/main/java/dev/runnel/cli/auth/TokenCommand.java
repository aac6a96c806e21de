package dev.runnel.cli.auth;

import java.io.IOException;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/** {@code runnel token}: prints a valid access token, refreshing it when it is about to expire. */
@Command(
    name = "token",
    description = "Print a valid access token of the logged-in user (refreshed when needed).")
public final class TokenCommand implements Callable<Integer> {
  @Override
  public Integer call() throws IOException, InterruptedException {
    TokenStore store = TokenStore.forUser();
    StoredToken token = store.load();
    if (token == null) {
      System.err.println("runnel token: not logged in; run `runnel login`");
      return 1;
    }
    if (!token.freshFor(30)) {
      if (!token.refreshable()) {
        System.err.println("runnel token: the session has expired; run `runnel login` again");
        return 1;
      }
      try {
        token = new OidcClient(token.issuer()).refresh(token.refreshToken());
      } catch (OidcClient.AuthException e) {
        System.err.println("runnel token: " + e.getMessage() + "; run `runnel login` again");
        return 1;
      }
      store.save(token);
    }
    System.out.println(token.accessToken());
    return 0;
  }
}
