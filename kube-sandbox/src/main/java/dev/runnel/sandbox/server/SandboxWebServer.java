package dev.runnel.sandbox.server;

import io.fabric8.mockwebserver.MockWebServer;
import io.fabric8.mockwebserver.http.Dispatcher;
import io.fabric8.mockwebserver.http.HttpUrl;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import io.fabric8.mockwebserver.vertx.HttpServerRequestHandler;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import java.lang.reflect.Field;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Proxy;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * fabric8's mock web server with a door for streams: requests a {@link StreamRoute} owns are
 * answered on the open connection as data arrives; every other request (WebSocket watches included)
 * goes through fabric8's request handler to the dispatcher as before.
 *
 * <p>It also does not record requests: the mock server keeps each one for tests that assert on
 * them, which a long-running or large sandbox cannot afford. {@link #takeRequest()} is therefore
 * unsupported.
 */
public final class SandboxWebServer extends MockWebServer {

  private static final List<String> WEBSOCKET_SUB_PROTOCOLS =
      List.of("v1.channel.k8s.io", "v2.channel.k8s.io", "v3.channel.k8s.io", "v4.channel.k8s.io");

  private final Vertx vertx;
  private final List<StreamRoute> streams;
  private final AtomicInteger requests = new AtomicInteger();
  private volatile Dispatcher dispatcher;
  private HttpServer httpServer;
  private InetAddress address;

  public SandboxWebServer(List<StreamRoute> streams) {
    this.streams = List.copyOf(streams);
    this.vertx = inheritedVertx();
  }

  /**
   * The Vert.x instance the superclass created: using it (instead of a second one) keeps one set of
   * event loops and lets {@link #shutdown()} release it.
   */
  private Vertx inheritedVertx() {
    try {
      Field field = MockWebServer.class.getDeclaredField("vertx");
      field.setAccessible(true);
      return (Vertx) field.get(this);
    } catch (ReflectiveOperationException | RuntimeException e) {
      throw new IllegalStateException(
          "this fabric8 mockwebserver version does not keep its Vert.x instance in a field"
              + " \"vertx\"; kube-sandbox's SandboxWebServer needs adapting",
          e);
    }
  }

  @Override
  public void setDispatcher(Dispatcher dispatcher) {
    this.dispatcher = dispatcher;
  }

  @Override
  public synchronized void start(InetAddress inetAddress, int port) {
    if (httpServer != null) {
      throw new IllegalStateException("start() already called");
    }
    HttpServerRequestHandler mock =
        new HttpServerRequestHandler(vertx) {
          @Override
          protected MockResponse onHttpRequest(RecordedRequest request) {
            requests.incrementAndGet();
            return dispatcher.dispatch(request);
          }
        };
    HttpServerOptions options =
        new HttpServerOptions()
            .setHost(inetAddress.getHostAddress())
            .setPort(port)
            .setWebSocketSubProtocols(WEBSOCKET_SUB_PROTOCOLS)
            .setHandle100ContinueAutomatically(true)
            .setWebSocketClosingTimeout(1);
    HttpServer server =
        vertx.createHttpServer(options).requestHandler(request -> route(request, mock));
    httpServer = await(server.listen(), "start the sandbox API server on port " + port);
    address = inetAddress;
  }

  private void route(HttpServerRequest request, HttpServerRequestHandler mock) {
    if (!streams.isEmpty() && request.method().name().equals("GET")) {
      SandboxRequest parsed =
          SandboxRequest.of(
              "GET",
              request.uri(),
              request.getHeader("Content-Type"),
              request.getHeader("Accept"),
              request.getHeader("Upgrade"),
              "");
      if (!parsed.websocket()) {
        for (StreamRoute stream : streams) {
          if (stream.serve(parsed, request, vertx)) {
            requests.incrementAndGet();
            return;
          }
        }
      }
    }
    mock.handle(request);
  }

  @Override
  public synchronized void shutdown() {
    if (httpServer == null) {
      throw new IllegalStateException("shutdown() before start()");
    }
    if (dispatcher != null) {
      dispatcher.shutdown();
    }
    await(httpServer.close(), "stop the sandbox API server");
    await(vertx.close(), "stop the sandbox's event loops");
  }

  @Override
  public void close() {
    shutdown();
  }

  @Override
  public int getPort() {
    return started().actualPort();
  }

  @Override
  public String getHostName() {
    started();
    return address.getHostAddress();
  }

  @Override
  public Proxy toProxyAddress() {
    return new Proxy(Proxy.Type.HTTP, new InetSocketAddress(getHostName(), getPort()));
  }

  @Override
  public HttpUrl url(String path) {
    String host = getHostName().contains(":") ? "[" + getHostName() + "]" : getHostName();
    return HttpUrl.parse(
        "http://" + host + ":" + getPort() + (path.startsWith("/") ? path : "/" + path));
  }

  @Override
  public int getRequestCount() {
    return requests.get();
  }

  @Override
  public RecordedRequest takeRequest() {
    throw new UnsupportedOperationException("the sandbox does not record requests");
  }

  @Override
  public RecordedRequest takeRequest(long timeout, TimeUnit unit) {
    throw new UnsupportedOperationException("the sandbox does not record requests");
  }

  @Override
  public void useHttps() {
    throw new UnsupportedOperationException("the sandbox speaks plain HTTP");
  }

  @Override
  public void enqueue(MockResponse response) {
    throw new UnsupportedOperationException("the sandbox answers through its dispatcher");
  }

  private synchronized HttpServer started() {
    if (httpServer == null) {
      throw new IllegalStateException("the sandbox API server is not started");
    }
    return httpServer;
  }

  private static <T> T await(Future<T> future, String what) {
    try {
      return future.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting to " + what, e);
    } catch (ExecutionException e) {
      throw new IllegalStateException(
          "could not " + what + ": " + e.getCause().getMessage(), e.getCause());
    } catch (TimeoutException e) {
      throw new IllegalStateException("timed out waiting to " + what, e);
    }
  }
}
