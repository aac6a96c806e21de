package dev.runnel.cli.auth;

import dev.runnel.cli.up.Layout;
import dev.runnel.cli.up.StateFile;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import tools.jackson.databind.JsonNode;

/**
 * {@code runnel login}: the device authorization flow in a browser by default; for scripts and CI,
 * {@code --username U --password-stdin}.
 */
@Command(name = "login", description = "Log in to Runnel and keep the token for later commands.")
public final class LoginCommand implements Callable<Integer> {
  @Option(
      names = "--username",
      description = "Log in without a browser as this user (with --password-stdin).")
  String username;

  @Option(names = "--password-stdin", description = "Read the password from standard input.")
  boolean passwordStdin;

  @Option(
      names = "--issuer",
      description = "The Keycloak realm URL; by default the one of the platform `runnel up` runs.")
  String issuer;

  @Option(
      names = "--data-dir",
      description =
          "Data dir of the local platform, to find its Keycloak (default: ${DEFAULT-VALUE}).",
      defaultValue = "${sys:user.home}/.runnel")
  Path dataDir;

  @Override
  public Integer call() throws IOException, InterruptedException {
    String realm = issuer != null ? issuer : localIssuer(dataDir);
    if (realm == null) {
      System.err.println("runnel login: no running platform in " + dataDir + "; pass --issuer");
      return 2;
    }
    if (passwordStdin != (username != null)) {
      System.err.println("runnel login: --username and --password-stdin go together");
      return 2;
    }
    OidcClient oidc = new OidcClient(realm);
    TokenStore store = TokenStore.forUser();
    try {
      StoredToken token;
      if (passwordStdin) {
        String password =
            new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
        if (password == null || password.isEmpty()) {
          System.err.println("runnel login: no password on standard input");
          return 2;
        }
        token = oidc.password(username, password);
      } else {
        JsonNode device = oidc.startDeviceFlow();
        System.out.println(
            "Open "
                + device
                    .path("verification_uri_complete")
                    .asString(device.path("verification_uri").asString()));
        System.out.println(
            "and confirm the code " + device.path("user_code").asString() + " to log in.");
        token = oidc.awaitDevice(device);
      }
      store.save(token);
      System.out.println("Logged in; token kept in " + store.file());
      return 0;
    } catch (OidcClient.AuthException e) {
      System.err.println("runnel login: " + e.getMessage());
      return 1;
    }
  }

  static String localIssuer(Path dataDir) throws IOException {
    StateFile state = StateFile.read(new Layout(dataDir.toAbsolutePath(), 0, 1024).state());
    return state == null ? null : state.keycloakIssuer();
  }
}
