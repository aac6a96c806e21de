package dev.runnel.identity;

import static org.assertj.core.api.Assertions.assertThat;

import dev.runnel.identity.keycloak.KeycloakAdmin;
import dev.runnel.identity.keycloak.KeycloakProperties;
import dev.runnel.kit.problem.Problem;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import reactor.test.StepVerifier;

/** Keycloak unreachable or silent: callers get a 503 problem quickly, and the breaker opens. */
class KeycloakAdminTest {

  @Test
  void anUnreachableKeycloakIsA503ProblemAndOpensTheBreaker() throws IOException {
    int port;
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = s.getLocalPort();
    }
    try (KeycloakAdmin admin = admin("http://127.0.0.1:" + port, Duration.ofSeconds(5))) {
      for (int i = 0; i < 5; i++) {
        StepVerifier.create(admin.call(r -> r.toRepresentation()))
            .expectErrorSatisfies(KeycloakAdminTest::isUnavailable)
            .verify(Duration.ofSeconds(10));
      }
      assertThat(admin.state()).isEqualTo(CircuitBreaker.State.OPEN);
      StepVerifier.create(admin.call(r -> r.toRepresentation()))
          .expectErrorSatisfies(KeycloakAdminTest::isUnavailable)
          .verify(Duration.ofSeconds(1));
    }
  }

  @Test
  void aKeycloakThatAcceptsButNeverAnswersTimesOutAsA503() throws IOException {
    // A socket that accepts connections (backlog) but never answers: the call must not hang.
    try (ServerSocket silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        KeycloakAdmin admin =
            admin("http://127.0.0.1:" + silent.getLocalPort(), Duration.ofMillis(800))) {
      StepVerifier.create(admin.call(r -> r.toRepresentation()))
          .expectErrorSatisfies(KeycloakAdminTest::isUnavailable)
          .verify(Duration.ofSeconds(10));
    }
  }

  private static void isUnavailable(Throwable e) {
    assertThat(e).isInstanceOf(Problem.class);
    Problem p = (Problem) e;
    assertThat(p.getStatusCode().value()).isEqualTo(503);
    assertThat(p.getBody().getDetail()).contains("Keycloak");
  }

  private static KeycloakAdmin admin(String url, Duration callTimeout) {
    return new KeycloakAdmin(
        new KeycloakProperties(
            url,
            "runnel",
            "master",
            "admin-cli",
            "admin",
            "not-a-real-password",
            null,
            "runnel-cli",
            Duration.ofMillis(500),
            callTimeout,
            50,
            Duration.ofSeconds(60)));
  }
}
