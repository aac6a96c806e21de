package dev.runnel.identity;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.runnel.identity.keycloak.KeycloakAdmin;
import dev.runnel.identity.keycloak.KeycloakProperties;
import dev.runnel.kit.problem.Problem;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
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

  @Test
  void waitingForAKeycloakThatIsStillStartingDoesNotOpenTheBreaker() throws IOException {
    int port;
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = s.getLocalPort();
    }
    try (KeycloakAdmin admin = admin("http://127.0.0.1:" + port, Duration.ofSeconds(5))) {
      for (int i = 0; i < 8; i++) {
        StepVerifier.create(admin.awaitable()).expectError().verify(Duration.ofSeconds(10));
      }
      assertThat(admin.state()).isEqualTo(CircuitBreaker.State.CLOSED);
    }
  }

  @Test
  void aKeycloakThatAnswersAgainClosesABreakerOpenedMeanwhile() throws IOException {
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

      // Keycloak comes up on that port: a token for the admin client, then its server info.
      HttpServer keycloak = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 0);
      keycloak.createContext(
          "/realms/master/protocol/openid-connect/token",
          x ->
              answer(
                  x,
                  "{\"access_token\":\"t\",\"expires_in\":60,\"refresh_expires_in\":0,"
                      + "\"token_type\":\"Bearer\"}"));
      keycloak.createContext(
          "/admin/serverinfo", x -> answer(x, "{\"systemInfo\":{\"version\":\"26\"}}"));
      keycloak.start();
      try {
        StepVerifier.create(admin.awaitable()).verifyComplete();
        assertThat(admin.state()).isEqualTo(CircuitBreaker.State.CLOSED);
      } finally {
        keycloak.stop(0);
      }
    }
  }

  private static void answer(HttpExchange exchange, String json) throws IOException {
    byte[] body = json.getBytes(java.nio.charset.StandardCharsets.UTF_8);
    exchange.getResponseHeaders().add("Content-Type", "application/json");
    exchange.sendResponseHeaders(200, body.length);
    try (var out = exchange.getResponseBody()) {
      out.write(body);
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
