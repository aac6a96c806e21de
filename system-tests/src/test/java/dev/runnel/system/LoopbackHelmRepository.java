package dev.runnel.system;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A folder served as a Helm HTTP chart repository on loopback, as a user's web server would serve
 * it: {@code GET /index.yaml} and {@code GET /<chart>-<version>.tgz}, nothing else (404), and no
 * path outside the folder.
 */
final class LoopbackHelmRepository implements AutoCloseable {
  private final HttpServer server;
  private final Path folder;

  private LoopbackHelmRepository(HttpServer server, Path folder) {
    this.server = server;
    this.folder = folder;
  }

  static LoopbackHelmRepository serve(Path folder) throws IOException {
    HttpServer server =
        HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    LoopbackHelmRepository repository = new LoopbackHelmRepository(server, folder);
    server.createContext("/", repository::handle);
    server.start();
    return repository;
  }

  /** The repository's URL, as a user would give it to the market. */
  String url() {
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      String name = exchange.getRequestURI().getPath().substring(1);
      Path file = folder.resolve(name);
      boolean servable =
          !name.isEmpty()
              && !name.contains("/")
              && !name.contains("..")
              && (name.equals("index.yaml") || name.endsWith(".tgz"))
              && Files.isRegularFile(file);
      if (!servable || !"GET".equals(exchange.getRequestMethod())) {
        exchange.sendResponseHeaders(404, -1);
        return;
      }
      byte[] body = Files.readAllBytes(file);
      exchange
          .getResponseHeaders()
          .add("Content-Type", name.endsWith(".tgz") ? "application/gzip" : "application/x-yaml");
      exchange.sendResponseHeaders(200, body.length);
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(body);
      }
    }
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
