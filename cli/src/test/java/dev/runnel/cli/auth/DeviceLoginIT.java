package dev.runnel.cli.auth;

import static org.assertj.core.api.Assertions.assertThat;

import dev.runnel.testkit.TestKeycloak;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.CookieManager;
import java.net.CookiePolicy;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code runnel login}'s device authorization flow against the real Keycloak: the CLI polls while a
 * browser (here an HTTP client keeping cookies) enters the user code and logs in; the tokens are
 * kept for the user only, and {@code runnel token} renews them when they are about to expire.
 */
class DeviceLoginIT {
  private static final JsonMapper JSON = JsonMapper.builder().build();
  private static final Pattern FORM_ACTION =
      Pattern.compile("<form[^>]*action=\"([^\"]+)\"", Pattern.DOTALL);

  private final TestKeycloak keycloak = TestKeycloak.get();

  @TempDir Path config;

  @Test
  void theCliIsLoggedInOnceTheUserConfirmsTheCodeInABrowserAndKeepsTheTokenForTheUserOnly()
      throws Exception {
    OidcClient cli = new OidcClient(keycloak.issuer());
    JsonNode device = cli.startDeviceFlow();
    String userCode = device.path("user_code").asString();
    assertThat(device.path("verification_uri").asString()).startsWith(keycloak.issuer());
    assertThat(userCode).isNotBlank();
    CompletableFuture<StoredToken> polling =
        CompletableFuture.supplyAsync(
            () -> {
              try {
                return cli.awaitDevice(device);
              } catch (IOException e) {
                throw new UncheckedIOException(e);
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
              }
            });

    Browser browser = new Browser();
    // The link `runnel login` prints: the verification page with the user code filled in.
    HttpResponse<String> loginPage =
        browser.get(device.path("verification_uri_complete").asString());
    if (!loginPage.body().contains("name=\"password\"")) {
      // A Keycloak that asks to confirm the code first: confirm it as the user would.
      loginPage =
          browser.post(
              action(loginPage, "kc-user-verify-device-user-code-form"),
              Map.of("device_user_code", userCode));
    }
    HttpResponse<String> done =
        browser.post(
            action(loginPage, "kc-form-login"),
            Map.of(
                "username",
                keycloak.adminUsername(),
                "password",
                keycloak.adminPassword(),
                "credentialId",
                ""));
    if (done.body().contains("name=\"accept\"")) {
      done = browser.post(action(done), Map.of("accept", "Yes"));
    }
    assertThat(done.statusCode()).isEqualTo(200);

    StoredToken token = polling.get(2, TimeUnit.MINUTES);
    JsonNode claims = claims(token.accessToken());
    assertThat(claims.path("azp").asString()).isEqualTo(OidcClient.CLIENT_ID);
    assertThat(claims.path("preferred_username").asString()).isEqualTo(keycloak.adminUsername());
    assertThat(token.refreshable()).isTrue();

    TokenStore store = new TokenStore(config.resolve("runnel").resolve("token.json"));
    store.save(token);

    assertThat(Files.getPosixFilePermissions(store.file()))
        .isEqualTo(PosixFilePermissions.fromString("rw-------"));
    assertThat(store.load()).isEqualTo(token);
  }

  @Test
  void runnelTokenRenewsATokenAboutToExpireWithTheRefreshTokenAndKeepsAFreshOneAsItIs()
      throws Exception {
    StoredToken login =
        new OidcClient(keycloak.issuer())
            .password(keycloak.adminUsername(), keycloak.adminPassword());
    TokenStore store = new TokenStore(config.resolve("runnel").resolve("token.json"));
    store.save(
        new StoredToken(
            login.issuer(),
            login.accessToken(),
            Instant.now().plusSeconds(10),
            login.refreshToken(),
            login.refreshExpiresAt()));

    StoredToken renewed = TokenCommand.valid(store, TokenCommand.MIN_SECONDS_LEFT);

    assertThat(renewed.accessToken()).isNotEqualTo(login.accessToken());
    assertThat(claims(renewed.accessToken()).path("sid"))
        .isEqualTo(claims(login.accessToken()).path("sid"));
    assertThat(store.load()).isEqualTo(renewed);
    assertThat(Files.getPosixFilePermissions(store.file()))
        .isEqualTo(PosixFilePermissions.fromString("rw-------"));
    assertThat(TokenCommand.valid(store, TokenCommand.MIN_SECONDS_LEFT)).isEqualTo(renewed);
  }

  @Test
  void aRevokedRefreshTokenTellsTheUserToLogInAgain() throws Exception {
    TokenStore store = new TokenStore(config.resolve("runnel").resolve("token.json"));
    store.save(
        new StoredToken(
            keycloak.issuer(),
            "expired",
            Instant.now().minusSeconds(5),
            "not-a-refresh-token",
            Instant.now().plusSeconds(600)));

    org.assertj.core.api.Assertions.assertThatThrownBy(() -> TokenCommand.valid(store, 30))
        .isInstanceOf(OidcClient.AuthException.class)
        .hasMessageEndingWith("run `runnel login` again");
  }

  private static JsonNode claims(String jwt) {
    return JSON.readTree(Base64.getUrlDecoder().decode(jwt.split("\\.")[1]));
  }

  /** Where the page's form posts to: the form with one of {@code ids}, else the first form. */
  private static String action(HttpResponse<String> page, String... ids) {
    Matcher m = null;
    for (String id : ids) {
      Matcher byId =
          Pattern.compile("<form[^>]*id=\"" + id + "\"[^>]*action=\"([^\"]+)\"", Pattern.DOTALL)
              .matcher(page.body());
      if (byId.find()) {
        m = byId;
        break;
      }
    }
    if (m == null) {
      m = FORM_ACTION.matcher(page.body());
      if (!m.find()) {
        throw new AssertionError("no form on " + page.uri() + ":\n" + page.body());
      }
    }
    return page.uri().resolve(m.group(1).replace("&amp;", "&")).toString();
  }

  /**
   * Follows redirects and keeps cookies, as the user's browser would. Browsers send Keycloak's
   * {@code Secure} login cookies to {@code http://127.0.0.1} (a secure context); Java's cookie
   * manager would not, so the attribute is dropped on the way in.
   */
  private static final class Browser {
    private static final Pattern SECURE =
        Pattern.compile(";\\s*Secure(?=;|$)", Pattern.CASE_INSENSITIVE);
    private final CookieManager cookies = new CookieManager(null, CookiePolicy.ACCEPT_ALL);
    private final HttpClient http =
        HttpClient.newBuilder()
            .cookieHandler(
                new java.net.CookieHandler() {
                  @Override
                  public Map<String, java.util.List<String>> get(
                      URI uri, Map<String, java.util.List<String>> headers) throws IOException {
                    return cookies.get(uri, headers);
                  }

                  @Override
                  public void put(URI uri, Map<String, java.util.List<String>> headers)
                      throws IOException {
                    Map<String, java.util.List<String>> relaxed = new java.util.HashMap<>();
                    headers.forEach(
                        (name, values) ->
                            relaxed.put(
                                name,
                                name != null && name.equalsIgnoreCase("Set-Cookie")
                                    ? values.stream()
                                        .map(v -> SECURE.matcher(v).replaceAll(""))
                                        .toList()
                                    : values));
                    cookies.put(uri, relaxed);
                  }
                })
            .followRedirects(HttpClient.Redirect.NORMAL)
            .connectTimeout(Duration.ofSeconds(5))
            .build();

    HttpResponse<String> get(String uri) throws IOException, InterruptedException {
      return http.send(
          HttpRequest.newBuilder(URI.create(uri)).timeout(Duration.ofSeconds(60)).build(),
          HttpResponse.BodyHandlers.ofString());
    }

    HttpResponse<String> post(String uri, Map<String, String> fields)
        throws IOException, InterruptedException {
      String body =
          new LinkedHashMap<>(fields)
              .entrySet().stream()
                  .map(
                      e ->
                          e.getKey()
                              + "="
                              + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                  .collect(Collectors.joining("&"));
      return http.send(
          HttpRequest.newBuilder(URI.create(uri))
              .timeout(Duration.ofSeconds(60))
              .header("Content-Type", "application/x-www-form-urlencoded")
              .POST(HttpRequest.BodyPublishers.ofString(body))
              .build(),
          HttpResponse.BodyHandlers.ofString());
    }
  }
}
