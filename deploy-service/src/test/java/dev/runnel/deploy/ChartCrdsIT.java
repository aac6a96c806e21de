package dev.runnel.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.runnel.deploy.support.TestCharts;
import dev.runnel.testkit.TestTokens;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import java.io.IOException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.springframework.core.ParameterizedTypeReference;

/**
 * Charts with a {@code crds/} folder, built in the test from {@code charts/widgets} of the test
 * resources: the CRDs are created before the templates and served before a custom resource of the
 * chart is applied; existing CRDs are never changed; only platform admins add CRDs to a cluster;
 * anything but a CRD in {@code crds/} refuses the chart. Also the upgrade dry run's changelog, with
 * the market answering and not. The first test runs first: it needs a cluster without the CRDs.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ChartCrdsIT extends DeployOnSandbox {
  static final String TEAM = "team-a";
  static final String WIDGETS = "widgets.test.runnel.dev";
  static final String GADGETS = "gadgets.test.runnel.dev";

  static final String GADGETS_CRD =
      """
      apiVersion: apiextensions.k8s.io/v1
      kind: CustomResourceDefinition
      metadata:
        name: gadgets.test.runnel.dev
      spec:
        group: test.runnel.dev
        scope: Namespaced
        names: {plural: gadgets, singular: gadget, kind: Gadget}
        versions:
          - name: v1
            served: true
            storage: true
            schema:
              openAPIV3Schema: {type: object, x-kubernetes-preserve-unknown-fields: true}
      """;

  /** 1.1.0 gives the Widget CRD a short name: an upgrade must not carry it to the cluster. */
  static final String WIDGETS_CRD_1_1 =
      """
      apiVersion: apiextensions.k8s.io/v1
      kind: CustomResourceDefinition
      metadata:
        name: widgets.test.runnel.dev
      spec:
        group: test.runnel.dev
        scope: Namespaced
        names: {plural: widgets, singular: widget, kind: Widget, shortNames: [wg]}
        versions:
          - name: v1
            served: true
            storage: true
            schema:
              openAPIV3Schema: {type: object, x-kubernetes-preserve-unknown-fields: true}
      """;

  @BeforeAll
  static void publishCharts() throws IOException {
    var dir = TestCharts.directory("widgets");
    market.publish("widgets", "1.0.0", TestCharts.pack(dir, "widgets", "1.0.0", Map.of()));
    market.publish(
        "widgets",
        "1.1.0",
        TestCharts.pack(
            dir,
            "widgets",
            "1.1.0",
            Map.of(
                "crds/widgets.yaml", WIDGETS_CRD_1_1,
                "crds/gadgets.yaml", GADGETS_CRD,
                "templates/gadget.yaml",
                    """
                    apiVersion: test.runnel.dev/v1
                    kind: Gadget
                    metadata:
                      name: {{ .Release.Name }}-gadget
                    spec:
                      widget: {{ .Release.Name }}-widget
                    """)));
    market.publish(
        "clusterwide",
        "1.0.0",
        TestCharts.pack(
            dir,
            "clusterwide",
            "1.0.0",
            Map.of(
                "templates/binding.yaml",
                """
                apiVersion: rbac.authorization.k8s.io/v1
                kind: ClusterRoleBinding
                metadata:
                  name: {{ .Release.Name }}-admin
                  namespace: {{ .Release.Namespace }}
                roleRef:
                  apiGroup: rbac.authorization.k8s.io
                  kind: ClusterRole
                  name: cluster-admin
                subjects:
                  - kind: ServiceAccount
                    name: default
                    namespace: {{ .Release.Namespace }}
                """)));
    market.publish(
        "bolts",
        "1.0.0",
        TestCharts.pack(
            dir,
            "bolts",
            "1.0.0",
            Map.of(
                "crds/widgets.yaml",
                GADGETS_CRD
                    .replace("gadgets.test.runnel.dev", "bolts.bad.runnel.dev")
                    .replace("test.runnel.dev", "bad.runnel.dev")
                    .replace("gadget", "bolt")
                    .replace("Gadget", "Bolt"),
                "crds/zz-deployment.yaml",
                """
                apiVersion: apps/v1
                kind: Deployment
                metadata:
                  name: sneaky
                  namespace: kube-system
                spec:
                  selector: {matchLabels: {app: sneaky}}
                  template:
                    metadata: {labels: {app: sneaky}}
                    spec:
                      containers: [{name: c, image: docker.io/library/busybox}]
                """)));
  }

  @Test
  @Order(2) // the chart is built on widgets, whose CRD the first test creates
  void aTeamMemberCannotInstallAChartThatCreatesClusterScopedObjects() {
    String name = "cw-" + shortId();
    Map<String, Object> refused =
        post(member(), "/api/deploy/v1/instances", installBody(name, "clusterwide", "1.0.0"), 403);
    assertThat((String) refused.get("detail"))
        .contains("ClusterRoleBinding/" + name + "-admin", "cluster-wide", "platform-admin");
    assertThat(sandbox.client().rbac().clusterRoleBindings().withName(name + "-admin").get())
        .as("a refused install applies nothing")
        .isNull();

    Map<String, Object> op =
        post(admin(), "/api/deploy/v1/instances", installBody(name, "clusterwide", "1.0.0"), 202);
    Map<String, Object> done = awaitFinished((String) op.get("id"), admin());
    assertThat(done.get("status")).as("admin install %s", done).isEqualTo("succeeded");
    assertThat(sandbox.client().rbac().clusterRoleBindings().withName(name + "-admin").get())
        .isNotNull();
  }

  static String member() {
    return TestTokens.get().user("carol").teamRole(TEAM, "team-member").mint();
  }

  static String admin() {
    return TestTokens.get().admin();
  }

  @Test
  @Order(1)
  void crdsComeFirstAreServedBeforeTheTemplatesAndAreNeverChangedOrDeleted() {
    String first = "wid-" + shortId();
    // A team member cannot be the one who adds a cluster-wide kind.
    Map<String, Object> refused =
        post(member(), "/api/deploy/v1/instances", installBody(first, "widgets", "1.0.0"), 403);
    assertThat((String) refused.get("detail")).contains(WIDGETS, "platform-admin");
    assertThat(crd(WIDGETS)).as("a refused install applies nothing").isNull();

    Map<String, Object> op =
        post(admin(), "/api/deploy/v1/instances", installBody(first, "widgets", "1.0.0"), 202);
    String firstId = (String) op.get("instanceId");
    Map<String, Object> done = awaitFinished((String) op.get("id"), admin());
    assertThat(done.get("status")).as("install outcome %s", done).isEqualTo("succeeded");
    assertThat(done.get("steps").toString())
        .contains("Create missing CustomResourceDefinitions (1)");
    assertThat(done.get("log").toString())
        .contains("created CustomResourceDefinition/" + WIDGETS)
        .contains("CustomResourceDefinition/" + WIDGETS + " is served (v1)");
    CustomResourceDefinition widgets = crd(WIDGETS);
    assertThat(widgets.getMetadata().getLabels())
        .containsEntry("app.kubernetes.io/managed-by", "runnel")
        .containsEntry("runnel.dev/instance", firstId);
    GenericKubernetesResource widget = custom("Widget", first + "-widget");
    assertThat(widget).as("the template's custom resource").isNotNull();
    assertThat(widget.getMetadata().getLabels()).containsEntry("runnel.dev/instance", firstId);
    assertThat(widget.getAdditionalProperties().get("spec").toString()).contains("size=3");
    instanceHealth(firstId, admin(), "Healthy");

    // A second instance of the chart uses the CRD that is there; a team member may do that.
    String second = "wid-" + shortId();
    Map<String, Object> op2 =
        post(member(), "/api/deploy/v1/instances", installBody(second, "widgets", "1.0.0"), 202);
    String secondId = (String) op2.get("instanceId");
    Map<String, Object> done2 = awaitFinished((String) op2.get("id"), member());
    assertThat(done2.get("status")).as("second install %s", done2).isEqualTo("succeeded");
    assertThat(done2.get("log").toString())
        .contains("CustomResourceDefinition/" + WIDGETS + " exists; left as it is");
    assertThat(crd(WIDGETS).getMetadata().getLabels())
        .as("the CRD still names the instance that created it")
        .containsEntry("runnel.dev/instance", firstId);
    assertThat(custom("Widget", second + "-widget")).isNotNull();

    // 1.1.0 brings a new CRD: a team member cannot upgrade to it, a platform admin can.
    Map<String, Object> upgradeRefused =
        post(
            member(),
            "/api/deploy/v1/instances/" + secondId + "/upgrade",
            Map.of("version", "1.1.0"),
            403);
    assertThat((String) upgradeRefused.get("detail")).contains(GADGETS);
    assertThat(crd(GADGETS)).isNull();

    Map<String, Object> upgrade =
        post(
            admin(),
            "/api/deploy/v1/instances/" + firstId + "/upgrade",
            Map.of("version", "1.1.0"),
            202);
    Map<String, Object> upgraded = awaitFinished((String) upgrade.get("id"), admin());
    assertThat(upgraded.get("status")).as("upgrade %s", upgraded).isEqualTo("succeeded");
    assertThat(upgraded.get("log").toString())
        .contains("created CustomResourceDefinition/" + GADGETS)
        .contains("CustomResourceDefinition/" + WIDGETS + " exists; left as it is");
    assertThat(crd(GADGETS)).isNotNull();
    assertThat(custom("Gadget", first + "-gadget")).isNotNull();
    assertThat(crd(WIDGETS).getSpec().getNames().getShortNames())
        .as("an upgrade does not change a CRD that exists (Helm's rule)")
        .isNullOrEmpty();

    Map<String, Object> delete =
        web.delete()
            .uri("/api/deploy/v1/instances/{id}", firstId)
            .headers(h -> h.setBearerAuth(admin()))
            .exchange()
            .expectStatus()
            .isAccepted()
            .expectBody(new ParameterizedTypeReference<Map<String, Object>>() {})
            .returnResult()
            .getResponseBody();
    assertThat(awaitFinished((String) delete.get("id"), admin()).get("status"))
        .isEqualTo("succeeded");
    assertThat(custom("Widget", first + "-widget")).as("the instance's own resource").isNull();
    assertThat(crd(WIDGETS)).as("CRDs outlive the instance: others may use them").isNotNull();
    assertThat(custom("Widget", second + "-widget")).isNotNull();
  }

  @Test
  void anUpgradeDryRunListsTheChangelogInBetweenAndStillAnswersWithoutTheMarket() {
    String name = "dry-" + shortId();
    Map<String, Object> op =
        post(admin(), "/api/deploy/v1/instances", installBody(name, "widgets", "1.0.0"), 202);
    String id = (String) op.get("instanceId");
    assertThat(awaitFinished((String) op.get("id"), admin()).get("status")).isEqualTo("succeeded");

    Map<String, Object> preview =
        post(
            member(),
            "/api/deploy/v1/instances/" + id + "/upgrade",
            Map.of("version", "1.1.0", "dryRun", true),
            200);
    assertThat(preview.get("toVersion")).isEqualTo("1.1.0");
    assertThat(preview.get("changelogAvailable")).isEqualTo(true);
    assertThat(preview.get("changelogUnavailableReason")).isNull();
    assertThat(descriptions(preview))
        .as("the entries of (1.0.0, 1.1.0], not of 1.0.0 or before")
        .containsExactly(
            "1.1.0 Widgets get a second kind, Gadget",
            "1.1.0 The Widget's spec carries the chart version");
    assertThat((String) preview.get("manifestDiff")).contains("+kind: Gadget");

    market.failUpgradeInformation(503);
    try {
      Map<String, Object> withoutMarket =
          post(
              member(),
              "/api/deploy/v1/instances/" + id + "/upgrade",
              Map.of("version", "1.1.0", "dryRun", true),
              200);
      assertThat(withoutMarket.get("changelogAvailable")).isEqualTo(false);
      assertThat((String) withoutMarket.get("changelogUnavailableReason")).contains("503");
      assertThat((List<?>) withoutMarket.get("changelog")).isEmpty();
      assertThat(withoutMarket.get("manifestDiff")).isEqualTo(preview.get("manifestDiff"));
    } finally {
      market.failUpgradeInformation(0);
    }
    assertThat(crd(GADGETS) == null || custom("Gadget", name + "-gadget") == null)
        .as("a dry run applies nothing")
        .isTrue();
  }

  @Test
  void aChartWithAnythingButACrdInItsCrdsFolderIsRefusedAndNothingIsApplied() {
    String name = "bolt-" + shortId();
    Map<String, Object> problem =
        post(admin(), "/api/deploy/v1/instances", installBody(name, "bolts", "1.0.0"), 400);
    assertThat(problem.get("type")).isEqualTo("https://runnel.dev/problems/validation");
    assertThat(problem.get("errors").toString()).contains("field=chart");
    assertThat((String) problem.get("detail"))
        .contains("bolts/crds/zz-deployment.yaml", "apps/v1 Deployment 'sneaky'", "nothing");
    assertThat(crd("bolts.bad.runnel.dev"))
        .as("not even the valid CRD before it is applied")
        .isNull();
    assertThat(
            sandbox
                .client()
                .apps()
                .deployments()
                .inNamespace("kube-system")
                .withName("sneaky")
                .get())
        .isNull();
    assertThat(sandbox.client().configMaps().inNamespace(TEAM).withName(name + "-settings").get())
        .isNull();
  }

  private static List<String> descriptions(Map<String, Object> preview) {
    @SuppressWarnings("unchecked")
    List<Map<String, Object>> entries = (List<Map<String, Object>>) preview.get("changelog");
    return entries.stream().map(e -> e.get("version") + " " + e.get("description")).toList();
  }

  private void instanceHealth(String id, String token, String health) {
    web.get()
        .uri("/api/deploy/v1/instances/{id}", id)
        .headers(h -> h.setBearerAuth(token))
        .exchange()
        .expectStatus()
        .isOk()
        .expectBody()
        .jsonPath("$.health")
        .isEqualTo(health);
  }

  private static CustomResourceDefinition crd(String name) {
    return sandbox.client().apiextensions().v1().customResourceDefinitions().withName(name).get();
  }

  private static GenericKubernetesResource custom(String kind, String name) {
    return sandbox
        .client()
        .genericKubernetesResources("test.runnel.dev/v1", kind)
        .inNamespace(TEAM)
        .withName(name)
        .get();
  }

  private static Map<String, Object> installBody(String name, String chart, String version) {
    Map<String, Object> body = new HashMap<>();
    body.put("cluster", cluster);
    body.put("namespace", TEAM);
    body.put("team", TEAM);
    body.put("name", name);
    body.put("repository", "fixtures");
    body.put("chart", chart);
    body.put("version", version);
    body.put("values", Map.of());
    return body;
  }

  private Map<String, Object> post(String token, String uri, Map<String, Object> body, int status) {
    return web.post()
        .uri(uri)
        .headers(h -> h.setBearerAuth(token))
        .bodyValue(body)
        .exchange()
        .expectStatus()
        .isEqualTo(status)
        .expectBody(new ParameterizedTypeReference<Map<String, Object>>() {})
        .returnResult()
        .getResponseBody();
  }
}
