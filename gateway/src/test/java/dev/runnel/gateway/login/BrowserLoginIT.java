package dev.runnel.gateway.login;

import static org.assertj.core.api.Assertions.assertThat;

import dev.runnel.gateway.FakeService;
import dev.runnel.testkit.TestKeycloak;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;

/**
 * The console's login through the gateway against the real Keycloak server: a browser that follows
 * redirects, keeps cookies and posts Keycloak's login form; the session's token relayed to a
 * service; CSRF; renewal of the relayed token; logout; and Keycloak going away and coming back.
 *
 * <p>The gateway and the browser reach Keycloak through a {@link TcpLink}, which the outage test
 * cuts. Keycloak names its issuer after the address it is called by, so tokens carry the link's
 * address, which is also the issuer the gateway trusts.
 */
@SpringBootTest(
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = {
      // Access tokens live 30 s (set on the client below); renewed in their last 25 s.
      "runnel.gateway.login.refresh-before-expiry=25s",
      "runnel.gateway.login.success-url=/api/session",
      "runnel.gateway.login.probe-timeout=2s"
    })
class BrowserLoginIT {
  private static final int ACCESS_TOKEN_SECONDS = 30;

  private static final TestKeycloak keycloak = TestKeycloak.get();
  private static final KeycloakAdmin admin = new KeycloakAdmin(keycloak);
  private static final TcpLink link = new TcpLink(keycloak.server().port());
  private static final String issuer = "http://127.0.0.1:" + link.port() + "/realms/runnel";
  private static final FakeService market = FakeService.echoing();

  static {
    admin.fitGatewayClient(ACCESS_TOKEN_SECONDS);
  }

  @LocalServerPort int port;

  private Browser browser;

  @DynamicPropertySource
  static void gateway(DynamicPropertyRegistry registry) {
    registry.add("spring.security.oauth2.resourceserver.jwt.issuer-uri", () -> issuer);
    registry.add("runnel.gateway.login.client-secret", keycloak::gatewayClientSecret);
    registry.add("runnel.gateway.services.market.uri", market::uri);
  }

  @AfterAll
  static void stop() {
    market.close();
    link.close();
  }

  @BeforeEach
  void newBrowser() {
    link.restore();
    browser = new Browser("http://127.0.0.1:" + port);
  }

  @Test
  void aBrowserLogsInThroughKeycloakAndCallsAServiceWithTheSessionCookieOnly() {
    HttpResponse<String> form = browser.open("/login");
    assertThat(form.statusCode()).isEqualTo(200);
    assertThat(form.uri().toString()).startsWith(issuer + "/protocol/openid-connect/auth");
    assertThat(form.uri().getQuery())
        .contains("code_challenge_method=S256")
        .contains("code_challenge=")
        .contains("client_id=runnel-gateway");

    HttpResponse<String> landed =
        browser.submitLoginForm(form, keycloak.adminUsername(), keycloak.adminPassword());

    assertThat(landed.statusCode()).as(landed.uri() + "\n" + landed.body()).isEqualTo(200);
    assertThat(landed.uri().getPath()).isEqualTo("/api/session");
    JsonNode session = KeycloakAdmin.JSON.readTree(landed.body());
    assertThat(session.get("authenticated").asBoolean()).isTrue();
    assertThat(session.get("via").asString()).isEqualTo("session");
    assertThat(session.get("username").asString()).isEqualTo(keycloak.adminUsername());
    assertThat(session.get("platformRoles").toString()).contains("platform-admin");
    assertThat(session.at("/csrf/header").asString()).isEqualTo("X-XSRF-TOKEN");
    assertThat(landed.headers().allValues("Set-Cookie"))
        .anySatisfy(c -> assertThat(c).startsWith("XSRF-TOKEN=").contains("SameSite=Lax"));

    HttpResponse<String> apps = browser.api("GET", "/api/market/v1/apps", null, false);

    assertThat(apps.statusCode()).isEqualTo(200);
    assertThat(apps.body()).isEqualTo("GET /api/market/v1/apps");
    FakeService.Received received = last(market.received("/api/market/v1/apps"));
    assertThat(received.authorization()).startsWith("Bearer ");
    JsonNode claims = KeycloakAdmin.claims(received.authorization().substring(7));
    assertThat(claims.get("azp").asString()).isEqualTo("runnel-gateway");
    assertThat(claims.get("preferred_username").asString()).isEqualTo(keycloak.adminUsername());
    assertThat(claims.get("iss").asString()).isEqualTo(issuer);
    // The browser's cookies stay at the gateway.
    assertThat(received.cookie()).isNull();
  }

  @Test
  void theSessionCookieIsHttpOnlyAndSameSiteLaxAndChangesAtLogin() {
    browser.open("/login");
    String before = browser.cookie("SESSION");

    HttpResponse<String> landed = browser.logIn(keycloak.adminUsername(), keycloak.adminPassword());

    assertThat(landed.statusCode()).as(landed.uri() + "\n" + landed.body()).isEqualTo(200);
    assertThat(browser.cookie("SESSION")).isNotEqualTo(before);
    assertThat(setCookies(landed))
        .filteredOn(c -> c.startsWith("SESSION="))
        .isNotEmpty()
        .allSatisfy(
            c ->
                assertThat(c)
                    .containsIgnoringCase("HttpOnly")
                    .contains("SameSite=Lax")
                    .doesNotContainIgnoringCase("Secure"));
  }

  /** Every Set-Cookie the browser got on its way to this response, redirects included. */
  private static java.util.List<String> setCookies(HttpResponse<String> last) {
    java.util.List<String> all = new java.util.ArrayList<>();
    for (HttpResponse<String> r = last; r != null; r = r.previousResponse().orElse(null)) {
      all.addAll(r.headers().allValues("Set-Cookie"));
    }
    return all;
  }

  @Test
  void aStateChangingRequestOnTheSessionWithoutTheCsrfTokenIsA403ProblemAndReachesNoService() {
    browser.logIn(keycloak.adminUsername(), keycloak.adminPassword());
    int before = market.received("/api/market/v1/repositories").size();

    HttpResponse<String> forged =
        browser.api("POST", "/api/market/v1/repositories", "{\"name\":\"x\"}", false);

    assertThat(forged.statusCode()).isEqualTo(403);
    assertThat(forged.headers().firstValue("Content-Type")).hasValue("application/problem+json");
    JsonNode problem = KeycloakAdmin.JSON.readTree(forged.body());
    assertThat(problem.get("type").asString()).isEqualTo("https://runnel.dev/problems/forbidden");
    assertThat(problem.get("detail").asString()).contains("X-XSRF-TOKEN");
    assertThat(market.received("/api/market/v1/repositories")).hasSize(before);

    HttpResponse<String> genuine =
        browser.api("POST", "/api/market/v1/repositories", "{\"name\":\"x\"}", true);

    assertThat(genuine.statusCode()).isEqualTo(200);
    assertThat(market.received("/api/market/v1/repositories")).hasSize(before + 1);
  }

  @Test
  void theRelayedTokenIsRenewedWithTheRefreshTokenBeforeItExpires() {
    browser.logIn(keycloak.adminUsername(), keycloak.adminPassword());
    JsonNode first = relayedClaims();
    assertThat(first.get("exp").asLong() - first.get("iat").asLong())
        .isEqualTo(ACCESS_TOKEN_SECONDS);

    // Inside the renewal window (last 25 of 30 s) the gateway swaps the token before relaying it.
    JsonNode renewed =
        Awaitility.await()
            .atMost(Duration.ofSeconds(ACCESS_TOKEN_SECONDS))
            .pollInterval(Duration.ofSeconds(1))
            .until(this::relayedClaims, c -> !c.get("jti").equals(first.get("jti")));

    assertThat(renewed.get("sid")).isEqualTo(first.get("sid"));
    assertThat(renewed.get("iat").asLong()).isGreaterThan(first.get("iat").asLong());
    assertThat(renewed.get("exp").asLong()).isGreaterThan(first.get("exp").asLong());
  }

  @Test
  void logoutEndsTheLocalSessionAndTheKeycloakSession() {
    browser.logIn(keycloak.adminUsername(), keycloak.adminPassword());
    String session = relayedClaims().get("sid").asString();
    assertThat(admin.sessionsOf(keycloak.adminUsername())).contains(session);

    HttpResponse<String> withoutCsrf = browser.api("POST", "/logout", null, false);
    assertThat(withoutCsrf.statusCode()).isEqualTo(403);

    HttpResponse<String> logout = browser.api("POST", "/logout", null, true);

    assertThat(logout.statusCode()).isEqualTo(204);
    // Keycloak ended the session (and with it its refresh token), not only the gateway.
    assertThat(admin.sessionsOf(keycloak.adminUsername())).doesNotContain(session);
    // The old session cookie is worth nothing at the gateway...
    HttpResponse<String> after = browser.api("GET", "/api/market/v1/apps", null, false);
    assertThat(after.statusCode()).isEqualTo(401);
    // ...and the browser's Keycloak cookie does not log it straight back in.
    HttpResponse<String> again = browser.open("/login");
    assertThat(again.statusCode()).isEqualTo(200);
    assertThat(Browser.loginFormAction(again)).startsWith(issuer);
  }

  @Test
  void withKeycloakDownNewLoginsGetA503ProblemAndBearerCallsStillWorkThenLoginRecovers() {
    String bearer = admin.passwordGrant(issuer, keycloak.adminUsername(), keycloak.adminPassword());
    assertThat(bearerCall(bearer).statusCode()).isEqualTo(200);

    link.cut();
    try {
      HttpResponse<String> login = browser.open("/login");

      assertThat(login.statusCode()).isEqualTo(503);
      assertThat(login.headers().firstValue("Content-Type")).hasValue("application/problem+json");
      JsonNode problem = KeycloakAdmin.JSON.readTree(login.body());
      assertThat(problem.get("type").asString())
          .isEqualTo("https://runnel.dev/problems/unavailable");
      assertThat(problem.get("detail").asString()).contains("nobody can log in right now");
      assertThat(problem.get("instance").asString()).isEqualTo("/login");
      // The keys are cached: a valid token still gets through without Keycloak.
      assertThat(bearerCall(bearer).statusCode()).isEqualTo(200);
    } finally {
      link.restore();
    }

    HttpResponse<String> recovered =
        browser.logIn(keycloak.adminUsername(), keycloak.adminPassword());
    assertThat(recovered.statusCode()).isEqualTo(200);
  }

  @Test
  void theSessionEndpointTellsAnAnonymousBrowserWhereToLogIn() {
    HttpResponse<String> anonymous = browser.open("/api/session");

    assertThat(anonymous.statusCode()).isEqualTo(200);
    JsonNode body = KeycloakAdmin.JSON.readTree(anonymous.body());
    assertThat(body.get("authenticated").asBoolean()).isFalse();
    assertThat(body.get("loginUrl").asString()).isEqualTo("/login");
    assertThat(browser.api("GET", "/api/market/v1/apps", null, false).statusCode()).isEqualTo(401);
  }

  private HttpResponse<String> bearerCall(String token) {
    try {
      return java.net.http.HttpClient.newHttpClient()
          .send(
              java.net.http.HttpRequest.newBuilder(
                      java.net.URI.create("http://127.0.0.1:" + port + "/api/market/v1/apps"))
                  .header("Authorization", "Bearer " + token)
                  .build(),
              HttpResponse.BodyHandlers.ofString());
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private String relayedToken() {
    HttpResponse<String> call = browser.api("GET", "/api/market/v1/whoami", null, false);
    assertThat(call.statusCode()).isEqualTo(200);
    return last(market.received("/api/market/v1/whoami")).authorization().substring(7);
  }

  private static FakeService.Received last(java.util.List<FakeService.Received> received) {
    assertThat(received).isNotEmpty();
    return received.get(received.size() - 1);
  }

  private JsonNode relayedClaims() {
    return KeycloakAdmin.claims(relayedToken());
  }
}
