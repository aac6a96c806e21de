package dev.runnel.gateway.charts;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.springframework.security.oauth2.jwt.Jwt;

/**
 * Remembers tokens that basic credentials were exchanged for, briefly, so that {@code helm repo
 * add} or {@code helm pull} (an index and then one package after another, each request with the
 * same credentials) costs Keycloak one exchange, not one per request.
 *
 * <p>What is remembered is keyed by an HMAC-SHA256 of user name and password under a key drawn at
 * random when the gateway starts: neither the password nor a plain hash of it (which could be
 * looked up in a table of common passwords) is kept. Only successful exchanges are remembered, so a
 * wrong password is sent to Keycloak every time (and counts towards its brute-force lock-out); a
 * right password never matches an entry made for a wrong one.
 *
 * <p>An entry is used until {@code maxAge} after the exchange, and never once its token has less
 * than {@code minRemaining} left before it expires. Bounded: at most {@code maxEntries}; when full,
 * expired entries are dropped, and if none are, new exchanges are not remembered.
 */
final class ExchangedTokens {
  private static final String HMAC = "HmacSHA256";

  private final int maxEntries;
  private final Duration maxAge;
  private final Duration minRemaining;
  private final Clock clock;
  private final SecretKeySpec key;
  private final ConcurrentHashMap<String, Remembered> entries = new ConcurrentHashMap<>();

  private record Remembered(Jwt jwt, Instant until) {}

  ExchangedTokens(int maxEntries, Duration maxAge, Duration minRemaining, Clock clock) {
    if (maxEntries < 1) {
      throw new IllegalArgumentException("maxEntries must be at least 1, not " + maxEntries);
    }
    this.maxEntries = maxEntries;
    this.maxAge = maxAge;
    this.minRemaining = minRemaining;
    this.clock = clock;
    byte[] secret = new byte[32];
    new SecureRandom().nextBytes(secret);
    this.key = new SecretKeySpec(secret, HMAC);
  }

  /** The token remembered for exactly these credentials, while it may still be used. */
  Optional<Jwt> find(String username, String password) {
    String id = idOf(username, password);
    Remembered remembered = entries.get(id);
    if (remembered == null) {
      return Optional.empty();
    }
    if (clock.instant().isBefore(remembered.until())) {
      return Optional.of(remembered.jwt());
    }
    entries.remove(id, remembered);
    return Optional.empty();
  }

  /** Remembers the token Keycloak issued for these credentials (only ever called on success). */
  void remember(String username, String password, Jwt jwt) {
    Instant expires = jwt.getExpiresAt();
    if (expires == null) {
      return;
    }
    Instant now = clock.instant();
    Instant usableUntil = expires.minus(minRemaining);
    Instant reusedUntil = now.plus(maxAge);
    Instant until = usableUntil.isBefore(reusedUntil) ? usableUntil : reusedUntil;
    if (!now.isBefore(until)) {
      return;
    }
    if (entries.size() >= maxEntries) {
      entries.values().removeIf(r -> !now.isBefore(r.until()));
      if (entries.size() >= maxEntries) {
        return;
      }
    }
    entries.put(idOf(username, password), new Remembered(jwt, until));
  }

  /** How many exchanges are remembered now (for tests). */
  int size() {
    return entries.size();
  }

  private String idOf(String username, String password) {
    try {
      Mac mac = Mac.getInstance(HMAC);
      mac.init(key);
      // Length-prefixed, so no two different pairs give the same input.
      String pair = username.length() + ":" + username + ":" + password;
      byte[] digest = mac.doFinal(pair.getBytes(StandardCharsets.UTF_8));
      return Base64.getEncoder().encodeToString(digest);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is not available in this JVM", e);
    }
  }
}
