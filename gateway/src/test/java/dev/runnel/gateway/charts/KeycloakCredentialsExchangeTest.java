package dev.runnel.gateway.charts;

import static org.assertj.core.api.Assertions.assertThat;

import dev.runnel.gateway.charts.FakeTokenEndpoint.Answer;
import dev.runnel.gateway.login.KeycloakClient;
import io.github.resilience4j.circuitbreaker.CallNotPermittedException;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig.SlidingWindowType;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.security.authentication.BadCredentialsException;
import reactor.test.StepVerifier;

/**
 * The exchange against a real HTTP server on loopback standing in for Keycloak's token endpoint:
 * which grant each kind of caller gets, which answers are refusals and which are outages, and a
 * breaker that only outages can open.
 */
class KeycloakCredentialsExchangeTest {
  // Generous: the first call of a JVM warms up the HTTP client, and the machine may be busy.
  private static final Duration TIMEOUT = Duration.ofSeconds(5);

  private final FakeTokenEndpoint keycloak = new FakeTokenEndpoint();
  private final CircuitBreaker breaker =
      CircuitBreaker.of(
          "test",
          KeycloakCredentialsExchange.breakerConfig(
              CircuitBreakerConfig.custom()
                  .slidingWindowType(SlidingWindowType.COUNT_BASED)
                  .slidingWindowSize(4)
                  .minimumNumberOfCalls(4)
                  .failureRateThreshold(50)
                  .waitDurationInOpenState(Duration.ofMinutes(10))
                  .build()));

  @AfterEach
  void stop() {
    keycloak.close();
  }

  @Test
  void aPersonsPasswordGoesThroughThePasswordGrantOfTheCliClient() {
    keycloak.answerWith(form -> Answer.token("token-of-ada"));

    StepVerifier.create(exchange(keycloak.uri()).accessToken("ada", "pa:ss wörd&=?"))
        .expectNext("token-of-ada")
        .verifyComplete();

    assertThat(keycloak.forms())
        .singleElement()
        .isEqualTo(
            Map.of(
                "grant_type", "password",
                "client_id", "runnel-cli",
                "username", "ada",
                "password", "pa:ss wörd&=?"));
  }

  @Test
  void anIntegrationsSecretGoesThroughTheClientCredentialsGrantOfItsOwnClient() {
    keycloak.answerWith(form -> Answer.token("token-of-ci"));

    StepVerifier.create(
            exchange(keycloak.uri()).accessToken("runnel-integration.acme.ci", "the-secret"))
        .expectNext("token-of-ci")
        .verifyComplete();

    assertThat(keycloak.forms())
        .singleElement()
        .isEqualTo(
            Map.of(
                "grant_type", "client_credentials",
                "client_id", "runnel-integration.acme.ci",
                "client_secret", "the-secret"));
  }

  @Test
  void keycloakSayingNoIsRefusedCredentials() {
    for (Answer no :
        new Answer[] {
          Answer.error(400, "invalid_grant"),
          Answer.error(401, "invalid_client"),
          Answer.error(400, "unauthorized_client"),
          new Answer(401, "<html>no</html>"),
          new Answer(400, "")
        }) {
      keycloak.answerWith(form -> no);

      StepVerifier.create(exchange(keycloak.uri()).accessToken("ada", "wrong"))
          .expectError(BadCredentialsException.class)
          .verify();
    }
  }

  @Test
  void keycloakFailingIsUnavailabilityNotRefusal() {
    for (Answer broken :
        new Answer[] {
          new Answer(500, "{}"),
          new Answer(503, "starting"),
          new Answer(404, "no such realm"),
          new Answer(200, "{\"token_type\":\"Bearer\"}")
        }) {
      keycloak.answerWith(form -> broken);

      StepVerifier.create(exchange(keycloak.uri()).accessToken("ada", "pw"))
          .expectError(KeycloakUnavailableException.class)
          .verify();
    }
  }

  @Test
  void aKeycloakThatIsDownOrDoesNotAnswerInTimeIsUnavailability() {
    StepVerifier.create(exchange(nothingListening()).accessToken("ada", "pw"))
        .expectError(KeycloakUnavailableException.class)
        .verify();

    keycloak.hang();
    StepVerifier.create(exchange(keycloak.uri(), Duration.ofSeconds(1)).accessToken("ada", "pw"))
        .expectError(KeycloakUnavailableException.class)
        .verify();
  }

  @Test
  void wrongPasswordsNeverOpenTheBreakerButOutagesDoAndThenKeycloakIsNotCalled() {
    KeycloakCredentialsExchange exchange = exchange(keycloak.uri());
    keycloak.answerWith(form -> Answer.error(400, "invalid_grant"));
    for (int i = 0; i < 10; i++) {
      StepVerifier.create(exchange.accessToken("ada", "guess-" + i))
          .expectError(BadCredentialsException.class)
          .verify();
    }
    assertThat(breaker.getState()).isEqualTo(CircuitBreaker.State.CLOSED);

    keycloak.answerWith(form -> new Answer(500, "{}"));
    for (int i = 0; i < 4; i++) {
      StepVerifier.create(exchange.accessToken("ada", "pw"))
          .expectError(KeycloakUnavailableException.class)
          .verify();
    }
    assertThat(breaker.getState()).isEqualTo(CircuitBreaker.State.OPEN);
    int calls = keycloak.forms().size();

    StepVerifier.create(exchange.accessToken("ada", "pw"))
        .expectErrorSatisfies(
            e ->
                assertThat(e)
                    .isInstanceOf(KeycloakUnavailableException.class)
                    .hasCauseInstanceOf(CallNotPermittedException.class))
        .verify();
    assertThat(keycloak.forms()).hasSize(calls);
  }

  private KeycloakCredentialsExchange exchange(URI tokenEndpoint) {
    return exchange(tokenEndpoint, TIMEOUT);
  }

  private KeycloakCredentialsExchange exchange(URI tokenEndpoint, Duration timeout) {
    return new KeycloakCredentialsExchange(
        tokenEndpoint,
        "runnel-cli",
        "runnel-integration.",
        KeycloakClient.webClient(timeout),
        timeout,
        breaker);
  }

  private static URI nothingListening() {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return URI.create("http://127.0.0.1:" + socket.getLocalPort() + "/token");
    } catch (IOException e) {
      throw new UncheckedIOException("no free loopback port", e);
    }
  }
}
