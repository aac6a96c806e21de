package dev.runnel.gateway.charts;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.jspecify.annotations.Nullable;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtValidators;
import org.springframework.security.oauth2.jwt.NimbusReactiveJwtDecoder;
import reactor.core.publisher.Mono;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;

/**
 * market-service's Helm repository as far as the gateway can tell: a real HTTP server on loopback
 * that serves {@code /charts/index.yaml} and the packages of a directory, and, like market, only to
 * a request with a bearer token it has validated itself against the realm's keys and issuer. It
 * records every request with the user the token named (null when there was no valid token).
 */
final class FakeMarket implements AutoCloseable {
  /** One request as it arrived, and who its token said the caller was. */
  record Received(
      String method,
      String path,
      @Nullable String authorization,
      @Nullable String username,
      @Nullable String authorizedParty) {}

  private final List<Received> received = new CopyOnWriteArrayList<>();
  private final DisposableServer server;

  FakeMarket(String issuer, Path repository) {
    NimbusReactiveJwtDecoder tokens =
        NimbusReactiveJwtDecoder.withJwkSetUri(issuer + "/protocol/openid-connect/certs").build();
    tokens.setJwtValidator(JwtValidators.createDefaultWithIssuer(issuer));
    this.server =
        HttpServer.create()
            .host("127.0.0.1")
            .port(0)
            .handle(
                (request, response) -> {
                  String authorization = request.requestHeaders().get("Authorization");
                  String path = URI.create(request.uri()).getPath();
                  Mono<Optional<Jwt>> caller =
                      authorization != null && authorization.startsWith("Bearer ")
                          ? tokens
                              .decode(authorization.substring("Bearer ".length()))
                              .map(Optional::of)
                              // An invalid token is recorded as such, with no user, and refused.
                              .onErrorReturn(Optional.empty())
                          : Mono.just(Optional.empty());
                  return caller.flatMap(
                      jwt -> {
                        received.add(
                            new Received(
                                request.method().name(),
                                path,
                                authorization,
                                jwt.map(j -> j.getClaimAsString("preferred_username")).orElse(null),
                                jwt.map(j -> j.getClaimAsString("azp")).orElse(null)));
                        if (jwt.isEmpty()) {
                          return response.status(401).send().then();
                        }
                        Path file =
                            path.startsWith("/charts/")
                                ? repository
                                    .resolve(path.substring("/charts/".length()))
                                    .normalize()
                                : null;
                        if (file == null
                            || !file.startsWith(repository)
                            || !Files.isRegularFile(file)) {
                          return response.status(404).send().then();
                        }
                        String type =
                            file.toString().endsWith(".tgz")
                                ? "application/gzip"
                                : "application/x-yaml";
                        return response.header("Content-Type", type).sendFile(file).then();
                      });
                })
            .bindNow();
  }

  String uri() {
    return "http://127.0.0.1:" + server.port();
  }

  /** Requests whose path is {@code path}, oldest first. */
  List<Received> received(String path) {
    return received.stream().filter(r -> r.path().equals(path)).toList();
  }

  /** Every request, oldest first. */
  List<Received> received() {
    return List.copyOf(received);
  }

  @Override
  public void close() {
    server.disposeNow();
  }
}
