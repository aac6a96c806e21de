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
  private static final Pattern UPGRADE =
      Pattern.compile("/api/market/v1/apps/([^/]+)/([^/]+)/upgrade");
  private static final Pattern HEADING =
      Pattern.compile("^##\\s+\\[?v?(\\d+)\\.(\\d+)\\.(\\d+)\\]?.*$");
  private final HttpServer server;
  private final Path repo;
  private final Path published;
  private final List<String> authorizations = new CopyOnWriteArrayList<>();
  private volatile int upgradeInfoFailure;

  private FixtureMarket(HttpServer server, Path repo, Path published) {
    this.server = server;
    this.repo = repo;
    this.published = published;
  }

  public static FixtureMarket start(Path helmRepo) throws IOException {
    HttpServer server =
        HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    FixtureMarket market =
        new FixtureMarket(server, helmRepo, Files.createTempDirectory("fixture-market-"));
    server.createContext("/", market::handle);
    server.start();
    return market;
  }

  public String url() {
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  /** Serves {@code tgz} as version {@code version} of chart {@code chart}, next to the fixtures. */
  public void publish(String chart, String version, byte[] tgz) throws IOException {
    Files.write(published.resolve(chart + "-" + version + ".tgz"), tgz);
  }

  /**
   * From now on the upgrade information answers {@code status} (0: answers again), as a market that
   * is down or older than the endpoint would.
   */
  public void failUpgradeInformation(int status) {
    this.upgradeInfoFailure = status;
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
    Matcher u = UPGRADE.matcher(exchange.getRequestURI().getPath());
    if (u.matches()) {
      upgradeInformation(exchange, u.group(2));
      return;
    }
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
            : Files.isRegularFile(published.resolve(chart + "-" + version + ".tgz"))
                ? published.resolve(chart + "-" + version + ".tgz")
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

  /**
   * market-service's upgrade information, reduced to what deploy-service reads: the {@code
   * changelog} entries of the target version's CHANGELOG.md ({@code ## X.Y.Z} headings, {@code - }
   * bullets) for versions in (from, to]. Charts published through {@link #publish} only.
   */
  private void upgradeInformation(HttpExchange exchange, String chart) throws IOException {
    if (upgradeInfoFailure != 0) {
      send(exchange, upgradeInfoFailure, "application/problem+json", "{}".getBytes());
      return;
    }
    String query = exchange.getRequestURI().getQuery();
    String from = null;
    String to = null;
    for (String pair : query == null ? new String[0] : query.split("&")) {
      String[] kv = pair.split("=", 2);
      if (kv[0].equals("from")) {
        from = kv[1];
      } else if (kv[0].equals("to")) {
        to = kv[1];
      }
    }
    Path target = published.resolve(chart + "-" + to + ".tgz");
    if (from == null || to == null || !Files.isRegularFile(target)) {
      send(exchange, 404, "application/problem+json", "{\"status\":404}".getBytes());
      return;
    }
    String changelog = entry(Files.readAllBytes(target), chart + "/CHANGELOG.md");
    StringBuilder json = new StringBuilder("{\"changelog\":[");
    String version = null;
    boolean first = true;
    for (String line : changelog == null ? new String[0] : changelog.split("\n")) {
      Matcher h = HEADING.matcher(line);
      if (h.matches()) {
        version = h.group(1) + "." + h.group(2) + "." + h.group(3);
        continue;
      }
      if (version != null
          && line.startsWith("- ")
          && compare(version, from) > 0
          && compare(version, to) <= 0) {
        json.append(first ? "" : ",")
            .append("{\"version\":\"")
            .append(version)
            .append("\",\"kind\":null,\"description\":\"")
            .append(line.substring(2).strip().replace("\\", "\\\\").replace("\"", "\\\""))
            .append("\",\"links\":[]}");
        first = false;
      }
    }
    json.append("],\"valuesAdded\":[],\"valuesRemoved\":[]}");
    send(exchange, 200, "application/json", json.toString().getBytes(StandardCharsets.UTF_8));
  }

  /** X.Y.Z only: the versions of the charts tests publish. */
  private static int compare(String a, String b) {
    String[] x = a.split("\\.");
    String[] y = b.split("\\.");
    for (int i = 0; i < 3; i++) {
      int c = Integer.compare(Integer.parseInt(x[i]), Integer.parseInt(y[i]));
      if (c != 0) {
        return c;
      }
    }
    return 0;
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
    try (var files = Files.list(published)) {
      for (Path f : files.toList()) {
        Files.delete(f);
      }
      Files.delete(published);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
