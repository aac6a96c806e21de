package dev.runnel.sandbox.server;

import io.fabric8.mockwebserver.http.MockResponse;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * {@code /version}, the root path list and the health endpoints. The version reads like K3s's
 * ({@code v1.31.4+k3s1}) so that Helm's capability checks and client version gates behave as
 * against K3s; {@code gitCommit} and {@code gitTreeState} say that it is simulated.
 */
public final class VersionHandler implements RouteHandler {

  private static final Pattern VERSION = Pattern.compile("v(\\d+)\\.(\\d+)\\.(\\d+).*");

  private final String gitVersion;
  private final String major;
  private final String minor;

  public VersionHandler(String gitVersion) {
    Matcher m = VERSION.matcher(gitVersion);
    if (!m.matches()) {
      throw new IllegalArgumentException("not a Kubernetes version: " + gitVersion);
    }
    this.gitVersion = gitVersion;
    this.major = m.group(1);
    this.minor = m.group(2);
  }

  @Override
  public Optional<MockResponse> handle(SandboxRequest request) {
    if (!request.method().equals("GET")) {
      return Optional.empty();
    }
    if (request.path().startsWith("/openapi")) {
      // No OpenAPI documents: clients fall back or skip schema validation (kubectl:
      // --validate=false).
      return Optional.of(
          Responses.status(
              404, "NotFound", "the simulated server does not serve OpenAPI documents"));
    }
    return switch (request.path()) {
      case "/version" -> Optional.of(Responses.json(200, version()));
      case "/healthz", "/readyz", "/livez" -> Optional.of(Responses.text(200, "ok"));
      case "/", "" -> Optional.of(Responses.json(200, rootPaths()));
      default -> Optional.empty();
    };
  }

  private ObjectNode version() {
    ObjectNode v = Responses.mapper().createObjectNode();
    v.put("major", major);
    v.put("minor", minor);
    v.put("gitVersion", gitVersion);
    v.put("gitCommit", "runnel-kube-sandbox");
    v.put("gitTreeState", "simulated");
    v.put("buildDate", "2024-12-14T00:00:00Z");
    v.put("goVersion", "go1.22.9");
    v.put("compiler", "gc");
    v.put("platform", "linux/amd64");
    return v;
  }

  private static ObjectNode rootPaths() {
    ObjectNode root = Responses.mapper().createObjectNode();
    ArrayNode paths = root.putArray("paths");
    for (String p : new String[] {"/api", "/api/v1", "/apis", "/healthz", "/version"}) {
      paths.add(p);
    }
    return root;
  }
}
