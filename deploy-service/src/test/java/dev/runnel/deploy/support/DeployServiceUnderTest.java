package dev.runnel.deploy.support;

import dev.runnel.testkit.RunnelTestInfra;
import dev.runnel.testkit.TestPostgres;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.http.MediaType;
import org.springframework.http.codec.ServerSentEvent;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.web.reactive.server.WebTestClient;
import reactor.core.publisher.Flux;
import reactor.test.StepVerifier;

/**
 * What every integration test that starts deploy-service in its JVM needs, whatever cluster it
 * deploys to: a database, the settings that point the service at the test servers, a stand-in
 * market, the fixture charts, and following an operation to its end.
 */
public final class DeployServiceUnderTest {
  private DeployServiceUnderTest() {}

  /** A fresh database for one Spring context of deploy-service. */
  public static String freshDatabase() {
    return TestPostgres.get().freshDatabase("deploy");
  }

  /** A random AES key (base64) for {@code runnel.deploy.secret-key}. */
  public static String newSecretKey() {
    byte[] key = new byte[32];
    new SecureRandom().nextBytes(key);
    return Base64.getEncoder().encodeToString(key);
  }

  /**
   * The fixture chart repository, read in place: {@code runnel.fixtures} (set by the build) or
   * {@code ../../shared/fixtures} from the module, then {@code helm-repo}.
   */
  public static Path fixtureCharts() {
    String dir = System.getProperty("runnel.fixtures", "../../shared/fixtures");
    return Path.of(dir).resolve("helm-repo");
  }

  /**
   * Points deploy-service at the test servers (database, Kafka, token issuer), seals kubeconfigs
   * with {@code secretKey} and fetches charts from {@code marketUrl}, read when the context starts.
   * The key must stay the same for the life of the context: pass a constant, not a new key.
   */
  public static void register(
      DynamicPropertyRegistry registry,
      String database,
      String secretKey,
      Supplier<Object> marketUrl) {
    RunnelTestInfra.register(registry::add, database);
    registry.add("runnel.deploy.secret-key", () -> secretKey);
    registry.add("runnel.deploy.market-url", marketUrl);
  }

  /**
   * Follows the operation's SSE stream, as the caller with {@code token}, to its final state
   * (succeeded, failed or cancelled), and returns the operation as it was then.
   */
  public static Map<String, Object> awaitFinished(
      WebTestClient web, String operationId, String token, Duration wait) {
    Flux<ServerSentEvent<Map<String, Object>>> stream =
        web.get()
            .uri("/api/deploy/v1/operations/{id}/events", operationId)
            .headers(h -> h.setBearerAuth(token))
            .accept(MediaType.TEXT_EVENT_STREAM)
            .exchange()
            .expectStatus()
            .isOk()
            .returnResult(new ParameterizedTypeReference<ServerSentEvent<Map<String, Object>>>() {})
            .getResponseBody();
    AtomicReference<Map<String, Object>> last = new AtomicReference<>();
    StepVerifier.create(
            stream
                .map(ServerSentEvent::data)
                .filter(
                    op -> List.of("succeeded", "failed", "cancelled").contains(op.get("status")))
                .next())
        .consumeNextWith(last::set)
        .expectComplete()
        .verify(wait);
    return last.get();
  }
}
