package dev.runnel.gateway.charts;

import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;
import reactor.core.publisher.Mono;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;

/**
 * A real HTTP server on a loopback port standing in for Keycloak's token endpoint: it records the
 * forms it receives and answers as the test scripts it ({@link #answerWith}), or never ({@link
 * #hang}).
 */
final class FakeTokenEndpoint implements AutoCloseable {
  /** An answer: a status and a JSON (or other) body. */
  record Answer(int status, String body) {
    static Answer token(String accessToken) {
      return new Answer(
          200,
          "{\"access_token\":\""
              + accessToken
              + "\",\"expires_in\":300,\"token_type\":\"Bearer\",\"scope\":\"profile email\"}");
    }

    static Answer error(int status, String error) {
      return new Answer(
          status,
          "{\"error\":\"" + error + "\",\"error_description\":\"Invalid user credentials\"}");
    }
  }

  private final List<Map<String, String>> forms = new CopyOnWriteArrayList<>();
  private final DisposableServer server;
  private volatile Function<Map<String, String>, Answer> answers = form -> Answer.token("at");
  private volatile boolean hanging;

  FakeTokenEndpoint() {
    this.server =
        HttpServer.create()
            .host("127.0.0.1")
            .port(0)
            .handle(
                (request, response) ->
                    request
                        .receive()
                        .aggregate()
                        .asString(StandardCharsets.UTF_8)
                        .defaultIfEmpty("")
                        .flatMap(
                            body -> {
                              Map<String, String> form = parse(body);
                              forms.add(form);
                              if (hanging) {
                                return Mono.<Void>never();
                              }
                              Answer answer = answers.apply(form);
                              return response
                                  .status(answer.status())
                                  .header("Content-Type", "application/json")
                                  .sendString(Mono.just(answer.body()))
                                  .then();
                            }))
            .bindNow();
  }

  void answerWith(Function<Map<String, String>, Answer> answers) {
    this.answers = answers;
  }

  void hang() {
    this.hanging = true;
  }

  URI uri() {
    return URI.create(
        "http://127.0.0.1:" + server.port() + "/realms/runnel/protocol/openid-connect/token");
  }

  /** The forms received, oldest first. */
  List<Map<String, String>> forms() {
    return List.copyOf(forms);
  }

  @Override
  public void close() {
    server.disposeNow();
  }

  private static Map<String, String> parse(String body) {
    Map<String, String> form = new LinkedHashMap<>();
    if (body.isEmpty()) {
      return form;
    }
    for (String pair : body.split("&")) {
      int eq = pair.indexOf('=');
      String name = eq < 0 ? pair : pair.substring(0, eq);
      String value = eq < 0 ? "" : pair.substring(eq + 1);
      form.put(
          URLDecoder.decode(name, StandardCharsets.UTF_8),
          URLDecoder.decode(value, StandardCharsets.UTF_8));
    }
    return form;
  }
}
