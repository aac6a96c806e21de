package dev.runnel.gateway.login;

import io.netty.channel.ChannelOption;
import java.time.Duration;
import org.springframework.http.MediaType;
import org.springframework.http.client.reactive.ReactorClientHttpConnector;
import org.springframework.web.reactive.function.BodyInserters;
import org.springframework.web.reactive.function.client.WebClient;
import reactor.core.publisher.Mono;
import reactor.netty.http.client.HttpClient;

/**
 * The gateway's own calls to Keycloak outside Spring Security's flows: the reachability probe
 * before a login starts, and ending a user's Keycloak session at logout. Every call has a time
 * limit, so a Keycloak that drops packets costs a login a few seconds, not a hung request.
 */
public final class KeycloakClient {
  private final LoginProperties properties;
  private final WebClient web;

  KeycloakClient(LoginProperties properties) {
    this.properties = properties;
    this.web = webClient(properties.probeTimeout());
  }

  /**
   * A WebClient that gives up on Keycloak after {@code timeout}; shared with the token calls of the
   * login and of the chart repository's basic credentials ({@code charts}).
   */
  public static WebClient webClient(Duration timeout) {
    HttpClient http =
        HttpClient.create()
            .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) timeout.toMillis())
            .responseTimeout(timeout.multipliedBy(3));
    return WebClient.builder().clientConnector(new ReactorClientHttpConnector(http)).build();
  }

  /** Completes when the realm answers its discovery document, fails otherwise. */
  Mono<Void> probe() {
    return web.get()
        .uri(properties.endpoints().discovery())
        .retrieve()
        .toBodilessEntity()
        .timeout(properties.probeTimeout())
        .then();
  }

  /**
   * Ends the Keycloak session the refresh token belongs to (Keycloak's logout endpoint, called by
   * the confidential client); the user's other tokens of that session stop working with it.
   */
  Mono<Void> endSession(String refreshToken) {
    return web.post()
        .uri(properties.endpoints().endSession())
        .contentType(MediaType.APPLICATION_FORM_URLENCODED)
        .body(
            BodyInserters.fromFormData("client_id", properties.clientId())
                .with("client_secret", String.valueOf(properties.clientSecret()))
                .with("refresh_token", refreshToken))
        .retrieve()
        .toBodilessEntity()
        .then();
  }
}
