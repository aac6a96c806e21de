package dev.runnel.gateway;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;
import reactor.netty.http.server.HttpServerRequest;

/**
 * A real HTTP server on a loopback port standing in for a Runnel service behind the gateway. It
 * records what reached it, so a test can tell what the gateway passed on, and what did not arrive.
 */
public final class FakeService implements AutoCloseable {
  /** What one request looked like on arrival. */
  public record Received(
      String method,
      String uri,
      String authorization,
      String forwardedPrefix,
      String cookie,
      String traceparent) {}

  private final List<Received> received = new CopyOnWriteArrayList<>();
  private final DisposableServer server;

  private FakeService(Function<HttpServerRequest, Mono<String>> answer) {
    this.server =
        HttpServer.create()
            .host("127.0.0.1")
            .port(0)
            .handle(
                (request, response) -> {
                  received.add(
                      new Received(
                          request.method().name(),
                          request.uri(),
                          request.requestHeaders().get("Authorization"),
                          request.requestHeaders().get("X-Forwarded-Prefix"),
                          request.requestHeaders().get("Cookie"),
                          request.requestHeaders().get("traceparent")));
                  // Reads the body before answering: a server that answers an upload before it has
                  // read it resets the sender.
                  return request
                      .receive()
                      .then()
                      .then(
                          Mono.defer(
                              () ->
                                  response
                                      .header("Content-Type", "text/plain")
                                      .sendString(answer.apply(request))
                                      .then()));
                })
            .bindNow();
  }

  /** Answers every request at once with {@code <method> <path and query>}. */
  public static FakeService echoing() {
    // Reads the body first: a server that answers before it has read an upload resets the sender.
    return new FakeService(
        request ->
            request.receive().then(Mono.just(request.method().name() + " " + request.uri())));
  }

  /** Accepts every request and never answers it. */
  static FakeService hanging() {
    return new FakeService(request -> Mono.never());
  }

  /**
   * Holds every request until {@code count} are in flight at once, then answers them all: only a
   * gateway that lets that many through concurrently gets answers.
   */
  static FakeService answeringOnceConcurrent(int count) {
    Sinks.Empty<Void> allArrived = Sinks.empty();
    AtomicInteger arrived = new AtomicInteger();
    return new FakeService(
        request -> {
          if (arrived.incrementAndGet() == count) {
            allArrived.tryEmitEmpty();
          }
          return allArrived.asMono().thenReturn("answered together");
        });
  }

  /** The address of a port that nothing listens on: a service that is down. */
  static String down() {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return "http://127.0.0.1:" + socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException("no free loopback port for a down service", e);
    }
  }

  public String uri() {
    return "http://127.0.0.1:" + server.port();
  }

  List<Received> received() {
    return List.copyOf(received);
  }

  /** Requests whose path starts with {@code prefix}. */
  public List<Received> received(String prefix) {
    return received.stream().filter(r -> r.uri().startsWith(prefix)).toList();
  }

  @Override
  public void close() {
    server.disposeNow();
  }
}
