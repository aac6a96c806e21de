package dev.runnel.deploy.route.domain;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class RouteObjectsTest {
  static final UUID ID = UUID.fromString("00000000-0000-0000-0000-0000000000aa");
  static final String HASH = "$2y$10$abcdefghijklmnopqrstuuJ6n0o6G0G6VvN1oM3m3m3m3m3m3m3m";

  static Domain domain(Tls tls, AccessRules rules, String ingressClass) {
    Instant now = Instant.parse("2026-11-23T12:00:00Z");
    return new Domain(
        ID,
        "local",
        "team-a",
        "shop.example.com",
        "web-nginx",
        "http",
        tls,
        ingressClass,
        rules,
        Rendering.NGINX_ANNOTATIONS,
        now,
        now);
  }

  static final AccessRules BOTH =
      new AccessRules(
          List.of("10.0.0.0/8", "2001:db8::/32"), List.of(new BasicAuthUser("ops", HASH)), true);

  @Test
  void aDomainWithoutRulesIsOneIngressWithTheInstancesLabels() {
    List<Map<String, Object>> objects =
        RouteObjects.build(
            domain(Tls.secret("shop-tls"), AccessRules.NONE, "traefik"),
            "web",
            Rendering.TRAEFIK_MIDDLEWARE);
    assertThat(objects).hasSize(1);
    Map<String, Object> ingress = objects.get(0);
    assertThat(ingress).containsEntry("kind", "Ingress");
    assertThat(metadata(ingress).get("name"))
        .isEqualTo("web-domain-" + RouteObjects.key("shop.example.com"));
    assertThat(labels(ingress))
        .containsEntry("app.kubernetes.io/managed-by", "runnel")
        .containsEntry("runnel.dev/instance", ID.toString())
        .containsEntry("runnel.dev/domain", RouteObjects.key("shop.example.com"));
    assertThat(annotations(ingress)).isEmpty();
    Map<String, Object> spec = map(ingress.get("spec"));
    assertThat(spec.get("ingressClassName")).isEqualTo("traefik");
    assertThat(spec.get("tls"))
        .isEqualTo(List.of(Map.of("hosts", List.of("shop.example.com"), "secretName", "shop-tls")));
    Map<String, Object> rule = map(((List<?>) spec.get("rules")).get(0));
    assertThat(rule.get("host")).isEqualTo("shop.example.com");
    assertThat(rule.toString()).contains("name=web-nginx", "port={name=http}");
  }

  @Test
  void aNumberedPortAndACertManagerIssuer() {
    Domain d =
        new Domain(
            ID,
            "local",
            "team-a",
            "shop.example.com",
            "web-nginx",
            "8080",
            Tls.issuer("letsencrypt", null),
            "traefik",
            AccessRules.NONE,
            Rendering.NGINX_ANNOTATIONS,
            Instant.EPOCH,
            Instant.EPOCH);
    Map<String, Object> ingress = RouteObjects.build(d, "web", Rendering.NGINX_ANNOTATIONS).get(0);
    assertThat(annotations(ingress)).containsEntry("cert-manager.io/cluster-issuer", "letsencrypt");
    assertThat(map(ingress.get("spec")).toString())
        .contains(
            "port={number=8080}",
            "secretName=web-domain-" + RouteObjects.key("shop.example.com") + "-tls");
    Domain namespaced =
        new Domain(
            ID,
            "local",
            "team-a",
            "shop.example.com",
            "web-nginx",
            "80",
            Tls.issuer("team-ca", "Issuer"),
            "traefik",
            AccessRules.NONE,
            Rendering.NGINX_ANNOTATIONS,
            Instant.EPOCH,
            Instant.EPOCH);
    assertThat(
            annotations(RouteObjects.build(namespaced, "web", Rendering.NGINX_ANNOTATIONS).get(0)))
        .containsEntry("cert-manager.io/issuer", "team-ca")
        .doesNotContainKey("cert-manager.io/cluster-issuer");
  }

  @Test
  void withTraefikRulesBecomeMiddlewaresTheIngressReferences() {
    List<Map<String, Object>> objects =
        RouteObjects.build(domain(Tls.NONE, BOTH, "traefik"), "web", Rendering.TRAEFIK_MIDDLEWARE);
    String base = "web-domain-" + RouteObjects.key("shop.example.com");
    assertThat(objects)
        .extracting(o -> o.get("kind"))
        .containsExactly("Secret", "Middleware", "Middleware", "Ingress");
    Map<String, Object> allow = objects.get(1);
    assertThat(allow.get("apiVersion")).isEqualTo("traefik.io/v1alpha1");
    assertThat(metadata(allow).get("name")).isEqualTo(base + "-allow");
    assertThat(allow.get("spec"))
        .isEqualTo(
            Map.of("ipAllowList", Map.of("sourceRange", List.of("10.0.0.0/8", "2001:db8::/32"))));
    Map<String, Object> auth = objects.get(2);
    assertThat(auth.get("spec"))
        .isEqualTo(
            Map.of("basicAuth", Map.of("secret", base + "-auth", "realm", RouteObjects.REALM)));
    Map<String, Object> ingress = objects.get(3);
    assertThat(annotations(ingress))
        .containsEntry(
            "traefik.ingress.kubernetes.io/router.middlewares",
            "team-a-" + base + "-allow@kubernetescrd,team-a-" + base + "-auth@kubernetescrd")
        .doesNotContainKeys(RouteObjects.NGINX_ALLOWLIST, RouteObjects.NGINX_AUTH_TYPE);
    objects.forEach(o -> assertThat(labels(o)).containsEntry("runnel.dev/instance", ID.toString()));
  }

  @Test
  void withoutTraefikRulesBecomeIngressNginxAnnotations() {
    List<Map<String, Object>> objects =
        RouteObjects.build(domain(Tls.NONE, BOTH, "traefik"), "web", Rendering.NGINX_ANNOTATIONS);
    String base = "web-domain-" + RouteObjects.key("shop.example.com");
    assertThat(objects).extracting(o -> o.get("kind")).containsExactly("Secret", "Ingress");
    assertThat(annotations(objects.get(1)))
        .containsEntry(
            "nginx.ingress.kubernetes.io/whitelist-source-range", "10.0.0.0/8,2001:db8::/32")
        .containsEntry("nginx.ingress.kubernetes.io/auth-type", "basic")
        .containsEntry("nginx.ingress.kubernetes.io/auth-secret", base + "-auth")
        .containsEntry("nginx.ingress.kubernetes.io/auth-realm", RouteObjects.REALM)
        .doesNotContainKey(RouteObjects.MIDDLEWARES_ANNOTATION);
  }

  @Test
  void theHtpasswdSecretHoldsHashesUnderBothControllersKeys() {
    Map<String, Object> secret =
        RouteObjects.build(domain(Tls.NONE, BOTH, "traefik"), "web", Rendering.NGINX_ANNOTATIONS)
            .get(0);
    Map<String, Object> data = map(secret.get("data"));
    String file =
        new String(Base64.getDecoder().decode((String) data.get("auth")), StandardCharsets.UTF_8);
    assertThat(file).isEqualTo("ops:" + HASH + "\n");
    assertThat(data.get("users")).isEqualTo(data.get("auth"));
    assertThat(labels(secret))
        .containsEntry("runnel.dev/domain", RouteObjects.key("shop.example.com"));
  }

  @Test
  void theChoiceOfRendering() {
    assertThat(Rendering.choose(true, "traefik")).isEqualTo(Rendering.TRAEFIK_MIDDLEWARE);
    assertThat(Rendering.choose(false, "traefik")).isEqualTo(Rendering.NGINX_ANNOTATIONS);
    assertThat(Rendering.choose(true, "nginx")).isEqualTo(Rendering.NGINX_ANNOTATIONS);
  }

  @Test
  void namesAreStableAndDifferPerHost() {
    assertThat(RouteObjects.key("a.example.com"))
        .hasSize(10)
        .isEqualTo(RouteObjects.key("a.example.com"));
    assertThat(RouteObjects.key("a.example.com")).isNotEqualTo(RouteObjects.key("*.example.com"));
    assertThat(
            RouteObjects.refs(
                RouteObjects.build(
                    domain(Tls.NONE, BOTH, "traefik"), "web", Rendering.TRAEFIK_MIDDLEWARE)))
        .contains(
            "traefik.io/v1alpha1|Middleware|web-domain-"
                + RouteObjects.key("shop.example.com")
                + "-allow");
  }

  @SuppressWarnings("unchecked")
  static Map<String, Object> map(Object o) {
    return (Map<String, Object>) o;
  }

  static Map<String, Object> metadata(Map<String, Object> o) {
    return map(o.get("metadata"));
  }

  static Map<String, Object> labels(Map<String, Object> o) {
    return map(metadata(o).get("labels"));
  }

  static Map<String, Object> annotations(Map<String, Object> o) {
    return map(metadata(o).get("annotations"));
  }
}
