package dev.runnel.deploy.route.domain;

/**
 * How a domain gets its certificate: none, an existing Secret of the namespace, or a cert-manager
 * issuer ({@code ClusterIssuer} or {@code Issuer}) that fills a Secret named after the Ingress.
 */
public record Tls(Mode mode, String secretName, String issuer, String issuerKind) {
  public enum Mode {
    NONE,
    SECRET,
    ISSUER;

    public String label() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }
  }

  public static final String CLUSTER_ISSUER = "ClusterIssuer";
  public static final String ISSUER = "Issuer";
  public static final Tls NONE = new Tls(Mode.NONE, null, null, null);

  public static Tls secret(String name) {
    return new Tls(Mode.SECRET, KubeNames.subdomain("tls.secretName", name), null, null);
  }

  public static Tls issuer(String name, String kind) {
    String k = kind == null || kind.isEmpty() ? CLUSTER_ISSUER : kind;
    if (!k.equals(CLUSTER_ISSUER) && !k.equals(ISSUER)) {
      throw new InvalidRouteException("tls.issuerKind", "must be ClusterIssuer or Issuer");
    }
    return new Tls(Mode.ISSUER, null, KubeNames.subdomain("tls.issuer", name), k);
  }
}
