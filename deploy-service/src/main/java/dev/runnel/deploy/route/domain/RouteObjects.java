package dev.runnel.deploy.route.domain;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The Kubernetes objects one domain is made of, as plain maps ready for server-side apply: the
 * Ingress, and for access rules either Traefik {@code Middleware}s (referenced from the Ingress
 * through {@code traefik.ingress.kubernetes.io/router.middlewares}) or ingress-nginx annotations,
 * plus the htpasswd Secret basic auth reads. Every object carries the instance's labels and {@value
 * #DOMAIN_LABEL}, so a domain's objects are found, pruned and deleted by label; none of them is in
 * a revision's manifest, so an upgrade's or rollback's prune never touches them.
 */
public final class RouteObjects {
  public static final String MANAGED_BY = "app.kubernetes.io/managed-by";
  public static final String INSTANCE = "runnel.dev/instance";
  public static final String DOMAIN_LABEL = "runnel.dev/domain";
  public static final String MIDDLEWARE_API = "traefik.io/v1alpha1";
  public static final String MIDDLEWARES_ANNOTATION =
      "traefik.ingress.kubernetes.io/router.middlewares";
  public static final String NGINX_ALLOWLIST = "nginx.ingress.kubernetes.io/whitelist-source-range";
  public static final String NGINX_AUTH_TYPE = "nginx.ingress.kubernetes.io/auth-type";
  public static final String NGINX_AUTH_SECRET = "nginx.ingress.kubernetes.io/auth-secret";
  public static final String NGINX_AUTH_REALM = "nginx.ingress.kubernetes.io/auth-realm";
  public static final String REALM = "Authentication required";

  private RouteObjects() {}

  /** The names of one domain's objects, derived from the instance and a digest of the host. */
  public record Names(String key, String ingress, String allowList, String basicAuth, String tls) {}

  /** Ten hex digits of the host's SHA-256: a label value and a name part for any host. */
  public static String key(String host) {
    try {
      byte[] digest =
          MessageDigest.getInstance("SHA-256").digest(host.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(digest).substring(0, 10);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every JVM", e);
    }
  }

  public static Names names(String instanceName, String host) {
    String key = key(host);
    String base = instanceName + "-domain-" + key;
    return new Names(key, base, base + "-allow", base + "-auth", base + "-tls");
  }

  /** Objects in apply order: the Secret, the Middlewares, then the Ingress that uses them. */
  public static List<Map<String, Object>> build(
      Domain d, String instanceName, Rendering rendering) {
    Names n = names(instanceName, d.host());
    AccessRules rules = d.access();
    List<Map<String, Object>> objects = new ArrayList<>();
    Map<String, Object> annotations = new LinkedHashMap<>();
    if (rules.requiresLogin()) {
      objects.add(htpasswdSecret(d, n));
    }
    if (rendering == Rendering.TRAEFIK_MIDDLEWARE) {
      List<String> refs = new ArrayList<>();
      if (rules.restrictsSources()) {
        objects.add(
            middleware(
                d,
                n,
                n.allowList(),
                Map.of("ipAllowList", Map.of("sourceRange", rules.ipAllowList()))));
        refs.add(d.namespace() + "-" + n.allowList() + "@kubernetescrd");
      }
      if (rules.requiresLogin()) {
        objects.add(
            middleware(
                d,
                n,
                n.basicAuth(),
                Map.of("basicAuth", Map.of("secret", n.basicAuth(), "realm", REALM))));
        refs.add(d.namespace() + "-" + n.basicAuth() + "@kubernetescrd");
      }
      if (!refs.isEmpty()) {
        annotations.put(MIDDLEWARES_ANNOTATION, String.join(",", refs));
      }
    } else {
      if (rules.restrictsSources()) {
        annotations.put(NGINX_ALLOWLIST, String.join(",", rules.ipAllowList()));
      }
      if (rules.requiresLogin()) {
        annotations.put(NGINX_AUTH_TYPE, "basic");
        annotations.put(NGINX_AUTH_SECRET, n.basicAuth());
        annotations.put(NGINX_AUTH_REALM, REALM);
      }
    }
    objects.add(ingress(d, n, annotations));
    return objects;
  }

  /** The {@code apiVersion|kind|name} of each object {@link #build} makes, to prune the rest. */
  public static List<String> refs(List<Map<String, Object>> objects) {
    List<String> refs = new ArrayList<>();
    for (Map<String, Object> o : objects) {
      @SuppressWarnings("unchecked")
      Map<String, Object> md = (Map<String, Object>) o.get("metadata");
      refs.add(o.get("apiVersion") + "|" + o.get("kind") + "|" + md.get("name"));
    }
    return refs;
  }

  /**
   * The htpasswd file, under both keys the controllers read: {@code users} (Traefik basicAuth) and
   * {@code auth} (ingress-nginx auth-file), so switching controllers needs no new Secret.
   */
  static Map<String, Object> htpasswdSecret(Domain d, Names n) {
    StringBuilder file = new StringBuilder();
    for (BasicAuthUser u : d.access().basicAuth()) {
      file.append(u.username()).append(':').append(u.hash()).append('\n');
    }
    String encoded =
        Base64.getEncoder().encodeToString(file.toString().getBytes(StandardCharsets.UTF_8));
    Map<String, Object> data = new LinkedHashMap<>();
    data.put("users", encoded);
    data.put("auth", encoded);
    Map<String, Object> secret = object("v1", "Secret", d, n, n.basicAuth(), Map.of());
    secret.put("type", "Opaque");
    secret.put("data", data);
    return secret;
  }

  static Map<String, Object> middleware(Domain d, Names n, String name, Map<String, Object> spec) {
    Map<String, Object> m = object(MIDDLEWARE_API, "Middleware", d, n, name, Map.of());
    m.put("spec", spec);
    return m;
  }

  static Map<String, Object> ingress(Domain d, Names n, Map<String, Object> annotations) {
    Map<String, Object> all = new LinkedHashMap<>(annotations);
    String tlsSecret = null;
    switch (d.tls().mode()) {
      case SECRET -> tlsSecret = d.tls().secretName();
      case ISSUER -> {
        tlsSecret = n.tls();
        all.put(
            Tls.ISSUER.equals(d.tls().issuerKind())
                ? "cert-manager.io/issuer"
                : "cert-manager.io/cluster-issuer",
            d.tls().issuer());
      }
      case NONE -> {}
    }
    Map<String, Object> port =
        KubeNames.isNumber(d.port())
            ? Map.of("number", Integer.parseInt(d.port()))
            : Map.of("name", d.port());
    Map<String, Object> path =
        Map.of(
            "path",
            "/",
            "pathType",
            "Prefix",
            "backend",
            Map.of("service", Map.of("name", d.service(), "port", port)));
    Map<String, Object> spec = new LinkedHashMap<>();
    spec.put("ingressClassName", d.ingressClass());
    spec.put("rules", List.of(Map.of("host", d.host(), "http", Map.of("paths", List.of(path)))));
    if (tlsSecret != null) {
      spec.put("tls", List.of(Map.of("hosts", List.of(d.host()), "secretName", tlsSecret)));
    }
    Map<String, Object> ingress = object("networking.k8s.io/v1", "Ingress", d, n, n.ingress(), all);
    ingress.put("spec", spec);
    return ingress;
  }

  private static Map<String, Object> object(
      String apiVersion,
      String kind,
      Domain d,
      Names n,
      String name,
      Map<String, Object> annotations) {
    Map<String, Object> labels = new LinkedHashMap<>();
    labels.put(MANAGED_BY, "runnel");
    labels.put(INSTANCE, d.instanceId().toString());
    labels.put(DOMAIN_LABEL, n.key());
    Map<String, Object> metadata = new LinkedHashMap<>();
    metadata.put("name", name);
    metadata.put("namespace", d.namespace());
    metadata.put("labels", labels);
    // Applied even when empty, so that server-side apply removes annotations dropped since.
    metadata.put("annotations", new LinkedHashMap<>(annotations));
    Map<String, Object> o = new LinkedHashMap<>();
    o.put("apiVersion", apiVersion);
    o.put("kind", kind);
    o.put("metadata", metadata);
    return o;
  }

  /** For tests and callers that only have an id. */
  public static String instanceLabel(UUID instanceId) {
    return INSTANCE + "=" + instanceId;
  }
}
