package dev.runnel.cli.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The device flow's polling against a token endpoint that answers as RFC 8628 allows: the CLI waits
 * the server's {@code interval} between polls, 5 s more after each {@code slow_down}, and stops
 * with a message on {@code expired_token} and {@code access_denied}.
 */
class OidcClientTest {
  private static final JsonMapper JSON = JsonMapper.builder().build();

  private final Deque<String> answers = new ArrayDeque<>();
  private final List<Long> pauses = new ArrayList<>();
  private final HttpServer server = tokenEndpoint();

  @AfterEach
  void stop() {
    server.stop(0);
  }

  @Test
  void pollingHonoursTheIntervalAndSlowsDownWhenTold() throws Exception {
    answers.add("400 {\"error\":\"authorization_pending\"}");
    answers.add("400 {\"error\":\"slow_down\"}");
    answers.add("400 {\"error\":\"authorization_pending\"}");
    answers.add(
        "200 {\"access_token\":\"at\",\"expires_in\":300,\"refresh_token\":\"rt\","
            + "\"refresh_expires_in\":1800}");

    StoredToken token = client().awaitDevice(device(5));

    assertThat(pauses).containsExactly(5L, 5L, 10L, 10L);
    assertThat(token.accessToken()).isEqualTo("at");
    assertThat(token.refreshToken()).isEqualTo("rt");
    assertThat(answers).isEmpty();
  }

  @Test
  void aCodeThatExpiredBeforeItWasConfirmedEndsTheLoginWithAMessage() {
    answers.add("400 {\"error\":\"authorization_pending\"}");
    answers.add("400 {\"error\":\"expired_token\"}");

    assertThatThrownBy(() -> client().awaitDevice(device(1)))
        .isInstanceOf(OidcClient.AuthException.class)
        .hasMessage("the device code expired before it was approved; run `runnel login` again");
  }

  @Test
  void aLoginDeniedInTheBrowserEndsTheLoginWithAMessage() {
    answers.add("400 {\"error\":\"access_denied\"}");

    assertThatThrownBy(() -> client().awaitDevice(device(1)))
        .isInstanceOf(OidcClient.AuthException.class)
        .hasMessage("the login was denied in the browser");
  }

  private OidcClient client() {
    return new OidcClient(
        "http://127.0.0.1:" + server.getAddress().getPort() + "/realms/runnel", pauses::add);
  }

  private static JsonNode device(int interval) {
    return JSON.readTree(
        "{\"device_code\":\"dc\",\"user_code\":\"ABCD-EFGH\",\"expires_in\":600,\"interval\":"
            + interval
            + "}");
  }

  private HttpServer tokenEndpoint() {
    try {
      HttpServer http =
          HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
      http.createContext(
          "/realms/runnel/protocol/openid-connect/token",
          exchange -> {
            String answer = answers.poll();
            int status = answer == null ? 500 : Integer.parseInt(answer.substring(0, 3));
            byte[] body =
                (answer == null ? "{\"error\":\"unexpected poll\"}" : answer.substring(4))
                    .getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(status, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
              out.write(body);
            }
          });
      http.start();
      return http;
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
