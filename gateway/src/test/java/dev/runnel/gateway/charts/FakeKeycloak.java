package dev.runnel.gateway.charts;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.springframework.security.authentication.BadCredentialsException;
import org.springframework.security.oauth2.jwt.BadJwtException;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.ReactiveJwtDecoder;
import reactor.core.publisher.Mono;

/**
 * An in-memory identity provider for unit tests: accounts with passwords, tokens it issued (and
 * only those) accepted by its decoder, a count of exchanges, and a switch that takes it down.
 */
final class FakeKeycloak implements CredentialsExchange {
  private final Map<String, String> passwords = new ConcurrentHashMap<>();
  private final Map<String, Jwt> issued = new ConcurrentHashMap<>();
  private final AtomicInteger exchanges = new AtomicInteger();
  private final Clock clock;
  private final Duration lifespan;
  private volatile boolean down;

  FakeKeycloak(Clock clock, Duration lifespan) {
    this.clock = clock;
    this.lifespan = lifespan;
  }

  FakeKeycloak withUser(String username, String password) {
    passwords.put(username, password);
    return this;
  }

  void goDown() {
    down = true;
  }

  /** How many times credentials were sent to it. */
  int exchanges() {
    return exchanges.get();
  }

  @Override
  public Mono<String> accessToken(String username, String password) {
    return Mono.defer(
        () -> {
          exchanges.incrementAndGet();
          if (down) {
            return Mono.error(
                new KeycloakUnavailableException(
                    "Keycloak could not check the credentials",
                    new java.net.ConnectException("Connection refused")));
          }
          if (!password.equals(passwords.get(username))) {
            return Mono.error(new BadCredentialsException("invalid_grant"));
          }
          Instant now = clock.instant();
          String token = "token-" + username + "-" + exchanges.get();
          issued.put(
              token,
              Jwt.withTokenValue(token)
                  .header("alg", "RS256")
                  .subject(username)
                  .claim("preferred_username", username)
                  .issuedAt(now)
                  .expiresAt(now.plus(lifespan))
                  .build());
          return Mono.just(token);
        });
  }

  /** Accepts the tokens this fake issued, refuses everything else. */
  ReactiveJwtDecoder decoder() {
    return token -> {
      Jwt jwt = issued.get(token);
      return jwt == null ? Mono.error(new BadJwtException("not issued here")) : Mono.just(jwt);
    };
  }
}
