package dev.runnel.market;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Chart repositories on loopback, as a user's web server would serve them: the fixture repository
 * as it is ({@code /repo/}), behind basic auth ({@code /private/}), and documents a test sets at a
 * path ({@link #put}) for everything a repository can get wrong.
 */
final class FixtureRepositoryServer implements AutoCloseable {
  static final String USER = "reader";
  static final String PASSWORD = "s3cret-pa55word";

  private final HttpServer server;
  private final Path fixtures;
  private final Map<String, Doc> docs = new ConcurrentHashMap<>();
  private final AtomicInteger requests = new AtomicInteger();

  record Doc(int status, String contentType, byte[] body) {}

  FixtureRepositoryServer(Path fixtures) throws IOException {
    this.fixtures = fixtures;
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/", this::handle);
    server.start();
  }

  static Path helmRepo() {
    return Path.of(System.getProperty("runnel.fixtures", "../../shared/fixtures"), "helm-repo");
  }

  String url(String path) {
    return "http://127.0.0.1:" + server.getAddress().getPort() + path;
  }

  void put(String path, String contentType, byte[] body) {
    docs.put(path, new Doc(200, contentType, body));
  }

  void put(String path, String yaml) {
    put(path, "application/x-yaml", yaml.getBytes(StandardCharsets.UTF_8));
  }

  int requests() {
    return requests.get();
  }

  private void handle(HttpExchange exchange) throws IOException {
    requests.incrementAndGet();
    try (exchange) {
      String path = exchange.getRequestURI().getPath();
      Doc doc = docs.get(path);
      if (doc == null && path.startsWith("/repo/")) {
        doc = file(path.substring("/repo/".length()));
      }
      if (doc == null && path.startsWith("/private/")) {
        String expected =
            "Basic "
                + Base64.getEncoder()
                    .encodeToString((USER + ":" + PASSWORD).getBytes(StandardCharsets.UTF_8));
        if (!expected.equals(exchange.getRequestHeaders().getFirst("Authorization"))) {
          exchange.getResponseHeaders().add("WWW-Authenticate", "Basic realm=\"charts\"");
          exchange.sendResponseHeaders(401, -1);
          return;
        }
        doc = file(path.substring("/private/".length()));
      }
      if (doc == null) {
        exchange.sendResponseHeaders(404, -1);
        return;
      }
      exchange.getResponseHeaders().add("Content-Type", doc.contentType());
      exchange.sendResponseHeaders(doc.status(), doc.body().length);
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(doc.body());
      }
    }
  }

  private Doc file(String name) throws IOException {
    if (name.contains("/") || name.contains("..")) {
      return null;
    }
    Path file = fixtures.resolve(name);
    if (!Files.isRegularFile(file)) {
      return null;
    }
    String type = name.endsWith(".tgz") ? "application/gzip" : "application/x-yaml";
    return new Doc(200, type, Files.readAllBytes(file));
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
