package dev.runnel.gateway.security;

import static org.assertj.core.api.Assertions.assertThat;

import dev.runnel.testkit.TestTokens;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.springframework.security.oauth2.core.DelegatingOAuth2TokenValidator;
import org.springframework.security.oauth2.jwt.JwtException;
import org.springframework.security.oauth2.jwt.JwtIssuerValidator;
import org.springframework.security.oauth2.jwt.JwtTimestampValidator;
import org.springframework.security.oauth2.jwt.NimbusReactiveJwtDecoder;
import org.springframework.security.oauth2.jwt.ReactiveJwtDecoder;
import reactor.test.StepVerifier;

/**
 * The cache in front of a real decoder (the test key pair's JWKS over loopback, issuer and
 * timestamp validators as Spring Boot configures them), with one clock for both that the test
 * moves.
 */
class CachingJwtDecoderTest {
  private static final Duration SKEW = Duration.ofSeconds(60);

  private final TestTokens tokens = TestTokens.get();
  private final MovableClock clock = new MovableClock(Instant.now());
  private final AtomicInteger checks = new AtomicInteger();
  private final ReactiveJwtDecoder real = counting(realDecoder());

  @Test
  void aTokenSeenBeforeIsAcceptedWithoutCheckingItAgain() {
    CachingJwtDecoder cache = cache(100, Duration.ofMinutes(5));
    String token = tokens.user("ada").expiresAt(clock.instant().plusSeconds(600)).mint();

    for (int i = 0; i < 3; i++) {
      StepVerifier.create(cache.decode(token))
          .assertNext(
              jwt -> assertThat(jwt.getClaimAsString("preferred_username")).isEqualTo("ada"))
          .verifyComplete();
    }

    assertThat(checks).hasValue(1);
  }

  @Test
  void aRememberedTokenIsRejectedOnceItHasExpired() {
    CachingJwtDecoder cache = cache(100, Duration.ofMinutes(5));
    String token = tokens.user("ada").expiresAt(clock.instant().plusSeconds(30)).mint();
    StepVerifier.create(cache.decode(token)).expectNextCount(1).verifyComplete();

    // Past exp and past the real decoder's clock-skew allowance: no longer accepted from memory,
    // and the real check refuses it.
    clock.advance(Duration.ofSeconds(30).plus(SKEW).plusSeconds(1));

    StepVerifier.create(cache.decode(token)).expectError(JwtException.class).verify();
    assertThat(checks).hasValue(2);
  }

  @Test
  void atItsExpiryARememberedTokenIsCheckedAgainAndNotRememberedAnew() {
    CachingJwtDecoder cache = cache(100, Duration.ofMinutes(5));
    String token = tokens.user("ada").expiresAt(clock.instant().plusSeconds(30)).mint();
    StepVerifier.create(cache.decode(token)).expectNextCount(1).verifyComplete();

    // Within the real decoder's skew allowance it still accepts; the cache never answers past exp.
    clock.advance(Duration.ofSeconds(31));
    StepVerifier.create(cache.decode(token)).expectNextCount(1).verifyComplete();
    StepVerifier.create(cache.decode(token)).expectNextCount(1).verifyComplete();

    assertThat(checks).hasValue(3);
    assertThat(cache.size()).isZero();
  }

  @Test
  void aRejectedTokenIsNeverRememberedAndIsRejectedEveryTime() {
    CachingJwtDecoder cache = cache(100, Duration.ofMinutes(5));
    String forged = tokens.user("mallory").signedWithForeignKey().mint();

    for (int i = 0; i < 3; i++) {
      StepVerifier.create(cache.decode(forged)).expectError(JwtException.class).verify();
    }

    assertThat(checks).hasValue(3);
    assertThat(cache.size()).isZero();
  }

  @Test
  void aTokenWithATamperedPayloadIsCheckedAndRejectedEvenWhenTheOriginalIsRemembered() {
    CachingJwtDecoder cache = cache(100, Duration.ofMinutes(5));
    String token = tokens.user("ada").mint();
    StepVerifier.create(cache.decode(token)).expectNextCount(1).verifyComplete();
    String[] parts = token.split("\\.");
    String admin = tokens.admin().split("\\.")[1];
    String tampered = parts[0] + "." + admin + "." + parts[2];

    StepVerifier.create(cache.decode(tampered)).expectError(JwtException.class).verify();
    assertThat(checks).hasValue(2);
  }

  @Test
  void aLongLivedTokenIsCheckedAgainAfterTheMaximumAge() {
    CachingJwtDecoder cache = cache(100, Duration.ofMinutes(5));
    String token = tokens.user("ada").expiresAt(clock.instant().plus(Duration.ofHours(8))).mint();
    StepVerifier.create(cache.decode(token)).expectNextCount(1).verifyComplete();

    clock.advance(Duration.ofMinutes(4));
    StepVerifier.create(cache.decode(token)).expectNextCount(1).verifyComplete();
    assertThat(checks).hasValue(1);

    clock.advance(Duration.ofMinutes(2));
    StepVerifier.create(cache.decode(token)).expectNextCount(1).verifyComplete();
    assertThat(checks).hasValue(2);
  }

  @Test
  void whenFullNewTokensAreStillValidatedButNotRemembered() {
    CachingJwtDecoder cache = cache(2, Duration.ofMinutes(5));
    String first = tokens.user("a").mint();
    String second = tokens.user("b").mint();
    String third = tokens.user("c").mint();
    StepVerifier.create(cache.decode(first)).expectNextCount(1).verifyComplete();
    StepVerifier.create(cache.decode(second)).expectNextCount(1).verifyComplete();

    StepVerifier.create(cache.decode(third)).expectNextCount(1).verifyComplete();
    StepVerifier.create(cache.decode(third)).expectNextCount(1).verifyComplete();

    assertThat(cache.size()).isEqualTo(2);
    assertThat(checks).hasValue(4);
  }

  @Test
  void whenFullExpiredTokensMakeRoom() {
    CachingJwtDecoder cache = cache(1, Duration.ofMinutes(5));
    String shortLived = tokens.user("a").expiresAt(clock.instant().plusSeconds(10)).mint();
    String next = tokens.user("b").expiresAt(clock.instant().plusSeconds(600)).mint();
    StepVerifier.create(cache.decode(shortLived)).expectNextCount(1).verifyComplete();
    clock.advance(Duration.ofSeconds(11));

    StepVerifier.create(cache.decode(next)).expectNextCount(1).verifyComplete();
    StepVerifier.create(cache.decode(next)).expectNextCount(1).verifyComplete();

    assertThat(checks).hasValue(2);
    assertThat(cache.size()).isEqualTo(1);
  }

  private CachingJwtDecoder cache(int maxEntries, Duration maxAge) {
    return new CachingJwtDecoder(real, maxEntries, maxAge, clock);
  }

  private ReactiveJwtDecoder realDecoder() {
    NimbusReactiveJwtDecoder decoder =
        NimbusReactiveJwtDecoder.withJwkSetUri(tokens.jwkSetUri()).build();
    JwtTimestampValidator timestamps = new JwtTimestampValidator(SKEW);
    timestamps.setClock(clock);
    decoder.setJwtValidator(
        new DelegatingOAuth2TokenValidator<>(timestamps, new JwtIssuerValidator(tokens.issuer())));
    return decoder;
  }

  private ReactiveJwtDecoder counting(ReactiveJwtDecoder decoder) {
    return token -> {
      checks.incrementAndGet();
      return decoder.decode(token);
    };
  }

  private static final class MovableClock extends Clock {
    private volatile Instant now;

    MovableClock(Instant now) {
      this.now = now;
    }

    void advance(Duration duration) {
      now = now.plus(duration);
    }

    @Override
    public Instant instant() {
      return now;
    }

    @Override
    public java.time.ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(java.time.ZoneId zone) {
      return this;
    }
  }
}
