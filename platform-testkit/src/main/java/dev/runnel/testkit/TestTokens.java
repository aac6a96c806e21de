package dev.runnel.testkit;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Mints JWTs shaped like Keycloak's (realm roles in {@code realm_access.roles}, team roles as group
 * paths {@code /teams/<team>/<role>} in {@code groups}) from a key pair made for this JVM, and
 * serves the public key as a JWKS on loopback so services validate them as they would Keycloak's.
 */
public final class TestTokens {
  private static volatile TestTokens instance;

  private final RSAKey key;
  private final HttpServer server;

  private TestTokens(RSAKey key, HttpServer server) {
    this.key = key;
    this.server = server;
  }

  public static TestTokens get() {
    TestTokens local = instance;
    if (local == null) {
      synchronized (TestTokens.class) {
        local = instance;
        if (local == null) {
          local = start();
          instance = local;
        }
      }
    }
    return local;
  }

  private static TestTokens start() {
    try {
      RSAKey key = new RSAKeyGenerator(2048).keyID(UUID.randomUUID().toString()).generate();
      byte[] jwks = new JWKSet(key.toPublicJWK()).toString().getBytes(StandardCharsets.UTF_8);
      HttpServer server =
          HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
      server.createContext(
          "/jwks",
          exchange -> {
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, jwks.length);
            try (OutputStream out = exchange.getResponseBody()) {
              out.write(jwks);
            }
          });
      server.start();
      TestTokens tokens = new TestTokens(key, server);
      Runtime.getRuntime().addShutdownHook(new Thread(() -> server.stop(0), "test-jwks-stop"));
      return tokens;
    } catch (JOSEException e) {
      throw new IllegalStateException("could not generate the test signing key", e);
    } catch (IOException e) {
      throw new UncheckedIOException("could not serve the test JWKS", e);
    }
  }

  public String jwkSetUri() {
    return "http://127.0.0.1:" + server.getAddress().getPort() + "/jwks";
  }

  public String issuer() {
    return "http://127.0.0.1:" + server.getAddress().getPort() + "/realms/runnel";
  }

  /** A builder for a token of the given user. */
  public Token user(String username) {
    return new Token(username);
  }

  /** A platform admin's token. */
  public String admin() {
    return user("admin").platformRole("platform-admin").mint();
  }

  /** A token with the fields a test chooses; everything it does not set is valid. */
  public final class Token {
    private final String username;
    private final List<String> platformRoles = new ArrayList<>();
    private final List<String> groups = new ArrayList<>();
    private String issuer = TestTokens.this.issuer();
    private Instant expiresAt = Instant.now().plus(Duration.ofMinutes(30));
    private boolean foreignKey;

    private Token(String username) {
      this.username = username;
    }

    public Token platformRole(String role) {
      platformRoles.add(role);
      return this;
    }

    public Token teamRole(String team, String role) {
      groups.add("/teams/" + team + "/" + role);
      return this;
    }

    public Token issuer(String issuer) {
      this.issuer = issuer;
      return this;
    }

    public Token expiresAt(Instant expiresAt) {
      this.expiresAt = expiresAt;
      return this;
    }

    /** Signed with a key the services do not know, as a forged token would be. */
    public Token signedWithForeignKey() {
      this.foreignKey = true;
      return this;
    }

    public String mint() {
      try {
        RSAKey signingKey =
            foreignKey ? new RSAKeyGenerator(2048).keyID(key.getKeyID()).generate() : key;
        Instant now = Instant.now();
        JWTClaimsSet claims =
            new JWTClaimsSet.Builder()
                .issuer(issuer)
                .subject(
                    UUID.nameUUIDFromBytes(username.getBytes(StandardCharsets.UTF_8)).toString())
                .audience("account")
                .jwtID(UUID.randomUUID().toString())
                .issueTime(Date.from(now.minusSeconds(5)))
                .notBeforeTime(Date.from(now.minusSeconds(5)))
                .expirationTime(Date.from(expiresAt))
                .claim("preferred_username", username)
                .claim("azp", "runnel-cli")
                .claim("realm_access", Map.of("roles", List.copyOf(platformRoles)))
                .claim("groups", List.copyOf(groups))
                .build();
        SignedJWT jwt =
            new SignedJWT(
                new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(signingKey.getKeyID()).build(),
                claims);
        jwt.sign(new RSASSASigner(signingKey));
        return jwt.serialize();
      } catch (JOSEException e) {
        throw new IllegalStateException("could not sign the test token", e);
      }
    }
  }
}
