package dev.runnel.gateway;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Flux;
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

  private FakeService(Function<HttpServerRequest, ? extends Publisher<String>> answer) {
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
                                      .header("Content-Type", contentType(request))
                                      .sendString(answer.apply(request))
                                      .then()));
                })
            .bindNow();
  }

  /** An event stream for a caller that asks for one, plain text for everyone else. */
  private static String contentType(HttpServerRequest request) {
    String accept = request.requestHeaders().get("Accept");
    return accept != null && accept.contains("text/event-stream")
        ? "text/event-stream"
        : "text/plain";
  }

  /** Answers every request at once with {@code <method> <path and query>}. */
  public static FakeService echoing() {
    // Reads the body first: a server that answers before it has read an upload resets the sender.
    return new FakeService(
        request ->
            request.receive().then(Mono.just(request.method().name() + " " + request.uri())));
  }

  /**
   * Answers a request that accepts {@code text/event-stream} with {@code events} lines, one every
   * {@code every}, then ends the response; any other request with one line after the same total
   * time. So the whole answer takes {@code events × every} either way.
   */
  static FakeService streaming(int events, java.time.Duration every) {
    return new FakeService(
        request -> {
          String accept = request.requestHeaders().get("Accept");
          if (accept != null && accept.contains("text/event-stream")) {
            return Flux.interval(every).take(events).map(i -> "data: event " + (i + 1) + "\n\n");
          }
          return Mono.delay(every.multipliedBy(events)).thenReturn("late answer");
        });
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
