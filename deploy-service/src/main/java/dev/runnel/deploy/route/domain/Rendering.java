package dev.runnel.deploy.route.domain;

/** How access rules reach the ingress controller. */
public enum Rendering {
  /** Traefik {@code Middleware} objects referenced from the Ingress (the CRD exists). */
  TRAEFIK_MIDDLEWARE("traefik-middleware"),
  /** ingress-nginx annotations on the Ingress (no Traefik Middleware CRD, or class nginx). */
  NGINX_ANNOTATIONS("nginx-annotations");

  private final String label;

  Rendering(String label) {
    this.label = label;
  }

  public String label() {
    return label;
  }

  public static Rendering of(String label) {
    for (Rendering r : values()) {
      if (r.label.equals(label)) {
        return r;
      }
    }
    throw new IllegalArgumentException("unknown rendering " + label);
  }

  /**
   * Traefik Middleware when the CRD is on the cluster, unless the Ingress is explicitly for
   * ingress-nginx, whose controller would ignore Traefik's objects.
   */
  public static Rendering choose(boolean middlewareCrd, String ingressClass) {
    return middlewareCrd && !"nginx".equals(ingressClass) ? TRAEFIK_MIDDLEWARE : NGINX_ANNOTATIONS;
  }
}
