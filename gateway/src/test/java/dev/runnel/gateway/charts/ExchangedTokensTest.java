package dev.runnel.gateway.charts;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.springframework.security.oauth2.jwt.Jwt;

class ExchangedTokensTest {
  private final MovableClock clock = new MovableClock(Instant.parse("2026-12-01T10:00:00Z"));

  @Test
  void aTokenIsReusedForTheSameCredentialsUntilTheMaximumAge() {
    ExchangedTokens tokens = tokens(10, Duration.ofMinutes(1));
    Jwt jwt = jwt("t1", Duration.ofMinutes(5));
    tokens.remember("ada", "pw", jwt);

    assertThat(tokens.find("ada", "pw")).containsSame(jwt);
    clock.advance(Duration.ofSeconds(59));
    assertThat(tokens.find("ada", "pw")).containsSame(jwt);
    clock.advance(Duration.ofSeconds(1));
    assertThat(tokens.find("ada", "pw")).isEmpty();
  }

  @Test
  void onlyTheExactCredentialsFindIt() {
    ExchangedTokens tokens = tokens(10, Duration.ofMinutes(1));
    tokens.remember("ada", "pw", jwt("t1", Duration.ofMinutes(5)));

    assertThat(tokens.find("ada", "pw2")).isEmpty();
    assertThat(tokens.find("ada", "PW")).isEmpty();
    assertThat(tokens.find("bob", "pw")).isEmpty();
    // "user:pass" pairs that would concatenate alike are still different credentials.
    tokens.remember("a", "b:c", jwt("t2", Duration.ofMinutes(5)));
    assertThat(tokens.find("a:b", "c")).isEmpty();
  }

  @Test
  void aTokenIsNeverReusedBeyondItsExpiryLessTheMinimumRemainingValidity() {
    ExchangedTokens tokens = tokens(10, Duration.ofMinutes(10));
    tokens.remember("ada", "pw", jwt("t1", Duration.ofSeconds(90)));

    clock.advance(Duration.ofSeconds(59));
    assertThat(tokens.find("ada", "pw")).isPresent();
    // 30 s left: market would get a token about to run out, so Keycloak is asked again.
    clock.advance(Duration.ofSeconds(1));
    assertThat(tokens.find("ada", "pw")).isEmpty();
  }

  @Test
  void tokensTooShortLivedOrWithoutExpiryAreNotRemembered() {
    ExchangedTokens tokens = tokens(10, Duration.ofMinutes(1));
    tokens.remember("ada", "pw", jwt("short", Duration.ofSeconds(20)));
    tokens.remember(
        "bob", "pw", Jwt.withTokenValue("no-exp").header("alg", "RS256").subject("bob").build());

    assertThat(tokens.find("ada", "pw")).isEmpty();
    assertThat(tokens.find("bob", "pw")).isEmpty();
    assertThat(tokens.size()).isZero();
  }

  @Test
  void aMaximumAgeOfZeroTurnsReuseOff() {
    ExchangedTokens tokens = tokens(10, Duration.ZERO);
    tokens.remember("ada", "pw", jwt("t1", Duration.ofMinutes(5)));

    assertThat(tokens.find("ada", "pw")).isEmpty();
  }

  @Test
  void itHoldsAtMostMaxEntriesAndMakesRoomByDroppingExpiredOnes() {
    ExchangedTokens tokens = tokens(2, Duration.ofMinutes(1));
    tokens.remember("a", "pw", jwt("ta", Duration.ofMinutes(5)));
    tokens.remember("b", "pw", jwt("tb", Duration.ofMinutes(5)));
    tokens.remember("c", "pw", jwt("tc", Duration.ofMinutes(5)));

    assertThat(tokens.size()).isEqualTo(2);
    assertThat(tokens.find("c", "pw")).isEmpty();

    clock.advance(Duration.ofMinutes(2));
    tokens.remember("c", "pw", jwt("tc2", Duration.ofMinutes(5)));

    assertThat(tokens.size()).isEqualTo(1);
    assertThat(tokens.find("c", "pw")).map(Jwt::getTokenValue).hasValue("tc2");
  }

  private ExchangedTokens tokens(int maxEntries, Duration maxAge) {
    return new ExchangedTokens(maxEntries, maxAge, Duration.ofSeconds(30), clock);
  }

  private Jwt jwt(String value, Duration lifespan) {
    Instant now = clock.instant();
    return Jwt.withTokenValue(value)
        .header("alg", "RS256")
        .subject("someone")
        .issuedAt(now)
        .expiresAt(now.plus(lifespan))
        .build();
  }
}
