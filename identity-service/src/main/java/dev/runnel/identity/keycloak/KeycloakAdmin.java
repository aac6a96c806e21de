package dev.runnel.identity.keycloak;

import dev.runnel.kit.problem.Problem;
import io.github.resilience4j.circuitbreaker.CallNotPermittedException;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.github.resilience4j.reactor.circuitbreaker.operator.CircuitBreakerOperator;
import jakarta.ws.rs.ProcessingException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.client.Client;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import org.keycloak.OAuth2Constants;
import org.keycloak.admin.client.ClientBuilderWrapper;
import org.keycloak.admin.client.JacksonProvider;
import org.keycloak.admin.client.Keycloak;
import org.keycloak.admin.client.KeycloakBuilder;
import org.keycloak.admin.client.resource.RealmResource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * The one way identity-service calls Keycloak's admin API. The admin client blocks, so every call
 * runs on the bounded-elastic scheduler, under a time limit and a circuit breaker: when Keycloak is
 * down or slow, callers get a 503 problem at once instead of a hanging request.
 *
 * <p>Keycloak's own answers (400, 404, 409) pass through as {@link WebApplicationException} for the
 * caller to translate; they do not count as failures of Keycloak.
 */
public final class KeycloakAdmin implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(KeycloakAdmin.class);

  private final KeycloakProperties properties;
  private final Keycloak keycloak;
  private final CircuitBreaker breaker;
  private final java.time.Duration backstop;

  public KeycloakAdmin(KeycloakProperties properties) {
    this.properties = properties;
    long readMillis = properties.callTimeout().toMillis();
    Client http =
        ClientBuilderWrapper.create(null, false)
            .connectTimeout(properties.connectTimeout().toMillis(), TimeUnit.MILLISECONDS)
            .readTimeout(readMillis, TimeUnit.MILLISECONDS)
            .register(JacksonProvider.class, 100)
            .build();
    KeycloakBuilder builder =
        KeycloakBuilder.builder()
            .serverUrl(properties.url())
            .realm(properties.adminRealm())
            .clientId(properties.adminClient())
            .resteasyClient(http);
    if (properties.adminUsername() == null || properties.adminUsername().isBlank()) {
      builder
          .grantType(OAuth2Constants.CLIENT_CREDENTIALS)
          .clientSecret(properties.adminClientSecret());
    } else {
      builder
          .grantType(OAuth2Constants.PASSWORD)
          .username(properties.adminUsername())
          .password(properties.adminPassword());
      if (properties.adminClientSecret() != null && !properties.adminClientSecret().isBlank()) {
        builder.clientSecret(properties.adminClientSecret());
      }
    }
    this.keycloak = builder.build();
    // The HTTP client's own timeouts end a slow call first, so its thread is free again; this
    // limit only catches what they cannot (a token fetch followed by the call itself).
    this.backstop =
        properties.callTimeout().multipliedBy(2).plus(properties.connectTimeout().multipliedBy(2));
    this.breaker =
        CircuitBreaker.of(
            "keycloak-admin",
            CircuitBreakerConfig.custom()
                .failureRateThreshold(properties.failureRateThreshold())
                .slidingWindowSize(10)
                .minimumNumberOfCalls(5)
                .waitDurationInOpenState(properties.openDuration())
                .recordException(KeycloakAdmin::isOutage)
                .build());
  }

  public String realmName() {
    return properties.realm();
  }

  public KeycloakProperties properties() {
    return properties;
  }

  /**
   * Runs {@code call} against the platform's realm off the event loop. An empty result (null)
   * completes empty.
   */
  public <T> Mono<T> call(Function<RealmResource, T> call) {
    return onKeycloak(k -> call.apply(k.realm(properties.realm())));
  }

  /** Runs {@code call} with the whole admin client (for example to create the realm). */
  public <T> Mono<T> onKeycloak(Function<Keycloak, T> call) {
    return Mono.fromCallable(() -> call.apply(keycloak))
        .subscribeOn(Schedulers.boundedElastic())
        .timeout(backstop)
        .transformDeferred(CircuitBreakerOperator.of(breaker))
        .onErrorMap(KeycloakAdmin::isOutageOrRefused, this::unavailable);
  }

  /**
   * Answers when Keycloak's admin API accepts this service's credentials, outside the breaker:
   * start-up waits with it for a Keycloak that is still starting, and those expected failures must
   * not open the breaker for the users' calls that come once it answers. When it answers, a breaker
   * opened meanwhile (users' calls during the wait) is closed: Keycloak has just been seen working.
   */
  public Mono<Void> awaitable() {
    return Mono.fromCallable(() -> keycloak.serverInfo().getInfo() != null)
        .subscribeOn(Schedulers.boundedElastic())
        .timeout(backstop)
        .doOnNext(
            answered -> {
              if (breaker.getState() != CircuitBreaker.State.CLOSED) {
                log.info("Keycloak at {} answers; letting calls through again", properties.url());
                breaker.reset();
              }
            })
        .then();
  }

  /** The breaker's state, for tests and health. */
  public CircuitBreaker.State state() {
    return breaker.getState();
  }

  /** Lets calls through again at once (a test or an operator after fixing Keycloak). */
  public void reset() {
    breaker.reset();
  }

  private Problem unavailable(Throwable e) {
    if (e instanceof CallNotPermittedException) {
      return Problem.unavailable(
          "Keycloak, the identity provider, is not answering; try again in a few seconds");
    }
    if (e instanceof WebApplicationException w
        && (w.getResponse().getStatus() == 401 || w.getResponse().getStatus() == 403)) {
      log.error(
          "Keycloak refused identity-service's admin credentials (HTTP {}); check"
              + " runnel.identity.keycloak.admin-*",
          w.getResponse().getStatus());
      return Problem.unavailable(
          "identity-service cannot manage Keycloak right now (its admin access was refused)");
    }
    log.warn("Keycloak at {} did not answer: {}", properties.url(), e.toString());
    return Problem.unavailable(
        "Keycloak, the identity provider, is not answering; try again in a few seconds");
  }

  /** Connection failures, timeouts and 5xx answers: Keycloak itself is in trouble. */
  static boolean isOutage(Throwable e) {
    if (e instanceof TimeoutException || e instanceof ProcessingException) {
      return true;
    }
    return e instanceof WebApplicationException w && w.getResponse().getStatus() >= 500;
  }

  private static boolean isOutageOrRefused(Throwable e) {
    if (isOutage(e) || e instanceof CallNotPermittedException) {
      return true;
    }
    return e instanceof WebApplicationException w
        && (w.getResponse().getStatus() == 401 || w.getResponse().getStatus() == 403);
  }

  /**
   * Keycloak's explanation in an error answer ({@code errorMessage} or {@code error_description}).
   */
  public static String errorMessage(WebApplicationException e) {
    try {
      String body = e.getResponse().readEntity(String.class);
      if (body == null || body.isBlank()) {
        return null;
      }
      tools.jackson.databind.JsonNode node =
          tools.jackson.databind.json.JsonMapper.builder().build().readTree(body);
      for (String field : new String[] {"error_description", "errorMessage", "error"}) {
        tools.jackson.databind.JsonNode value = node.get(field);
        if (value != null && value.isString() && !value.asString().isBlank()) {
          return value.asString();
        }
      }
      return null;
    } catch (RuntimeException unreadable) {
      log.debug("Keycloak's error answer could not be read", unreadable);
      return null;
    }
  }

  @Override
  public void close() {
    keycloak.close();
  }
}
