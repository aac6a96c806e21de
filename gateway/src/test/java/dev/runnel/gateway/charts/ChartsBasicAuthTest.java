package dev.runnel.gateway.charts;

import static org.assertj.core.api.Assertions.assertThat;

import dev.runnel.kit.problem.ProblemWebExceptionHandler;
import io.micrometer.tracing.Tracer;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.support.DefaultListableBeanFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.converter.json.ProblemDetailJacksonMixin;
import org.springframework.mock.http.server.reactive.MockServerHttpRequest;
import org.springframework.mock.web.server.MockServerWebExchange;
import org.springframework.security.web.server.authentication.AuthenticationWebFilter;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilterChain;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The basic-credentials filter of {@code /charts/**} on mock exchanges, in front of an in-memory
 * Keycloak: what goes on to market, what the caller gets when refused, and how often Keycloak is
 * asked.
 */
class ChartsBasicAuthTest {
  private static final String ADA_PASSWORD = "correct horse:battery staple";

  // As Spring's codecs configure it: a problem's extra properties are top-level members.
  private final JsonMapper json =
      JsonMapper.builder().addMixIn(ProblemDetail.class, ProblemDetailJacksonMixin.class).build();
  private final ProblemWebExceptionHandler problems =
      new ProblemWebExceptionHandler(
          json, new DefaultListableBeanFactory().getBeanProvider(Tracer.class));
  private final MovableClock clock = new MovableClock(Instant.parse("2026-12-01T10:00:00Z"));
  private final FakeKeycloak keycloak =
      new FakeKeycloak(clock, Duration.ofMinutes(5))
          .withUser("ada", ADA_PASSWORD)
          .withUser("runnel-integration.acme.ci", "integration-secret");
  private final AuthenticationWebFilter filter =
      ChartsBasicAuth.filter(
          new ChartsAuthenticationManager(
              keycloak,
              keycloak.decoder(),
              new ExchangedTokens(100, Duration.ofMinutes(1), Duration.ofSeconds(30), clock)),
          problems);

  private final List<ServerWebExchange> passedOn = new CopyOnWriteArrayList<>();
  // Lazy, like a real chain: a filter may build the call to the rest of the chain and not use it.
  private final WebFilterChain market = exchange -> Mono.fromRunnable(() -> passedOn.add(exchange));

  @Test
  void rightCredentialsGoOnToMarketAsTheAccessTokenInsteadOfThePassword() {
    MockServerWebExchange exchange =
        basic(HttpMethod.GET, "/charts/index.yaml", "ada", ADA_PASSWORD);

    StepVerifier.create(filter.filter(exchange, market)).verifyComplete();

    assertThat(passedOn).singleElement();
    HttpHeaders relayed = passedOn.get(0).getRequest().getHeaders();
    assertThat(relayed.getFirst(HttpHeaders.AUTHORIZATION)).isEqualTo("Bearer token-ada-1");
    assertThat(relayed.getFirst(HttpHeaders.COOKIE)).isNull();
    assertThat(exchange.getResponse().getStatusCode()).isNull();
  }

  @Test
  void anIntegrationsClientIdAndSecretGoOnAsItsAccessToken() {
    MockServerWebExchange exchange =
        basic(
            HttpMethod.HEAD,
            "/charts/nginx-22.1.1.tgz",
            "runnel-integration.acme.ci",
            "integration-secret");

    StepVerifier.create(filter.filter(exchange, market)).verifyComplete();

    assertThat(passedOn)
        .singleElement()
        .satisfies(
            e ->
                assertThat(e.getRequest().getHeaders().getFirst(HttpHeaders.AUTHORIZATION))
                    .isEqualTo("Bearer token-runnel-integration.acme.ci-1"));
  }

  @Test
  void aWrongPasswordIsA401ProblemWithTheBasicChallengeAndGoesNoFurther() {
    MockServerWebExchange exchange =
        basic(HttpMethod.GET, "/charts/index.yaml", "ada", "not-the-password");

    StepVerifier.create(filter.filter(exchange, market)).verifyComplete();

    assertThat(passedOn).isEmpty();
    assertThat(exchange.getResponse().getStatusCode()).isEqualTo(HttpStatus.UNAUTHORIZED);
    assertThat(exchange.getResponse().getHeaders().getFirst(HttpHeaders.WWW_AUTHENTICATE))
        .isEqualTo("Basic realm=\"Runnel charts\"");
    assertThat(exchange.getResponse().getHeaders().getContentType())
        .isEqualTo(MediaType.APPLICATION_PROBLEM_JSON);
    JsonNode problem = body(exchange);
    assertThat(problem.get("type").asString())
        .isEqualTo("https://runnel.dev/problems/unauthenticated");
    assertThat(problem.get("status").asInt()).isEqualTo(401);
    assertThat(problem.get("detail").asString()).contains("helm repo add");
    assertThat(problem.get("instance").asString()).isEqualTo("/charts/index.yaml");
    assertThat(problem.toString()).doesNotContain("not-the-password");
  }

  @Test
  void anUnknownUserIsRefusedLikeAWrongPassword() {
    MockServerWebExchange exchange = basic(HttpMethod.GET, "/charts/index.yaml", "eve", "guess");

    StepVerifier.create(filter.filter(exchange, market)).verifyComplete();

    assertThat(exchange.getResponse().getStatusCode()).isEqualTo(HttpStatus.UNAUTHORIZED);
    assertThat(passedOn).isEmpty();
  }

  @Test
  void credentialsThatCannotBeReadAreRefusedWithoutAskingKeycloak() {
    for (String header :
        List.of(
            "Basic %%% not base64",
            "Basic " + encode("no-colon-at-all"),
            "Basic " + encode(":password-without-user"),
            "basic " + encode("ada:"))) {
      MockServerWebExchange exchange =
          MockServerWebExchange.from(
              MockServerHttpRequest.get("/charts/index.yaml")
                  .header(HttpHeaders.AUTHORIZATION, header));

      StepVerifier.create(filter.filter(exchange, market)).verifyComplete();

      assertThat(exchange.getResponse().getStatusCode())
          .as(header)
          .isEqualTo(HttpStatus.UNAUTHORIZED);
      assertThat(exchange.getResponse().getHeaders().getFirst(HttpHeaders.WWW_AUTHENTICATE))
          .isEqualTo(ChartsBasicAuth.CHALLENGE);
    }
    assertThat(keycloak.exchanges()).isZero();
    assertThat(passedOn).isEmpty();
  }

  @Test
  void keycloakNotAnsweringIsA503ProblemNotAChallenge() {
    keycloak.goDown();
    MockServerWebExchange exchange =
        basic(HttpMethod.GET, "/charts/index.yaml", "ada", ADA_PASSWORD);

    StepVerifier.create(filter.filter(exchange, market)).verifyComplete();

    assertThat(passedOn).isEmpty();
    assertThat(exchange.getResponse().getStatusCode()).isEqualTo(HttpStatus.SERVICE_UNAVAILABLE);
    assertThat(exchange.getResponse().getHeaders().getFirst(HttpHeaders.WWW_AUTHENTICATE)).isNull();
    JsonNode problem = body(exchange);
    assertThat(problem.get("type").asString()).isEqualTo("https://runnel.dev/problems/unavailable");
    assertThat(problem.get("detail").asString()).contains("Keycloak");
  }

  @Test
  void anIndexAndItsPackagesWithTheSameCredentialsCostKeycloakOneExchange() {
    for (String path :
        List.of("/charts/index.yaml", "/charts/nginx-22.1.1.tgz", "/charts/redis-23.1.1.tgz")) {
      StepVerifier.create(filter.filter(basic(HttpMethod.GET, path, "ada", ADA_PASSWORD), market))
          .verifyComplete();
    }

    assertThat(keycloak.exchanges()).isEqualTo(1);
    assertThat(passedOn)
        .hasSize(3)
        .allSatisfy(
            e ->
                assertThat(e.getRequest().getHeaders().getFirst(HttpHeaders.AUTHORIZATION))
                    .isEqualTo("Bearer token-ada-1"));
  }

  @Test
  void aRememberedExchangeServesOnlyTheExactCredentialsAndFailuresAreNeverRemembered() {
    StepVerifier.create(
            filter.filter(basic(HttpMethod.GET, "/charts/index.yaml", "ada", ADA_PASSWORD), market))
        .verifyComplete();

    for (int i = 0; i < 2; i++) {
      MockServerWebExchange wrong = basic(HttpMethod.GET, "/charts/index.yaml", "ada", "wrong");
      StepVerifier.create(filter.filter(wrong, market)).verifyComplete();
      assertThat(wrong.getResponse().getStatusCode()).isEqualTo(HttpStatus.UNAUTHORIZED);
    }

    // Each wrong attempt went to Keycloak (and so counts towards its brute-force lock-out).
    assertThat(keycloak.exchanges()).isEqualTo(3);
    assertThat(passedOn).hasSize(1);
  }

  @Test
  void anExchangeIsReusedForAMinuteAtMostThenKeycloakIsAskedAgain() {
    StepVerifier.create(
            filter.filter(basic(HttpMethod.GET, "/charts/index.yaml", "ada", ADA_PASSWORD), market))
        .verifyComplete();
    clock.advance(Duration.ofSeconds(59));
    StepVerifier.create(
            filter.filter(basic(HttpMethod.GET, "/charts/index.yaml", "ada", ADA_PASSWORD), market))
        .verifyComplete();
    assertThat(keycloak.exchanges()).isEqualTo(1);

    clock.advance(Duration.ofSeconds(2));
    StepVerifier.create(
            filter.filter(basic(HttpMethod.GET, "/charts/index.yaml", "ada", ADA_PASSWORD), market))
        .verifyComplete();

    assertThat(keycloak.exchanges()).isEqualTo(2);
    assertThat(passedOn.get(2).getRequest().getHeaders().getFirst(HttpHeaders.AUTHORIZATION))
        .isEqualTo("Bearer token-ada-2");
  }

  @Test
  void whileKeycloakIsDownRememberedCredentialsStillWorkAndNewOnesGetA503() {
    StepVerifier.create(
            filter.filter(basic(HttpMethod.GET, "/charts/index.yaml", "ada", ADA_PASSWORD), market))
        .verifyComplete();
    keycloak.goDown();

    MockServerWebExchange remembered =
        basic(HttpMethod.GET, "/charts/nginx-22.1.1.tgz", "ada", ADA_PASSWORD);
    MockServerWebExchange fresh =
        basic(
            HttpMethod.GET,
            "/charts/index.yaml",
            "runnel-integration.acme.ci",
            "integration-secret");
    StepVerifier.create(filter.filter(remembered, market)).verifyComplete();
    StepVerifier.create(filter.filter(fresh, market)).verifyComplete();

    assertThat(remembered.getResponse().getStatusCode()).isNull();
    assertThat(fresh.getResponse().getStatusCode()).isEqualTo(HttpStatus.SERVICE_UNAVAILABLE);
    assertThat(passedOn).hasSize(2);
  }

  @Test
  void theChainTakesBasicCredentialsOnlyOnGetAndHeadOfTheChartRepository() {
    String credentials = "Basic " + encode("ada:" + ADA_PASSWORD);

    assertThat(takes(HttpMethod.GET, "/charts/index.yaml", credentials)).isTrue();
    assertThat(takes(HttpMethod.HEAD, "/charts/nginx-22.1.1.tgz", credentials)).isTrue();
    assertThat(takes(HttpMethod.GET, "/charts", credentials)).isTrue();

    assertThat(takes(HttpMethod.POST, "/charts/index.yaml", credentials)).isFalse();
    assertThat(takes(HttpMethod.PUT, "/charts/nginx-22.1.1.tgz", credentials)).isFalse();
    assertThat(takes(HttpMethod.DELETE, "/charts/nginx-22.1.1.tgz", credentials)).isFalse();
    assertThat(takes(HttpMethod.GET, "/api/market/v1/apps", credentials)).isFalse();
    assertThat(takes(HttpMethod.GET, "/api/charts", credentials)).isFalse();
    assertThat(takes(HttpMethod.GET, "/chartsx/index.yaml", credentials)).isFalse();
    assertThat(takes(HttpMethod.GET, "/charts/../api/market/v1/apps", credentials)).isFalse();
    assertThat(takes(HttpMethod.GET, "/charts/%2e%2E/api/market/v1/apps", credentials)).isFalse();
    assertThat(takes(HttpMethod.GET, "/charts/a%2Fb.tgz", credentials)).isFalse();
    assertThat(takes(HttpMethod.GET, "/charts/app-1.0.0+build.1.tgz", credentials)).isTrue();
    assertThat(takes(HttpMethod.GET, "/charts/index.yaml", "Bearer abc.def.ghi")).isFalse();
    assertThat(takes(HttpMethod.GET, "/charts/index.yaml", null)).isFalse();
  }

  private static boolean takes(HttpMethod method, String path, String authorization) {
    // As sent, without the encoding a URI template would add.
    MockServerHttpRequest.BaseBuilder<?> request =
        MockServerHttpRequest.method(method, URI.create(path));
    if (authorization != null) {
      request.header(HttpHeaders.AUTHORIZATION, authorization);
    }
    return ChartsBasicAuth.takes(request.build());
  }

  private static MockServerWebExchange basic(
      HttpMethod method, String path, String username, String password) {
    return MockServerWebExchange.from(
        MockServerHttpRequest.method(method, path)
            .header(HttpHeaders.AUTHORIZATION, "Basic " + encode(username + ":" + password))
            .header(HttpHeaders.COOKIE, "SESSION=a-browser-session"));
  }

  private static String encode(String pair) {
    return Base64.getEncoder().encodeToString(pair.getBytes(StandardCharsets.UTF_8));
  }

  private JsonNode body(MockServerWebExchange exchange) {
    AtomicReference<String> body = new AtomicReference<>();
    StepVerifier.create(exchange.getResponse().getBodyAsString())
        .consumeNextWith(body::set)
        .verifyComplete();
    return json.readTree(body.get());
  }
}
