package dev.runnel.deploy.support;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.GZIPInputStream;

/**
 * A stand-in for market-service that speaks its chart contract: the package (gzip, digest in {@code
 * X-Runnel-Chart-Digest}) and the version's details with {@code valuesSchema}, served from the
 * fixture repository {@code ../shared/fixtures/helm-repo}. Requests without a bearer token get 401,
 * as the market would answer. Version {@code 0.0.0-tampered} of any chart is the real package
 * announced with a wrong digest.
 */
public final class FixtureMarket implements AutoCloseable {
  private static final Pattern PATH =
      Pattern.compile("/api/market/v1/apps/([^/]+)/([^/]+)/versions/([^/]+)(/package)?");
  private final HttpServer server;
  private final Path repo;
  private final List<String> authorizations = new CopyOnWriteArrayList<>();

  private FixtureMarket(HttpServer server, Path repo) {
    this.server = server;
    this.repo = repo;
  }

  public static FixtureMarket start(Path helmRepo) throws IOException {
    HttpServer server =
        HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    FixtureMarket market = new FixtureMarket(server, helmRepo);
    server.createContext("/", market::handle);
    server.start();
    return market;
  }

  public String url() {
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  /** The Authorization headers the market saw. */
  public List<String> authorizations() {
    return authorizations;
  }

  private void handle(HttpExchange exchange) throws IOException {
    String auth = exchange.getRequestHeaders().getFirst("Authorization");
    if (auth == null || !auth.startsWith("Bearer ")) {
      send(exchange, 401, "application/problem+json", "{\"status\":401}".getBytes());
      return;
    }
    authorizations.add(auth);
    Matcher m = PATH.matcher(exchange.getRequestURI().getPath());
    if (!m.matches()) {
      send(exchange, 404, "application/problem+json", "{\"status\":404}".getBytes());
      return;
    }
    String chart = m.group(2);
    String version = m.group(3);
    boolean tampered = version.equals("0.0.0-tampered");
    Path file =
        tampered
            ? Files.list(repo)
                .filter(p -> p.getFileName().toString().startsWith(chart + "-"))
                .findFirst()
                .orElse(repo.resolve("missing.tgz"))
            : repo.resolve(chart + "-" + version + ".tgz");
    if (!Files.isRegularFile(file)) {
      send(exchange, 404, "application/problem+json", "{\"status\":404}".getBytes());
      return;
    }
    byte[] bytes = Files.readAllBytes(file);
    if (m.group(4) != null) {
      String digest = "sha256:" + sha256(tampered ? "other".getBytes() : bytes);
      exchange.getResponseHeaders().add("X-Runnel-Chart-Digest", digest);
      send(exchange, 200, "application/gzip", bytes);
      return;
    }
    String schema = entry(bytes, chart + "/values.schema.json");
    String json =
        "{\"name\":\""
            + chart
            + "\",\"version\":\""
            + version
            + "\""
            + (schema == null ? "" : ",\"valuesSchema\":" + schema)
            + "}";
    send(exchange, 200, "application/json", json.getBytes(StandardCharsets.UTF_8));
  }

  /** A file of a .tgz, read with the JDK only (ustar names, regular files). */
  static String entry(byte[] tgz, String name) throws IOException {
    try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(tgz))) {
      byte[] header = new byte[512];
      while (in.readNBytes(header, 0, 512) == 512) {
        String entry = new String(header, 0, 100, StandardCharsets.UTF_8).replace("\0", "");
        if (entry.isEmpty()) {
          return null;
        }
        String sizeText =
            new String(header, 124, 12, StandardCharsets.US_ASCII).replace("\0", "").trim();
        long size = sizeText.isEmpty() ? 0 : Long.parseLong(sizeText, 8);
        byte[] data = in.readNBytes((int) size);
        in.skipNBytes((512 - size % 512) % 512);
        if (entry.equals(name)) {
          return new String(data, StandardCharsets.UTF_8);
        }
      }
      return null;
    }
  }

  private static void send(HttpExchange exchange, int status, String type, byte[] body)
      throws IOException {
    exchange.getResponseHeaders().add("Content-Type", type);
    exchange.sendResponseHeaders(status, body.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(body);
    }
  }

  private static String sha256(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
