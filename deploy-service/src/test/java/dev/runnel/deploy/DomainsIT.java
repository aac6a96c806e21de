package dev.runnel.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.runnel.testkit.EventSchemas;
import dev.runnel.testkit.TestKafka;
import dev.runnel.testkit.TestTokens;
import dev.runnel.testkit.TopicRecorder;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinitionBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.api.model.networking.v1.IngressBuilder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.http.MediaType;
import org.springframework.security.crypto.bcrypt.BCryptPasswordEncoder;

/**
 * Custom domains and access rules on the sandbox: an Ingress with class traefik, its rule and TLS;
 * bad input refused with nothing applied; access rules as ingress-nginx annotations without
 * Traefik's Middleware CRD and as Middlewares with it; a host held once per cluster; domains kept
 * across an upgrade and removed with their domain or instance; team scope; events.
 */
class DomainsIT extends DeployOnSandbox {
  static final String TEAM = "team-dom";
  static TopicRecorder events;

  @BeforeAll
  static void recordEvents() {
    events = new TopicRecorder(TestKafka.get().bootstrapServers(), "runnel.deploy");
  }

  @AfterAll
  static void stopRecording() {
    if (events != null) {
      events.close();
    }
  }

  static String member() {
    return TestTokens.get().user("dora").teamRole(TEAM, "team-member").mint();
  }

  @Test
  void aDomainIsAnIngressWithRulesThatSurviveAnUpgradeAndGoWithTheDomain() {
    String name = "shop-" + shortId();
    String id = installed(name);
    String host = name + ".example.com";
    String domains = "/api/deploy/v1/instances/" + id + "/domains";
    sandbox
        .client()
        .secrets()
        .inNamespace(TEAM)
        .resource(
            new SecretBuilder()
                .withNewMetadata()
                .withName(name + "-tls")
                .endMetadata()
                .withType("kubernetes.io/tls")
                .addToStringData("tls.crt", "certificate")
                .addToStringData("tls.key", "key")
                .build())
        .create();

    // Refused before anything is applied.
    problem(domains, body("Shop.Example.com", name + "-nginx", "http", null), 400, "host");
    problem(domains, body("*.*.example.com", name + "-nginx", "http", null), 400, "host");
    problem(domains, body(host, name + "-nginx", "grpc", null), 400, "is not a port of Service");
    problem(domains, body(host, name + "-nginx", 8443, null), 400, "is not a port of Service");
    problem(domains, body(host, "kube-dns", 53, null), 400, "is not a Service of instance");
    problem(
        domains,
        body(host, name + "-nginx", "http", Map.of("secretName", "missing-tls")),
        400,
        "create the TLS Secret first");
    problem(
        domains,
        body(host, name + "-nginx", "http", Map.of("secretName", "a", "issuer", "b")),
        400,
        "not both");
    assertThat(domainIngresses(id)).as("nothing applied for refused domains").isEmpty();

    Map<String, Object> added =
        send(
            "POST",
            domains,
            body(host, name + "-nginx", "http", Map.of("secretName", name + "-tls")),
            201);
    assertThat(added.get("host")).isEqualTo(host);
    assertThat(added.get("ingressClass")).isEqualTo("traefik");

    Ingress ingress = domainIngresses(id).get(0);
    assertThat(ingress.getMetadata().getLabels())
        .containsEntry("app.kubernetes.io/managed-by", "runnel")
        .containsEntry("runnel.dev/instance", id);
    assertThat(ingress.getSpec().getIngressClassName()).isEqualTo("traefik");
    assertThat(ingress.getSpec().getRules().get(0).getHost()).isEqualTo(host);
    assertThat(
            ingress
                .getSpec()
                .getRules()
                .get(0)
                .getHttp()
                .getPaths()
                .get(0)
                .getBackend()
                .getService())
        .satisfies(
            s -> {
              assertThat(s.getName()).isEqualTo(name + "-nginx");
              assertThat(s.getPort().getName()).isEqualTo("http");
            });
    assertThat(ingress.getSpec().getTls().get(0).getSecretName()).isEqualTo(name + "-tls");
    assertThat(ingress.getSpec().getTls().get(0).getHosts()).containsExactly(host);

    await()
        .atMost(WAIT)
        .untilAsserted(
            () -> {
              Map<String, Object> item = list(id, member()).get(0);
              assertThat(item.get("status")).isEqualTo("ready");
              assertThat((List<?>) item.get("addresses")).isNotEmpty();
            });
    problem(domains, body(host, name + "-nginx", "http", null), 409, "already has the domain");

    // Access rules without Traefik's Middleware CRD: ingress-nginx annotations.
    Map<String, Object> rules =
        Map.of(
            "ipAllowList",
            List.of("10.0.0.0/8", "2001:db8::/32"),
            "basicAuth",
            List.of(Map.of("username", "ops", "password", "correct horse battery")),
            "wafProtected",
            true);
    String access = domains + "/" + host + "/access";
    Map<String, Object> changed = send("PUT", access, rules, 200);
    assertThat(changed.toString()).doesNotContain("correct horse", "$2y$");
    assertThat(changed.get("access"))
        .isEqualTo(
            Map.of(
                "ipAllowList",
                List.of("10.0.0.0/8", "2001:db8::/32"),
                "basicAuthUsers",
                List.of("ops"),
                "wafProtected",
                true,
                "rendering",
                "nginx-annotations"));
    Map<String, String> annotations = domainIngresses(id).get(0).getMetadata().getAnnotations();
    String authSecret = annotations.get("nginx.ingress.kubernetes.io/auth-secret");
    assertThat(annotations)
        .containsEntry(
            "nginx.ingress.kubernetes.io/whitelist-source-range", "10.0.0.0/8,2001:db8::/32")
        .containsEntry("nginx.ingress.kubernetes.io/auth-type", "basic")
        .containsKey("nginx.ingress.kubernetes.io/auth-realm")
        .doesNotContainKey("traefik.ingress.kubernetes.io/router.middlewares");
    String htpasswd = htpasswd(authSecret, "auth");
    assertThat(htpasswd).startsWith("ops:$2y$");
    assertThat(
            new BCryptPasswordEncoder()
                .matches("correct horse battery", htpasswd.trim().substring("ops:".length())))
        .isTrue();

    problem(access, Map.of("ipAllowList", List.of("10.0.0.0/33")), 400, "ipAllowList[0]", "PUT");
    problem(access, Map.of("ipAllowList", List.of("example.com")), 400, "ipAllowList[0]", "PUT");
    problem(
        access,
        Map.of("basicAuth", List.of(Map.of("username", "new"))),
        400,
        "basicAuth[0].password",
        "PUT");
    problem(
        access,
        Map.of("basicAuth", List.of(Map.of("username", "a:b", "password", "x"))),
        400,
        "basicAuth[0].username",
        "PUT");
    assertThat(domainIngresses(id).get(0).getMetadata().getAnnotations())
        .as("refused rules change nothing")
        .isEqualTo(annotations);

    // With the CRD: Middlewares referenced from the Ingress; a user without password keeps it.
    CustomResourceDefinition crd = sandbox.client().resource(middlewareCrd()).create();
    try {
      Map<String, Object> traefik =
          send(
              "PUT",
              access,
              Map.of(
                  "ipAllowList", List.of("192.0.2.0/24"),
                  "basicAuth", List.of(Map.of("username", "ops"))),
              200);
      assertThat(((Map<?, ?>) traefik.get("access")).get("rendering"))
          .isEqualTo("traefik-middleware");
      assertThat(((Map<?, ?>) traefik.get("access")).get("wafProtected")).isEqualTo(false);
      List<GenericKubernetesResource> middlewares = middlewares(id);
      assertThat(middlewares).hasSize(2);
      GenericKubernetesResource allow =
          middlewares.stream()
              .filter(m -> m.getMetadata().getName().endsWith("-allow"))
              .findFirst()
              .orElseThrow();
      assertThat(allow.getAdditionalProperties().get("spec").toString()).contains("192.0.2.0/24");
      assertThat(allow.getMetadata().getLabels()).containsEntry("runnel.dev/instance", id);
      Map<String, String> now = domainIngresses(id).get(0).getMetadata().getAnnotations();
      assertThat(now.get("traefik.ingress.kubernetes.io/router.middlewares"))
          .isEqualTo(
              middlewares.stream()
                  .map(m -> TEAM + "-" + m.getMetadata().getName() + "@kubernetescrd")
                  .sorted()
                  .reduce((a, b) -> a + "," + b)
                  .orElseThrow());
      assertThat(now)
          .doesNotContainKeys(
              "nginx.ingress.kubernetes.io/whitelist-source-range",
              "nginx.ingress.kubernetes.io/auth-type");
      assertThat(htpasswd(authSecret, "users")).isEqualTo(htpasswd);

      // Dropping basic auth prunes its Middleware and Secret.
      send("PUT", access, Map.of("ipAllowList", List.of("192.0.2.0/24")), 200);
      assertThat(middlewares(id))
          .extracting(m -> m.getMetadata().getName())
          .singleElement()
          .satisfies(n -> assertThat(n).endsWith("-allow"));
      assertThat(sandbox.client().secrets().inNamespace(TEAM).withName(authSecret).get()).isNull();

      // Team scope: a viewer reads and may not change; another team does not see the instance.
      String viewer = TestTokens.get().user("vic").teamRole(TEAM, "team-viewer").mint();
      assertThat(list(id, viewer)).hasSize(1);
      web.put()
          .uri(access)
          .headers(h -> h.setBearerAuth(viewer))
          .bodyValue(Map.of())
          .exchange()
          .expectStatus()
          .isForbidden();
      String stranger = TestTokens.get().user("sam").teamRole("team-far", "team-admin").mint();
      web.get()
          .uri(domains)
          .headers(h -> h.setBearerAuth(stranger))
          .exchange()
          .expectStatus()
          .isNotFound();
      web.delete()
          .uri(domains + "/" + host)
          .headers(h -> h.setBearerAuth(stranger))
          .exchange()
          .expectStatus()
          .isNotFound();

      // An upgrade neither prunes nor changes the domain's objects.
      Map<String, Object> upgrade =
          send(
              "POST",
              "/api/deploy/v1/instances/" + id + "/upgrade",
              Map.of("values", Map.of("replicaCount", 2)),
              202);
      assertThat(awaitFinished((String) upgrade.get("id"), member()).get("status"))
          .isEqualTo("succeeded");
      assertThat(domainIngresses(id)).hasSize(1);
      assertThat(middlewares(id)).hasSize(1);

      web.delete()
          .uri(domains + "/" + host)
          .headers(h -> h.setBearerAuth(member()))
          .exchange()
          .expectStatus()
          .isNoContent();
      assertThat(domainIngresses(id)).isEmpty();
      assertThat(middlewares(id)).isEmpty();
      assertThat(list(id, member())).isEmpty();
    } finally {
      sandbox.client().resource(crd).delete();
    }

    for (String type :
        List.of(
            "runnel.deploy.instance.domain-added.v1",
            "runnel.deploy.instance.access-rules-changed.v1",
            "runnel.deploy.instance.domain-removed.v1")) {
      TopicRecorder.Message m =
          events.await(e -> id.equals(e.subject()) && e.type().equals(type), WAIT);
      assertThat(m.header("ce_team")).isEqualTo(TEAM);
      assertThat(m.value()).contains("\"host\":\"" + host + "\"").doesNotContain("$2y$");
      EventSchemas.assertValid(m.type(), m.value());
    }
  }

  @Test
  void aHostIsHeldOncePerClusterAndFreedWithItsInstance() {
    String first = "one-" + shortId();
    String second = "two-" + shortId();
    String firstId = installed(first);
    String secondId = installed(second);
    String host = first + ".example.org";

    // An Ingress Runnel does not manage, in another namespace, holds a host too.
    String foreignHost = "old-" + shortId() + ".example.org";
    Ingress foreign =
        new IngressBuilder()
            .withNewMetadata()
            .withName("legacy")
            .withNamespace("default")
            .endMetadata()
            .withNewSpec()
            .addNewRule()
            .withHost(foreignHost)
            .endRule()
            .endSpec()
            .build();
    sandbox.client().resource(foreign).create();
    String member = member();
    web.post()
        .uri("/api/deploy/v1/instances/{id}/domains", firstId)
        .headers(h -> h.setBearerAuth(member))
        .bodyValue(body(foreignHost, first + "-nginx", 80, null))
        .exchange()
        .expectStatus()
        .isEqualTo(409)
        .expectBody()
        .jsonPath("$.detail")
        .value(
            d ->
                assertThat((String) d)
                    .contains("already in use")
                    .as("a team member is not told where")
                    .doesNotContain("default", "legacy", "Ingress"));
    web.post()
        .uri("/api/deploy/v1/instances/{id}/domains", firstId)
        .headers(h -> h.setBearerAuth(TestTokens.get().admin()))
        .bodyValue(body(foreignHost, first + "-nginx", 80, null))
        .exchange()
        .expectStatus()
        .isEqualTo(409)
        .expectBody()
        .jsonPath("$.detail")
        .value(d -> assertThat((String) d).contains("Ingress default/legacy"));

    send(
        "POST",
        "/api/deploy/v1/instances/" + firstId + "/domains",
        body(host, first + "-nginx", 80, null),
        201);
    web.post()
        .uri("/api/deploy/v1/instances/{id}/domains", secondId)
        .headers(h -> h.setBearerAuth(member))
        .bodyValue(body(host, second + "-nginx", 80, null))
        .exchange()
        .expectStatus()
        .isEqualTo(409)
        .expectHeader()
        .contentType(MediaType.APPLICATION_PROBLEM_JSON)
        .expectBody()
        .jsonPath("$.detail")
        .value(d -> assertThat((String) d).contains("instance '" + first + "'", firstId));
    assertThat(domainIngresses(secondId)).isEmpty();

    Map<String, Object> deleted =
        web.delete()
            .uri("/api/deploy/v1/instances/{id}", firstId)
            .headers(h -> h.setBearerAuth(member))
            .exchange()
            .expectStatus()
            .isAccepted()
            .expectBody(new ParameterizedTypeReference<Map<String, Object>>() {})
            .returnResult()
            .getResponseBody();
    Map<String, Object> done = awaitFinished((String) deleted.get("id"), member);
    assertThat(done.get("status")).isEqualTo("succeeded");
    assertThat(done.get("log").toString()).contains("removed 1 custom domain");
    assertThat(domainIngresses(firstId)).isEmpty();
    TopicRecorder.Message removed =
        events.await(
            e ->
                firstId.equals(e.subject())
                    && e.type().equals("runnel.deploy.instance.domain-removed.v1"),
            WAIT);
    assertThat(removed.value()).contains("\"reason\":\"instance-deleted\"");
    EventSchemas.assertValid(removed.type(), removed.value());

    send(
        "POST",
        "/api/deploy/v1/instances/" + secondId + "/domains",
        body(host, second + "-nginx", 80, null),
        201);
    assertThat(domainIngresses(secondId)).hasSize(1);
  }

  // ---------------------------------------------------------------- helpers

  private static Map<String, Object> body(
      String host, String service, Object port, Map<String, String> tls) {
    Map<String, Object> body = new HashMap<>();
    body.put("host", host);
    body.put("service", service);
    body.put("port", port);
    if (tls != null) {
      body.put("tls", tls);
    }
    return body;
  }

  private static List<Ingress> domainIngresses(String instanceId) {
    return sandbox
        .client()
        .network()
        .v1()
        .ingresses()
        .inNamespace(TEAM)
        .withLabel("runnel.dev/instance", instanceId)
        .withLabel("runnel.dev/domain")
        .list()
        .getItems();
  }

  private static List<GenericKubernetesResource> middlewares(String instanceId) {
    return sandbox
        .client()
        .genericKubernetesResources("traefik.io/v1alpha1", "Middleware")
        .inNamespace(TEAM)
        .withLabel("runnel.dev/instance", instanceId)
        .list()
        .getItems()
        .stream()
        .sorted(java.util.Comparator.comparing(m -> m.getMetadata().getName()))
        .toList();
  }

  private static String htpasswd(String secret, String key) {
    String data =
        sandbox.client().secrets().inNamespace(TEAM).withName(secret).get().getData().get(key);
    return new String(Base64.getDecoder().decode(data), StandardCharsets.UTF_8);
  }

  private static CustomResourceDefinition middlewareCrd() {
    return new CustomResourceDefinitionBuilder()
        .withNewMetadata()
        .withName("middlewares.traefik.io")
        .endMetadata()
        .withNewSpec()
        .withGroup("traefik.io")
        .withScope("Namespaced")
        .withNewNames()
        .withKind("Middleware")
        .withPlural("middlewares")
        .withSingular("middleware")
        .withListKind("MiddlewareList")
        .endNames()
        .addNewVersion()
        .withName("v1alpha1")
        .withServed(true)
        .withStorage(true)
        .withNewSchema()
        .withNewOpenAPIV3Schema()
        .withType("object")
        .withXKubernetesPreserveUnknownFields(true)
        .endOpenAPIV3Schema()
        .endSchema()
        .endVersion()
        .endSpec()
        .build();
  }

  private List<Map<String, Object>> list(String id, String token) {
    Map<String, Object> page =
        web.get()
            .uri("/api/deploy/v1/instances/{id}/domains", id)
            .headers(h -> h.setBearerAuth(token))
            .exchange()
            .expectStatus()
            .isOk()
            .expectBody(new ParameterizedTypeReference<Map<String, Object>>() {})
            .returnResult()
            .getResponseBody();
    @SuppressWarnings("unchecked")
    List<Map<String, Object>> items = (List<Map<String, Object>>) page.get("items");
    return items;
  }

  private void problem(String uri, Map<String, Object> body, int status, String mention) {
    problem(uri, body, status, mention, "POST");
  }

  private void problem(
      String uri, Map<String, Object> body, int status, String mention, String method) {
    web.method(org.springframework.http.HttpMethod.valueOf(method))
        .uri(uri)
        .headers(h -> h.setBearerAuth(member()))
        .bodyValue(body)
        .exchange()
        .expectStatus()
        .isEqualTo(status)
        .expectHeader()
        .contentType(MediaType.APPLICATION_PROBLEM_JSON)
        .expectBody()
        .jsonPath("$.detail")
        .value(d -> assertThat((String) d).contains(mention));
  }

  private Map<String, Object> send(
      String method, String uri, Map<String, Object> body, int status) {
    return web.method(org.springframework.http.HttpMethod.valueOf(method))
        .uri(uri)
        .headers(h -> h.setBearerAuth(member()))
        .bodyValue(body)
        .exchange()
        .expectStatus()
        .isEqualTo(status)
        .expectBody(new ParameterizedTypeReference<Map<String, Object>>() {})
        .returnResult()
        .getResponseBody();
  }

  private String installed(String name) {
    Map<String, Object> install = new HashMap<>();
    install.put("cluster", cluster);
    install.put("namespace", TEAM);
    install.put("team", TEAM);
    install.put("name", name);
    install.put("repository", "fixtures");
    install.put("chart", "nginx");
    install.put("version", "22.1.1");
    Map<String, Object> op = send("POST", "/api/deploy/v1/instances", install, 202);
    Map<String, Object> done = awaitFinished((String) op.get("id"), member());
    assertThat(done.get("status")).as("install %s", done).isEqualTo("succeeded");
    return (String) op.get("instanceId");
  }
}
