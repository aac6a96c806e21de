package dev.runnel.cli.auth;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** The OAuth 2.0 grants the CLI uses against Keycloak's realm, with the public CLI client. */
public final class OidcClient {
  static final String CLIENT_ID = "runnel-cli";
  private static final JsonMapper JSON = JsonMapper.builder().build();
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private final String issuer;
  private final Pause pause;

  public OidcClient(String issuer) {
    this(issuer, seconds -> Thread.sleep(seconds * 1000));
  }

  OidcClient(String issuer, Pause pause) {
    this.issuer = issuer.endsWith("/") ? issuer.substring(0, issuer.length() - 1) : issuer;
    this.pause = pause;
  }

  /** How the device flow waits between polls; a test records the waits instead. */
  @FunctionalInterface
  interface Pause {
    void seconds(long seconds) throws InterruptedException;
  }

  /** Resource-owner password grant, for scripts and CI (`--password-stdin`). */
  public StoredToken password(String username, String password)
      throws IOException, InterruptedException {
    Map<String, String> form = new LinkedHashMap<>();
    form.put("grant_type", "password");
    form.put("client_id", CLIENT_ID);
    form.put("scope", "openid");
    form.put("username", username);
    form.put("password", password);
    return token(form);
  }

  StoredToken refresh(String refreshToken) throws IOException, InterruptedException {
    Map<String, String> form = new LinkedHashMap<>();
    form.put("grant_type", "refresh_token");
    form.put("client_id", CLIENT_ID);
    form.put("refresh_token", refreshToken);
    return token(form);
  }

  /** Starts the device authorization grant: where the user goes and what they type. */
  JsonNode startDeviceFlow() throws IOException, InterruptedException {
    HttpResponse<String> r =
        post(
            "/protocol/openid-connect/auth/device",
            Map.of("client_id", CLIENT_ID, "scope", "openid"));
    if (r.statusCode() != 200) {
      throw new AuthException("Keycloak refused the device login: " + error(r));
    }
    return JSON.readTree(r.body());
  }

  /** Polls until the user approved the device, or the code expired. */
  StoredToken awaitDevice(JsonNode device) throws IOException, InterruptedException {
    long interval = Math.max(1, device.path("interval").asLong(5));
    Instant expires = Instant.now().plusSeconds(device.path("expires_in").asLong(600));
    while (Instant.now().isBefore(expires)) {
      pause.seconds(interval);
      HttpResponse<String> r =
          post(
              "/protocol/openid-connect/token",
              Map.of(
                  "grant_type",
                  "urn:ietf:params:oauth:grant-type:device_code",
                  "client_id",
                  CLIENT_ID,
                  "device_code",
                  device.get("device_code").asString()));
      if (r.statusCode() == 200) {
        return StoredToken.from(issuer, JSON.readTree(r.body()));
      }
      String code = JSON.readTree(r.body()).path("error").asString("");
      switch (code) {
        case "authorization_pending" -> {
          // The user has not finished in the browser yet: ask again after the interval.
        }
        // RFC 8628 3.5: the server asks for 5 s more between polls, for good.
        case "slow_down" -> interval += 5;
        case "access_denied" -> throw new AuthException("the login was denied in the browser");
        case "expired_token" ->
            throw new AuthException(
                "the device code expired before it was approved; run `runnel login` again");
        default -> throw new AuthException("device login failed: " + error(r));
      }
    }
    throw new AuthException(
        "the device code expired before it was approved; run `runnel login` again");
  }

  private StoredToken token(Map<String, String> form) throws IOException, InterruptedException {
    HttpResponse<String> r = post("/protocol/openid-connect/token", form);
    if (r.statusCode() != 200) {
      throw new AuthException("Keycloak refused the login: " + error(r));
    }
    return StoredToken.from(issuer, JSON.readTree(r.body()));
  }

  private HttpResponse<String> post(String path, Map<String, String> form)
      throws IOException, InterruptedException {
    String body =
        form.entrySet().stream()
            .map(e -> e.getKey() + "=" + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
            .collect(Collectors.joining("&"));
    try {
      return http.send(
          HttpRequest.newBuilder(URI.create(issuer + path))
              .timeout(Duration.ofSeconds(15))
              .header("Content-Type", "application/x-www-form-urlencoded")
              .POST(HttpRequest.BodyPublishers.ofString(body))
              .build(),
          HttpResponse.BodyHandlers.ofString());
    } catch (java.net.ConnectException e) {
      throw new AuthException("cannot reach Keycloak at " + issuer + "; is the platform running?");
    }
  }

  private static String error(HttpResponse<String> r) {
    try {
      JsonNode body = JSON.readTree(r.body());
      String description = body.path("error_description").asString("");
      return description.isEmpty()
          ? body.path("error").asString("HTTP " + r.statusCode())
          : description;
    } catch (RuntimeException e) {
      return "HTTP " + r.statusCode();
    }
  }

  /** A login that failed, with a message for the user. */
  static final class AuthException extends RuntimeException {
    AuthException(String message) {
      super(message);
    }
  }
}
