package dev.runnel.sandbox.server;

import io.fabric8.mockwebserver.http.RecordedRequest;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/** An incoming request with its path and query already separated. */
public record SandboxRequest(
    String method,
    String path,
    Map<String, String> query,
    String contentType,
    String accept,
    boolean websocket,
    String body) {

  public static SandboxRequest of(RecordedRequest request) {
    return of(
        request.getMethod(),
        request.getPath(),
        request.getHeader("Content-Type"),
        request.getHeader("Accept"),
        request.getHeader("Upgrade"),
        request.getBody() == null ? "" : request.getUtf8Body());
  }

  /** From the parts of an HTTP request; {@code rawPath} includes the query string. */
  public static SandboxRequest of(
      String method,
      String rawPath,
      String contentType,
      String accept,
      String upgrade,
      String body) {
    String raw = rawPath;
    int q = raw.indexOf('?');
    String path = q < 0 ? raw : raw.substring(0, q);
    Map<String, String> query = new LinkedHashMap<>();
    if (q >= 0) {
      for (String pair : raw.substring(q + 1).split("&")) {
        if (pair.isEmpty()) {
          continue;
        }
        int eq = pair.indexOf('=');
        String key = eq < 0 ? pair : pair.substring(0, eq);
        String value = eq < 0 ? "" : pair.substring(eq + 1);
        query.put(
            URLDecoder.decode(key, StandardCharsets.UTF_8),
            URLDecoder.decode(value, StandardCharsets.UTF_8));
      }
    }
    return new SandboxRequest(
        method.toUpperCase(java.util.Locale.ROOT),
        path.length() > 1 && path.endsWith("/") ? path.substring(0, path.length() - 1) : path,
        query,
        contentType == null ? "" : contentType,
        accept == null ? "" : accept,
        upgrade != null && upgrade.toLowerCase(java.util.Locale.ROOT).contains("websocket"),
        body == null ? "" : body);
  }

  public Optional<ResourcePath> resourcePath() {
    return ResourcePath.parse(path);
  }

  public boolean flag(String name) {
    return "true".equalsIgnoreCase(query.get(name)) || "1".equals(query.get(name));
  }
}
