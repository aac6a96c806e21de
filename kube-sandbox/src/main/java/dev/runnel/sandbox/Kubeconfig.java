package dev.runnel.sandbox;

/** The kubeconfig that points kubectl, Helm or fabric8 at a running sandbox. */
final class Kubeconfig {

  /** Context, cluster and user name: says what this cluster is wherever a context is shown. */
  static final String NAME = "runnel-sandbox";

  /** The sandbox accepts any bearer token; this one only makes clients send one. */
  static final String TOKEN = "runnel-sandbox-simulated";

  private Kubeconfig() {}

  static String render(String baseUrl, String namespace) {
    return """
        apiVersion: v1
        kind: Config
        clusters:
        - name: %1$s
          cluster:
            server: %2$s
        users:
        - name: %1$s
          user:
            token: %3$s
        contexts:
        - name: %1$s
          context:
            cluster: %1$s
            user: %1$s
            namespace: %4$s
        current-context: %1$s
        preferences: {}
        """
        .formatted(NAME, baseUrl, TOKEN, namespace);
  }
}
