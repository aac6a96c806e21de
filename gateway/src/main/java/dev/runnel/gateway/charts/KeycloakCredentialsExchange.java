package dev.runnel.gateway.charts;

import io.github.resilience4j.circuitbreaker.CallNotPermittedException;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.github.resilience4j.reactor.circuitbreaker.operator.CircuitBreakerOperator;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.security.authentication.BadCredentialsException;
import org.springframework.util.LinkedMultiValueMap;
import org.springframework.util.MultiValueMap;
import org.springframework.web.reactive.function.BodyInserters;
import org.springframework.web.reactive.function.client.ClientResponse;
import org.springframework.web.reactive.function.client.WebClient;
import reactor.core.publisher.Mono;

/**
 * Exchanges basic credentials at the realm's token endpoint. Two kinds of caller are supported:
 *
 * <ul>
 *   <li>a person: user name and password, through the password grant of the public client that the
 *       CLI uses ({@code runnel-cli}), so the token is the one {@code runnel login} would get;
 *   <li>an integration (a team's machine client): its client id as the user name and its secret as
 *       the password, through the client-credentials grant. Integration client ids start with a
 *       fixed prefix ({@code runnel-integration.}), which decides the grant, so each request costs
 *       one call to Keycloak, never a second guess.
 * </ul>
 *
 * <p>Every call has a time limit and goes through a circuit breaker. Only Keycloak failing counts
 * against the breaker; credentials it refused are an answer, not a failure, so nobody can open the
 * breaker (and lock everyone out) by sending wrong passwords. Neither the password nor the secret
 * is ever logged.
 */
final class KeycloakCredentialsExchange implements CredentialsExchange {
  private static final Logger log = LoggerFactory.getLogger(KeycloakCredentialsExchange.class);
  private static final ParameterizedTypeReference<Map<String, Object>> JSON_OBJECT =
      new ParameterizedTypeReference<>() {};

  private final URI tokenEndpoint;
  private final String userClientId;
  private final String integrationClientPrefix;
  private final WebClient web;
  private final Duration timeout;
  private final CircuitBreaker breaker;

  KeycloakCredentialsExchange(
      URI tokenEndpoint,
      String userClientId,
      String integrationClientPrefix,
      WebClient web,
      Duration timeout,
      CircuitBreaker breaker) {
    this.tokenEndpoint = tokenEndpoint;
    this.userClientId = userClientId;
    this.integrationClientPrefix = integrationClientPrefix;
    this.web = web;
    this.timeout = timeout;
    this.breaker = breaker;
  }

  /**
   * The breaker settings for these calls: the gateway's shared ones, counting only Keycloak's own
   * failures (no answer, a time-out, an error status), never refused credentials.
   */
  static CircuitBreakerConfig breakerConfig(CircuitBreakerConfig shared) {
    return CircuitBreakerConfig.from(shared)
        .recordException(e -> !(e instanceof BadCredentialsException))
        .build();
  }

  @Override
  public Mono<String> accessToken(String username, String password) {
    Grant grant = username.startsWith(integrationClientPrefix) ? Grant.CLIENT : Grant.USER;
    return Mono.defer(() -> call(grant, form(grant, username, password)))
        .timeout(timeout)
        .transformDeferred(CircuitBreakerOperator.of(breaker))
        .onErrorMap(e -> !(e instanceof BadCredentialsException), e -> unavailable(grant, e));
  }

  private MultiValueMap<String, String> form(Grant grant, String username, String password) {
    MultiValueMap<String, String> form = new LinkedMultiValueMap<>();
    if (grant == Grant.CLIENT) {
      form.add("grant_type", "client_credentials");
      form.add("client_id", username);
      form.add("client_secret", password);
    } else {
      form.add("grant_type", "password");
      form.add("client_id", userClientId);
      form.add("username", username);
      form.add("password", password);
    }
    return form;
  }

  private Mono<String> call(Grant grant, MultiValueMap<String, String> form) {
    return web.post()
        .uri(tokenEndpoint)
        .contentType(MediaType.APPLICATION_FORM_URLENCODED)
        .accept(MediaType.APPLICATION_JSON)
        .body(BodyInserters.fromFormData(form))
        .exchangeToMono(response -> answer(grant, response));
  }

  private static Mono<String> answer(Grant grant, ClientResponse response) {
    HttpStatusCode status = response.statusCode();
    if (status.is2xxSuccessful()) {
      return response
          .bodyToMono(JSON_OBJECT)
          .flatMap(
              body ->
                  body.get("access_token") instanceof String token && !token.isBlank()
                      ? Mono.just(token)
                      : Mono.error(
                          new IllegalStateException("Keycloak's answer holds no access token")));
    }
    // OAuth 2.0 (RFC 6749 5.2): 400 invalid_grant for a wrong password or a disabled or locked
    // user, 401 invalid_client for an unknown client or a wrong secret.
    if (status.value() == 400 || status.value() == 401) {
      return response
          .bodyToMono(JSON_OBJECT)
          .map(body -> String.valueOf(body.getOrDefault("error", "no error code")))
          .onErrorReturn("an answer that is not JSON")
          .defaultIfEmpty("an empty answer")
          .flatMap(
              error -> {
                log.info(
                    "Keycloak refused basic credentials on the chart repository ({} grant): {}",
                    grant.label,
                    error);
                return Mono.error(
                    new BadCredentialsException("Keycloak refused the credentials: " + error));
              });
    }
    return response
        .releaseBody()
        .then(Mono.error(new IllegalStateException("Keycloak answered " + status.value())));
  }

  private KeycloakUnavailableException unavailable(Grant grant, Throwable cause) {
    // An open circuit is logged once when it opens (routing.RouteResilience), not per request.
    if (!(cause instanceof CallNotPermittedException)) {
      log.warn(
          "Could not exchange basic credentials on the chart repository with Keycloak ({} grant):"
              + " {}",
          grant.label,
          cause.toString());
    }
    return new KeycloakUnavailableException("Keycloak could not check the credentials", cause);
  }

  private enum Grant {
    USER("password"),
    CLIENT("client-credentials");

    private final String label;

    Grant(String label) {
      this.label = label;
    }
  }
}
