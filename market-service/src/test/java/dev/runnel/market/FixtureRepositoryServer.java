package dev.runnel.market;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Chart repositories on loopback, as a user's web server would serve them: the fixture repository
 * as it is ({@code /repo/}), behind basic auth ({@code /private/}), without HTTP validators like a
 * bare server ({@code /novalidators/}), and documents a test sets at a path ({@link #put}) for
 * everything a repository can get wrong. Like nginx or GitHub Pages, it sends {@code ETag} and
 * {@code Last-Modified} (except under {@code /novalidators/}) and answers conditional requests with
 * {@code 304}; it remembers what each request asked and what it answered ({@link #seen}).
 */
final class FixtureRepositoryServer implements AutoCloseable {
  static final String USER = "reader";
  static final String PASSWORD = "s3cret-pa55word";

  private final HttpServer server;
  private final Path fixtures;
  private final Map<String, Doc> docs = new ConcurrentHashMap<>();
  private final AtomicInteger requests = new AtomicInteger();

  private final Queue<Seen> seen = new ConcurrentLinkedQueue<>();

  record Doc(int status, String contentType, byte[] body, Instant modified) {
    Doc(int status, String contentType, byte[] body) {
      this(status, contentType, body, Instant.now());
    }

    String etag() {
      try {
        byte[] sha = MessageDigest.getInstance("SHA-256").digest(body);
        return "\"" + HexFormat.of().formatHex(sha, 0, 12) + "\"";
      } catch (NoSuchAlgorithmException e) {
        throw new IllegalStateException(e);
      }
    }

    String lastModified() {
      return DateTimeFormatter.RFC_1123_DATE_TIME.format(modified.atOffset(ZoneOffset.UTC));
    }
  }

  /** One request: its path, its conditional headers (or null) and the status it got. */
  record Seen(String path, String ifNoneMatch, String ifModifiedSince, int status) {}

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

  /** The requests for {@code path} so far, oldest first. */
  List<Seen> seen(String path) {
    return seen.stream().filter(s -> s.path().equals(path)).toList();
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
      boolean validators = true;
      if (doc == null && path.startsWith("/novalidators/")) {
        doc = file(path.substring("/novalidators/".length()));
        validators = false;
      }
      String ifNoneMatch = exchange.getRequestHeaders().getFirst("If-None-Match");
      String ifModifiedSince = exchange.getRequestHeaders().getFirst("If-Modified-Since");
      if (doc == null) {
        seen.add(new Seen(path, ifNoneMatch, ifModifiedSince, 404));
        exchange.sendResponseHeaders(404, -1);
        return;
      }
      if (validators && doc.status() == 200) {
        exchange.getResponseHeaders().add("ETag", doc.etag());
        exchange.getResponseHeaders().add("Last-Modified", doc.lastModified());
        if (notModified(doc, ifNoneMatch, ifModifiedSince)) {
          seen.add(new Seen(path, ifNoneMatch, ifModifiedSince, 304));
          exchange.sendResponseHeaders(304, -1);
          return;
        }
      }
      seen.add(new Seen(path, ifNoneMatch, ifModifiedSince, doc.status()));
      exchange.getResponseHeaders().add("Content-Type", doc.contentType());
      exchange.sendResponseHeaders(doc.status(), doc.body().length);
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(doc.body());
      }
    }
  }

  /** RFC 9110 13.2.2: If-None-Match decides when present; If-Modified-Since only without it. */
  private static boolean notModified(Doc doc, String ifNoneMatch, String ifModifiedSince) {
    if (ifNoneMatch != null) {
      String etag = doc.etag();
      for (String tag : ifNoneMatch.split(",")) {
        String t = tag.trim();
        if (t.equals("*") || t.equals(etag) || t.equals("W/" + etag)) {
          return true;
        }
      }
      return false;
    }
    if (ifModifiedSince != null) {
      try {
        Instant since =
            ZonedDateTime.parse(ifModifiedSince, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
        return !doc.modified().truncatedTo(ChronoUnit.SECONDS).isAfter(since);
      } catch (DateTimeParseException e) {
        return false;
      }
    }
    return false;
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
    return new Doc(
        200, type, Files.readAllBytes(file), Files.getLastModifiedTime(file).toInstant());
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
