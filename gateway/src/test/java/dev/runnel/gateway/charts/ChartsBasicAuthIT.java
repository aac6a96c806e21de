package dev.runnel.gateway.charts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import com.marcnuri.helm.DryRun;
import com.marcnuri.helm.Helm;
import com.marcnuri.helm.Release;
import com.marcnuri.helm.SearchResult;
import dev.runnel.gateway.login.KeycloakAdmin;
import dev.runnel.gateway.login.TcpLink;
import dev.runnel.testkit.TestKeycloak;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;

/**
 * The chart repository through the gateway with basic credentials, against the real Keycloak of the
 * test kit and a market stand-in that, like market, serves {@code /charts} only to a bearer token
 * it validated itself: plain HTTP requests first, then Helm's own client (helm-java, the Helm
 * engine) adding the repository, searching it and pulling a chart.
 *
 * <p>Browser login is on, so the session chain is there too: the basic-credentials chain must come
 * before it. The gateway reaches Keycloak through a {@link TcpLink} the outage test cuts; tokens
 * carry the link's address as their issuer, which is the issuer the gateway and the stand-in trust.
 * Every test uses accounts of its own (created here), because successful exchanges are remembered
 * for a minute and Keycloak locks out users who fail too quickly.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class ChartsBasicAuthIT {
  private static final TestKeycloak keycloak = TestKeycloak.get();
  private static final KeycloakAdmin admin = new KeycloakAdmin(keycloak);
  private static final TcpLink link = new TcpLink(keycloak.server().port());
  private static final String issuer = "http://127.0.0.1:" + link.port() + "/realms/runnel";
  private static final Path repository =
      Path.of(System.getProperty("runnel.fixtures"), "helm-repo").toAbsolutePath().normalize();
  private static final FakeMarket market = new FakeMarket(issuer, repository);
  private static final HttpClient http = HttpClient.newHttpClient();
  private static final String KUBECONFIG_NOWHERE =
      """
      apiVersion: v1
      kind: Config
      clusters:
      - name: none
        cluster:
          server: https://127.0.0.1:1
      contexts:
      - name: none
        context:
          cluster: none
          user: none
      current-context: none
      users:
      - name: none
        user: {}
      """;

  @LocalServerPort int port;

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
  void keycloakReachable() {
    link.restore();
  }

  @Test
  void aUsersBasicCredentialsOnTheIndexReachMarketAsAValidBearerTokenOfThatUser() {
    Account ada = newUser();

    HttpResponse<String> index = send("GET", "/charts/index.yaml", ada.basic());

    assertThat(index.statusCode()).as(index.body()).isEqualTo(200);
    assertThat(index.body()).contains("nginx-22.1.1.tgz");
    FakeMarket.Received received = last(ada.username());
    assertThat(received.path()).isEqualTo("/charts/index.yaml");
    assertThat(received.authorization()).startsWith("Bearer ");
    JsonNode claims = KeycloakAdmin.claims(received.authorization().substring(7));
    assertThat(claims.get("iss").asString()).isEqualTo(issuer);
    assertThat(claims.get("azp").asString()).isEqualTo("runnel-cli");
    assertThat(claims.get("preferred_username").asString()).isEqualTo(ada.username());
    // The password never travels past the gateway.
    assertThat(market.received())
        .noneSatisfy(r -> assertThat(r.authorization()).startsWithIgnoringCase("Basic"));
  }

  @Test
  void anIndexAndItsPackagesWithTheSameCredentialsCostKeycloakOneSignIn() {
    Account ada = newUser();

    for (String path :
        List.of("/charts/index.yaml", "/charts/nginx-22.1.1.tgz", "/charts/redis-23.1.1.tgz")) {
      HttpResponse<String> answer = send("GET", path, ada.basic());
      assertThat(answer.statusCode()).as(path).isEqualTo(200);
    }

    assertThat(market.received()).filteredOn(r -> ada.username().equals(r.username())).hasSize(3);
    // Every password grant opens a Keycloak session; the remembered exchange opened one.
    assertThat(admin.sessionsOf(ada.username())).hasSize(1);
  }

  @Test
  void aWrongPasswordIsA401ProblemWithTheBasicChallengeAndReachesNoService() {
    Account bob = newUser();
    int before = market.received().size();

    HttpResponse<String> refused =
        send("GET", "/charts/index.yaml", basic(bob.username(), bob.password() + "-typo"));

    assertThat(refused.statusCode()).isEqualTo(401);
    assertThat(refused.headers().firstValue("WWW-Authenticate"))
        .hasValue("Basic realm=\"Runnel charts\"");
    assertThat(refused.headers().firstValue("Content-Type")).hasValue("application/problem+json");
    JsonNode problem = KeycloakAdmin.JSON.readTree(refused.body());
    assertThat(problem.get("type").asString())
        .isEqualTo("https://runnel.dev/problems/unauthenticated");
    assertThat(problem.get("instance").asString()).isEqualTo("/charts/index.yaml");
    assertThat(refused.body()).doesNotContain(bob.password());
    assertThat(market.received()).hasSize(before);
  }

  @Test
  void basicCredentialsAnywhereButReadingTheChartRepositoryAreRefused() {
    Account carol = newUser();
    int before = market.received().size();

    for (String[] call :
        new String[][] {
          {"GET", "/api/market/v1/apps"},
          {"GET", "/api/market/v1/repositories"},
          {"POST", "/charts/index.yaml"},
          {"PUT", "/charts/nginx-22.1.1.tgz"},
          {"DELETE", "/charts/nginx-22.1.1.tgz"},
          {"POST", "/api/charts"}
        }) {
      HttpResponse<String> refused = send(call[0], call[1], carol.basic());

      assertThat(refused.statusCode()).as(call[0] + " " + call[1]).isEqualTo(401);
      assertThat(KeycloakAdmin.JSON.readTree(refused.body()).get("type").asString())
          .isEqualTo("https://runnel.dev/problems/unauthenticated");
      // The bearer challenge of the API, not an invitation to send a password here.
      assertThat(refused.headers().firstValue("WWW-Authenticate"))
          .hasValueSatisfying(challenge -> assertThat(challenge).startsWith("Bearer"));
    }
    assertThat(market.received()).hasSize(before);
  }

  @Test
  void anIntegrationReadsTheRepositoryWithItsClientIdAndSecret() {
    Account integration = newIntegration();

    HttpResponse<String> index = send("GET", "/charts/index.yaml", integration.basic());

    assertThat(index.statusCode()).as(index.body()).isEqualTo(200);
    assertThat(market.received("/charts/index.yaml"))
        .anySatisfy(r -> assertThat(r.authorizedParty()).isEqualTo(integration.username()));
    assertThat(
            send("GET", "/charts/index.yaml", basic(integration.username(), "not-the-secret"))
                .statusCode())
        .isEqualTo(401);
  }

  @Test
  void withKeycloakDownNewCredentialsGetA503AndRememberedOnesKeepWorking() {
    Account dora = newUser();
    Account integration = newIntegration();
    assertThat(send("GET", "/charts/index.yaml", dora.basic()).statusCode()).isEqualTo(200);

    link.cut();
    try {
      HttpResponse<String> fresh = send("GET", "/charts/index.yaml", integration.basic());

      assertThat(fresh.statusCode()).isEqualTo(503);
      assertThat(fresh.headers().firstValue("WWW-Authenticate")).isEmpty();
      JsonNode problem = KeycloakAdmin.JSON.readTree(fresh.body());
      assertThat(problem.get("type").asString())
          .isEqualTo("https://runnel.dev/problems/unavailable");
      assertThat(problem.get("detail").asString()).contains("Keycloak");
      assertThat(send("GET", "/charts/nginx-22.1.1.tgz", dora.basic()).statusCode()).isEqualTo(200);
    } finally {
      link.restore();
    }

    assertThat(send("GET", "/charts/index.yaml", integration.basic()).statusCode()).isEqualTo(200);
  }

  @Test
  void helmAddsTheRepositoryWithAUserNameAndPasswordSearchesItAndPullsAChart(@TempDir Path helm)
      throws IOException {
    Account erin = newUser();
    Path repositories = helm.resolve("repositories.yaml");

    Helm.repo()
        .add()
        .withRepositoryConfig(repositories)
        .withName("runnel")
        .withUrl(URI.create(gateway() + "/charts"))
        .withUsername(erin.username())
        .withPassword(erin.password())
        .call();
    List<SearchResult> found =
        Helm.search().repo().withRepositoryConfig(repositories).withKeyword("nginx").call();

    assertThat(found)
        .extracting(SearchResult::getName, SearchResult::getChartVersion)
        .contains(tuple("runnel/nginx", "22.1.1"));

    // helm-java has no pull; an install dry run of runnel/nginx downloads the package the way
    // helm pull does (the repository's credentials, the URL from the index), then renders it.
    Path kubeconfig = Files.writeString(helm.resolve("kubeconfig"), KUBECONFIG_NOWHERE);
    Release release =
        Helm.install("runnel/nginx")
            .withVersion("22.1.1")
            .withRepositoryConfig(repositories)
            .withName("web")
            .withNamespace("default")
            .clientOnly()
            .withDryRunOption(DryRun.CLIENT)
            .withKubeVersion("v1.33.0")
            .withKubeConfig(kubeconfig)
            .call();

    assertThat(release.getChart()).isEqualTo("nginx-22.1.1");
    assertThat(market.received("/charts/index.yaml"))
        .anySatisfy(r -> assertThat(r.username()).isEqualTo(erin.username()));
    assertThat(market.received("/charts/nginx-22.1.1.tgz"))
        .anySatisfy(
            r -> {
              assertThat(r.username()).isEqualTo(erin.username());
              assertThat(r.authorization()).startsWith("Bearer ");
            });
  }

  @Test
  void helmIsRefusedWithAWrongPassword(@TempDir Path helm) {
    Account frank = newUser();

    assertThatThrownBy(
            () ->
                Helm.repo()
                    .add()
                    .withRepositoryConfig(helm.resolve("repositories.yaml"))
                    .withName("runnel")
                    .withUrl(URI.create(gateway() + "/charts"))
                    .withUsername(frank.username())
                    .withPassword("not-" + frank.password())
                    .call())
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("401");
  }

  /** A user name and password, or an integration's client id and secret. */
  private record Account(String username, String password) {
    String basic() {
      return ChartsBasicAuthIT.basic(username, password);
    }
  }

  private static Account newUser() {
    Account user =
        new Account(
            "helm-" + UUID.randomUUID().toString().substring(0, 8), "Pw-" + UUID.randomUUID());
    admin.createUser(user.username(), user.password());
    return user;
  }

  private static Account newIntegration() {
    Account client =
        new Account(
            "runnel-integration.acme.ci-" + UUID.randomUUID().toString().substring(0, 8),
            "secret-" + UUID.randomUUID());
    admin.createIntegration(client.username(), client.password());
    return client;
  }

  private static String basic(String username, String password) {
    return "Basic "
        + Base64.getEncoder()
            .encodeToString((username + ":" + password).getBytes(StandardCharsets.UTF_8));
  }

  private FakeMarket.Received last(String username) {
    List<FakeMarket.Received> mine =
        market.received().stream().filter(r -> username.equals(r.username())).toList();
    assertThat(mine).isNotEmpty();
    return mine.get(mine.size() - 1);
  }

  private String gateway() {
    return "http://127.0.0.1:" + port;
  }

  private HttpResponse<String> send(String method, String path, String authorization) {
    try {
      return http.send(
          HttpRequest.newBuilder(URI.create(gateway() + path))
              .header("Authorization", authorization)
              .method(method, HttpRequest.BodyPublishers.noBody())
              .build(),
          HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }
}
