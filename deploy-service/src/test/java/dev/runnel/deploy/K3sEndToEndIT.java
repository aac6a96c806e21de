package dev.runnel.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.runnel.deploy.support.DeployServiceUnderTest;
import dev.runnel.deploy.support.FixtureMarket;
import dev.runnel.testkit.RunnelInfra;
import dev.runnel.testkit.TestTokens;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.testcontainers.junit.jupiter.Container;
import org.testcontainers.junit.jupiter.Testcontainers;
import org.testcontainers.k3s.K3sContainer;
import org.testcontainers.utility.DockerImageName;

/**
 * The deploy engine against a real K3s (a Testcontainers container) instead of the sandbox: the
 * nginx fixture chart is installed, upgraded with changed values, rolled back and deleted, and each
 * step is checked both through deploy-service's API and on the cluster itself, where a real
 * scheduler, kubelet and controllers did the work. Skipped (reported as skipped) where no Docker
 * engine answers.
 *
 * <p>The chart's image is pulled by K3s from Docker Hub. Bitnami's versioned tags now live under
 * {@code bitnamilegacy/}, so that is the default repository; {@code -Drunnel.k3s.nginx-repository}
 * picks another (a mirror, say) with the chart's tag {@code 1.29.1-debian-12-r0}.
 *
 * <p>Its Spring context is closed after the class: a second deploy-service left running in the JVM
 * would join the sandbox service's Kafka consumer groups and take events meant for the other tests,
 * and its watches would keep calling a K3s that is gone.
 */
@RunnelInfra
@Testcontainers(disabledWithoutDocker = true)
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@AutoConfigureWebTestClient
@DirtiesContext
class K3sEndToEndIT {
  /** The K3s release the platform is built against (docker-compose.yml, kube-sandbox's version). */
  static final String K3S_IMAGE = "rancher/k3s:v1.31.4-k3s1";

  static final String DB = DeployServiceUnderTest.freshDatabase();
  static final String SECRET_KEY = DeployServiceUnderTest.newSecretKey();
  static final String TEAM = "team-k3s";
  static final String CLUSTER = "k3s";
  static final String NAME = "web";
  static final String DEPLOYMENT = NAME + "-nginx";

  /** Image pulls on a fresh node take their time; each operation gets this long. */
  static final Duration WAIT = Duration.ofMinutes(5);

  @Container static final K3sContainer K3S = new K3sContainer(DockerImageName.parse(K3S_IMAGE));

  static FixtureMarket market;

  @Autowired WebTestClient web;

  @BeforeAll
  static void startMarket() throws IOException {
    Path charts = DeployServiceUnderTest.fixtureCharts();
    assumeTrue(
        Files.isDirectory(charts),
        "fixture charts not found at " + charts.toAbsolutePath() + "; set runnel.fixtures");
    market = FixtureMarket.start(charts);
  }

  @AfterAll
  static void stopMarket() {
    if (market != null) {
      market.close();
    }
  }

  @DynamicPropertySource
  static void infra(DynamicPropertyRegistry registry) {
    DeployServiceUnderTest.register(registry, DB, SECRET_KEY, () -> market.url());
    registry.add("runnel.deploy.operations.health-timeout", () -> WAIT.toString());
  }

  @Test
  void nginxIsInstalledUpgradedRolledBackAndDeletedOnARealK3s() {
    web = web.mutate().responseTimeout(WAIT).build();
    String kubeconfig = K3S.getKubeConfigYaml();
    registerCluster(kubeconfig);

    try (KubernetesClient kube =
        new KubernetesClientBuilder().withConfig(Config.fromKubeconfig(kubeconfig)).build()) {
      // install -> Healthy, with the kubelet's own readiness behind it
      Map<String, Object> install =
          post("/api/deploy/v1/instances", installBody(userValues(1)), 202);
      String id = (String) install.get("instanceId");
      assertSucceeded(install, "install");
      assertInstance(id, 1);
      Deployment installed = deployment(kube);
      assertThat(installed.getMetadata().getLabels())
          .containsEntry("app.kubernetes.io/managed-by", "runnel")
          .containsEntry("runnel.dev/instance", id);
      assertThat(installed.getSpec().getTemplate().getMetadata().getLabels())
          .containsEntry("runnel.dev/instance", id);
      assertThat(installed.getStatus().getReadyReplicas()).isEqualTo(1);

      // upgrade with changed values: the preview shows the difference, then a new revision
      String upgradeUri = "/api/deploy/v1/instances/" + id + "/upgrade";
      Map<String, Object> preview =
          post(upgradeUri, Map.of("values", userValues(2), "dryRun", true), 200);
      assertThat((String) preview.get("manifestDiff"))
          .isNotBlank()
          .contains("-  replicas: 1", "+  replicas: 2");
      assertThat((String) preview.get("valuesDiff")).contains("+replicaCount: 2");
      assertThat(deployment(kube).getSpec().getReplicas()).as("a dry run changes nothing").isOne();

      Map<String, Object> upgrade = post(upgradeUri, Map.of("values", userValues(2)), 202);
      assertSucceeded(upgrade, "upgrade");
      assertInstance(id, 2);
      Deployment upgraded = deployment(kube);
      assertThat(upgraded.getSpec().getReplicas()).isEqualTo(2);
      assertThat(upgraded.getStatus().getReadyReplicas())
          .as("both pods ready before the upgrade reported success")
          .isEqualTo(2);

      // rollback to revision 1 makes it current again, as revision 3
      Map<String, Object> rollback =
          post("/api/deploy/v1/instances/" + id + "/rollback", Map.of("revision", 1), 202);
      assertSucceeded(rollback, "rollback");
      assertInstance(id, 3);
      assertThat(deployment(kube).getSpec().getReplicas()).isOne();
      web.get()
          .uri("/api/deploy/v1/instances/{id}/revisions", id)
          .headers(h -> h.setBearerAuth(member()))
          .exchange()
          .expectStatus()
          .isOk()
          .expectBody()
          .jsonPath("$.items[*].number")
          .isEqualTo(List.of(3, 2, 1))
          .jsonPath("$.items[0].status")
          .isEqualTo("deployed");

      // delete: every object the instance had is gone from the cluster, pods included
      List<Map<String, Object>> objects = resources(id);
      assertThat(objects).extracting(o -> o.get("kind")).contains("Deployment", "Service");
      Map<String, Object> delete =
          web.delete()
              .uri("/api/deploy/v1/instances/{id}?purgeData=true", id)
              .headers(h -> h.setBearerAuth(member()))
              .exchange()
              .expectStatus()
              .isAccepted()
              .expectBody(new ParameterizedTypeReference<Map<String, Object>>() {})
              .returnResult()
              .getResponseBody();
      assertSucceeded(delete, "delete");
      for (Map<String, Object> object : objects) {
        assertThat(
                kube.genericKubernetesResources(
                        (String) object.get("apiVersion"), (String) object.get("kind"))
                    .inNamespace(TEAM)
                    .withName((String) object.get("name"))
                    .get())
            .as("%s/%s after delete", object.get("kind"), object.get("name"))
            .isNull();
      }
      await()
          .atMost(WAIT)
          .untilAsserted(
              () ->
                  assertThat(
                          kube.pods()
                              .inNamespace(TEAM)
                              .withLabel("runnel.dev/instance", id)
                              .list()
                              .getItems())
                      .as("the instance's pods, terminated by the cluster")
                      .isEmpty());
      web.get()
          .uri("/api/deploy/v1/instances/{id}", id)
          .headers(h -> h.setBearerAuth(member()))
          .exchange()
          .expectStatus()
          .isNotFound();
    }
  }

  // ---------------------------------------------------------------- helpers

  private void registerCluster(String kubeconfig) {
    web.post()
        .uri("/api/deploy/v1/clusters")
        .headers(h -> h.setBearerAuth(TestTokens.get().admin()))
        .bodyValue(Map.of("name", CLUSTER, "kubeconfig", kubeconfig))
        .exchange()
        .expectStatus()
        .isCreated()
        .expectBody()
        .jsonPath("$.simulated")
        .isEqualTo(false)
        .jsonPath("$.nodeCount")
        .isEqualTo(1)
        .jsonPath("$.kubernetesVersion")
        .isEqualTo("v1.31.4+k3s1");
  }

  /**
   * The user's values: {@code replicas} pods of the chart's nginx from {@link #nginxRepository()},
   * behind a ClusterIP Service (a LoadBalancer's address depends on the host's ports).
   */
  private static Map<String, Object> userValues(int replicas) {
    return Map.of(
        "replicaCount", replicas,
        "image", Map.of("repository", nginxRepository()),
        "global", Map.of("security", Map.of("allowInsecureImages", true)),
        "service", Map.of("type", "ClusterIP"));
  }

  private static String nginxRepository() {
    return System.getProperty("runnel.k3s.nginx-repository", "bitnamilegacy/nginx");
  }

  private static Map<String, Object> installBody(Map<String, Object> values) {
    Map<String, Object> body = new HashMap<>();
    body.put("cluster", CLUSTER);
    body.put("namespace", TEAM);
    body.put("team", TEAM);
    body.put("name", NAME);
    body.put("repository", "fixtures");
    body.put("chart", "nginx");
    body.put("version", "22.1.1");
    body.put("values", values);
    return body;
  }

  private static String member() {
    return TestTokens.get().user("kim").teamRole(TEAM, "team-member").mint();
  }

  private void assertSucceeded(Map<String, Object> operation, String what) {
    Map<String, Object> done =
        DeployServiceUnderTest.awaitFinished(web, (String) operation.get("id"), member(), WAIT);
    assertThat(done.get("status")).as("%s outcome %s", what, done).isEqualTo("succeeded");
  }

  private void assertInstance(String id, int revision) {
    web.get()
        .uri("/api/deploy/v1/instances/{id}", id)
        .headers(h -> h.setBearerAuth(member()))
        .exchange()
        .expectStatus()
        .isOk()
        .expectBody()
        .jsonPath("$.state")
        .isEqualTo("running")
        .jsonPath("$.health")
        .isEqualTo("Healthy")
        .jsonPath("$.revision")
        .isEqualTo(revision);
  }

  private static Deployment deployment(KubernetesClient kube) {
    Deployment deployment = kube.apps().deployments().inNamespace(TEAM).withName(DEPLOYMENT).get();
    assertThat(deployment).as("Deployment %s on K3s", DEPLOYMENT).isNotNull();
    return deployment;
  }

  @SuppressWarnings("unchecked")
  private List<Map<String, Object>> resources(String id) {
    Map<String, Object> tree =
        web.get()
            .uri("/api/deploy/v1/instances/{id}/resources", id)
            .headers(h -> h.setBearerAuth(member()))
            .exchange()
            .expectStatus()
            .isOk()
            .expectBody(new ParameterizedTypeReference<Map<String, Object>>() {})
            .returnResult()
            .getResponseBody();
    return (List<Map<String, Object>>) tree.get("items");
  }

  private Map<String, Object> post(String uri, Map<String, Object> body, int status) {
    return web.post()
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
}
