package dev.runnel.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.runnel.sandbox.KubeSandbox;
import dev.runnel.sandbox.SandboxOptions;
import dev.runnel.testkit.EventSchemas;
import dev.runnel.testkit.TestKafka;
import dev.runnel.testkit.TestTokens;
import dev.runnel.testkit.TopicRecorder;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.http.MediaType;
import reactor.test.StepVerifier;

/**
 * The deploy engine end to end on a simulated cluster (kube-sandbox, zero pod-ready delay) with the
 * fixture charts served by a stand-in market: install, upgrade with diff, automatic rollback of a
 * broken image, rollback, stop/start, restart, delete with and without data, one operation at a
 * time, and the events that tell the rest of the platform.
 */
class InstancesIT extends DeployOnSandbox {
  static final String TEAM = "team-a";
  static TopicRecorder events;

  @Autowired org.springframework.r2dbc.core.DatabaseClient db;
  @Autowired dev.runnel.deploy.instance.application.InstanceOperations instanceOperations;

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
    return TestTokens.get().user("alice").teamRole(TEAM, "team-member").mint();
  }

  @Test
  void nginxInstallsReachesHealthyAndTellsThePlatform() {
    String name = "web-" + shortId();
    Map<String, Object> op = install(name, "nginx", "22.1.1", Map.of("replicaCount", 2));
    String id = (String) op.get("instanceId");
    Map<String, Object> done = awaitFinished((String) op.get("id"));
    assertThat(done.get("status")).as("install outcome %s", done).isEqualTo("succeeded");
    assertThat(done.get("actor")).isEqualTo("alice");
    assertThat(done.get("steps").toString()).contains("Apply", "Wait for health");

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
        .isEqualTo(1);

    web.get()
        .uri("/api/deploy/v1/instances/{id}/resources", id)
        .headers(h -> h.setBearerAuth(member()))
        .exchange()
        .expectStatus()
        .isOk()
        .expectBody()
        .jsonPath("$.items[?(@.kind == 'Deployment')].health")
        .isEqualTo(List.of("Healthy"))
        .jsonPath("$.items[?(@.kind == 'Deployment')].children[0].kind")
        .isEqualTo(List.of("ReplicaSet"));

    var deployment =
        sandbox.client().apps().deployments().inNamespace(TEAM).withName(name + "-nginx").get();
    assertThat(deployment.getMetadata().getLabels())
        .containsEntry("app.kubernetes.io/managed-by", "runnel")
        .containsEntry("runnel.dev/instance", id);
    assertThat(deployment.getSpec().getTemplate().getMetadata().getLabels())
        .containsEntry("runnel.dev/instance", id);
    assertThat(deployment.getSpec().getReplicas()).isEqualTo(2);
    assertThat(market.authorizations()).allMatch(a -> a.startsWith("Bearer "));

    TopicRecorder.Message installed =
        events.await(
            m -> id.equals(m.subject()) && m.type().equals("runnel.deploy.instance.installed.v1"),
            WAIT);
    assertThat(installed.header("ce_team")).isEqualTo(TEAM);
    assertThat(installed.value())
        .contains("\"instanceId\":\"" + id + "\"", "\"chart\":\"nginx\"", "\"version\":\"22.1.1\"");
    EventSchemas.assertValid(installed.type(), installed.value());
    events
        .awaitCount(
            m -> id.equals(m.subject()) && m.type().startsWith("runnel.deploy.operation."), 2, WAIT)
        .forEach(m -> EventSchemas.assertValid(m.type(), m.value()));
  }

  @Test
  void upgradeShowsItsDiffFirstThenMakesANewRevision() {
    String name = "up-" + shortId();
    Map<String, Object> op = install(name, "nginx", "22.1.1", Map.of());
    String id = (String) op.get("instanceId");
    assertThat(awaitFinished((String) op.get("id")).get("status")).isEqualTo("succeeded");

    Map<String, Object> preview =
        post(
            "/api/deploy/v1/instances/" + id + "/upgrade",
            Map.of("values", Map.of("replicaCount", 3), "dryRun", true),
            200);
    assertThat((String) preview.get("manifestDiff")).contains("-  replicas: 1", "+  replicas: 3");
    assertThat((String) preview.get("valuesDiff")).contains("+replicaCount: 3");
    assertThat(preview.get("changelog"))
        .as("the version stays: no changelog entries in between")
        .isEqualTo(List.of());
    assertThat(preview.get("changelogAvailable")).isEqualTo(true);
    assertThat(
            sandbox
                .client()
                .apps()
                .deployments()
                .inNamespace(TEAM)
                .withName(name + "-nginx")
                .get()
                .getSpec()
                .getReplicas())
        .as("a dry run changes nothing")
        .isEqualTo(1);

    Map<String, Object> upgrade =
        post(
            "/api/deploy/v1/instances/" + id + "/upgrade",
            Map.of("values", Map.of("replicaCount", 3)),
            202);
    assertThat(awaitFinished((String) upgrade.get("id")).get("status")).isEqualTo("succeeded");
    assertThat(
            sandbox
                .client()
                .apps()
                .deployments()
                .inNamespace(TEAM)
                .withName(name + "-nginx")
                .get()
                .getSpec()
                .getReplicas())
        .isEqualTo(3);
    web.get()
        .uri("/api/deploy/v1/instances/{id}/revisions", id)
        .headers(h -> h.setBearerAuth(member()))
        .exchange()
        .expectStatus()
        .isOk()
        .expectBody()
        .jsonPath("$.items[0].number")
        .isEqualTo(2)
        .jsonPath("$.items[0].status")
        .isEqualTo("deployed")
        .jsonPath("$.items[0].values")
        .isEqualTo("replicaCount: 3\n")
        .jsonPath("$.items[1].status")
        .isEqualTo("superseded");
  }

  @Test
  void anUpgradeToAnImageThatCannotBePulledRollsBackByItself() {
    String name = "bad-" + shortId();
    Map<String, Object> op = install(name, "nginx", "22.1.1", Map.of());
    String id = (String) op.get("instanceId");
    assertThat(awaitFinished((String) op.get("id")).get("status")).isEqualTo("succeeded");

    Map<String, Object> upgrade =
        post(
            "/api/deploy/v1/instances/" + id + "/upgrade",
            Map.of(
                "values",
                Map.of(
                    "image", Map.of("repository", "bitnami/nginx-broken"),
                    "global", Map.of("security", Map.of("allowInsecureImages", true)))),
            202);
    Map<String, Object> done = awaitFinished((String) upgrade.get("id"));
    assertThat(done.get("status")).isEqualTo("failed");
    assertThat((String) done.get("error")).contains("rolled back to revision 1", "Degraded");

    web.get()
        .uri("/api/deploy/v1/instances/{id}", id)
        .headers(h -> h.setBearerAuth(member()))
        .exchange()
        .expectBody()
        .jsonPath("$.revision")
        .isEqualTo(3)
        .jsonPath("$.health")
        .isEqualTo("Healthy");
    assertThat(
            sandbox
                .client()
                .apps()
                .deployments()
                .inNamespace(TEAM)
                .withName(name + "-nginx")
                .get()
                .getSpec()
                .getTemplate()
                .getSpec()
                .getContainers()
                .get(0)
                .getImage())
        .doesNotContain("broken");
    events.await(
        m -> id.equals(m.subject()) && m.type().equals("runnel.deploy.instance.rolled-back.v1"),
        WAIT);
  }

  @Test
  void rollbackMakesAStoredRevisionCurrentAgain() {
    String name = "rb-" + shortId();
    String id = installed(name, Map.of());
    Map<String, Object> upgrade =
        post(
            "/api/deploy/v1/instances/" + id + "/upgrade",
            Map.of("values", Map.of("replicaCount", 2)),
            202);
    assertThat(awaitFinished((String) upgrade.get("id")).get("status")).isEqualTo("succeeded");

    Map<String, Object> rollback =
        post("/api/deploy/v1/instances/" + id + "/rollback", Map.of("revision", 1), 202);
    assertThat(awaitFinished((String) rollback.get("id")).get("status")).isEqualTo("succeeded");
    assertThat(
            sandbox
                .client()
                .apps()
                .deployments()
                .inNamespace(TEAM)
                .withName(name + "-nginx")
                .get()
                .getSpec()
                .getReplicas())
        .isEqualTo(1);
    web.get()
        .uri("/api/deploy/v1/instances/{id}", id)
        .headers(h -> h.setBearerAuth(member()))
        .exchange()
        .expectBody()
        .jsonPath("$.revision")
        .isEqualTo(3);
  }

  @Test
  void stopScalesToZeroAndStartRestoresTheReplicas() {
    String name = "ss-" + shortId();
    String id = installed(name, Map.of("replicaCount", 2));
    Map<String, Object> stop = post("/api/deploy/v1/instances/" + id + "/stop", Map.of(), 202);
    assertThat(awaitFinished((String) stop.get("id")).get("status")).isEqualTo("succeeded");
    assertThat(
            sandbox
                .client()
                .apps()
                .deployments()
                .inNamespace(TEAM)
                .withName(name + "-nginx")
                .get()
                .getSpec()
                .getReplicas())
        .isZero();
    web.get()
        .uri("/api/deploy/v1/instances/{id}", id)
        .headers(h -> h.setBearerAuth(member()))
        .exchange()
        .expectBody()
        .jsonPath("$.state")
        .isEqualTo("stopped");

    Map<String, Object> upgrade =
        post(
            "/api/deploy/v1/instances/" + id + "/upgrade",
            Map.of("values", Map.of("replicaCount", 3)),
            202);
    assertThat(awaitFinished((String) upgrade.get("id")).get("status")).isEqualTo("succeeded");
    assertThat(replicas(name + "-nginx")).as("an upgrade while stopped stays stopped").isZero();
    web.get()
        .uri("/api/deploy/v1/instances/{id}", id)
        .headers(h -> h.setBearerAuth(member()))
        .exchange()
        .expectBody()
        .jsonPath("$.state")
        .isEqualTo("stopped")
        .jsonPath("$.revision")
        .isEqualTo(2);

    Map<String, Object> start = post("/api/deploy/v1/instances/" + id + "/start", Map.of(), 202);
    assertThat(awaitFinished((String) start.get("id")).get("status")).isEqualTo("succeeded");
    assertThat(replicas(name + "-nginx"))
        .as("start restores the replicas of the revision now deployed")
        .isEqualTo(3);

    Map<String, Object> restart =
        post("/api/deploy/v1/instances/" + id + "/restart", Map.of(), 202);
    assertThat(awaitFinished((String) restart.get("id")).get("status")).isEqualTo("succeeded");
    assertThat(
            sandbox
                .client()
                .apps()
                .deployments()
                .inNamespace(TEAM)
                .withName(name + "-nginx")
                .get()
                .getSpec()
                .getTemplate()
                .getMetadata()
                .getAnnotations())
        .containsKey("runnel.dev/restartedAt");
  }

  @Test
  void deleteRemovesTheObjectsAndTellsThePlatform() {
    String name = "del-" + shortId();
    String id = installed(name, Map.of());
    Map<String, Object> delete = delete(id, false);
    assertThat(awaitFinished((String) delete.get("id")).get("status")).isEqualTo("succeeded");
    assertThat(
            sandbox.client().apps().deployments().inNamespace(TEAM).withName(name + "-nginx").get())
        .isNull();
    assertThat(sandbox.client().services().inNamespace(TEAM).withName(name + "-nginx").get())
        .isNull();
    web.get()
        .uri("/api/deploy/v1/instances/{id}", id)
        .headers(h -> h.setBearerAuth(member()))
        .exchange()
        .expectStatus()
        .isNotFound();
    assertThat(delete(id, false).get("id"))
        .as("deleting again answers with the same delete")
        .isEqualTo(delete.get("id"));
    TopicRecorder.Message deleted =
        events.await(
            m -> id.equals(m.subject()) && m.type().equals("runnel.deploy.instance.deleted.v1"),
            WAIT);
    assertThat(deleted.header("ce_team")).isEqualTo(TEAM);
    EventSchemas.assertValid(deleted.type(), deleted.value());
  }

  @Test
  void aSecondOperationWhileOneRunsIsRefusedNamingTheRunningOne() {
    String name = "busy-" + shortId();
    String id = installed(name, Map.of());
    Map<String, Object> restart =
        post("/api/deploy/v1/instances/" + id + "/restart", Map.of(), 202);
    web.post()
        .uri("/api/deploy/v1/instances/{id}/stop", id)
        .headers(h -> h.setBearerAuth(member()))
        .exchange()
        .expectStatus()
        .isEqualTo(409)
        .expectBody()
        .jsonPath("$.detail")
        .value(d -> assertThat((String) d).contains((String) restart.get("id")));
    assertThat(awaitFinished((String) restart.get("id")).get("status")).isEqualTo("succeeded");
  }

  @Test
  void theSameIdempotencyKeyStartsOneInstall() {
    String name = "idem-" + shortId();
    String key = UUID.randomUUID().toString();
    Map<String, Object> body = installBody(name, "nginx", "22.1.1", Map.of());
    Map<String, Object> first = postWithKey("/api/deploy/v1/instances", body, key);
    Map<String, Object> second = postWithKey("/api/deploy/v1/instances", body, key);
    assertThat(second.get("id")).isEqualTo(first.get("id"));
    assertThat(awaitFinished((String) first.get("id")).get("status")).isEqualTo("succeeded");
  }

  @Test
  void badRequestsChangeNothingAndSayWhatIsWrong() {
    problem(installBody("Bad_Name", "nginx", "22.1.1", Map.of()), 400, "name");
    problem(
        installBody("ok-" + shortId(), "nginx", "22.1.1", Map.of("replicaCount", "many")),
        400,
        "values.replicaCount");
    problem(installBody("ok-" + shortId(), "nginx", "9.9.9", Map.of()), 400, "version");
    problem(installBody("ok-" + shortId(), "nginx", "0.0.0-tampered", Map.of()), 503, "digest");
    Map<String, Object> unknownCluster =
        new HashMap<>(installBody("ok-" + shortId(), "nginx", "22.1.1", Map.of()));
    unknownCluster.put("cluster", "nowhere");
    problem(unknownCluster, 400, "cluster");

    String viewer = TestTokens.get().user("vera").teamRole(TEAM, "team-viewer").mint();
    web.post()
        .uri("/api/deploy/v1/instances")
        .headers(h -> h.setBearerAuth(viewer))
        .bodyValue(installBody("ok-" + shortId(), "nginx", "22.1.1", Map.of()))
        .exchange()
        .expectStatus()
        .isForbidden();

    String id = installed("mine-" + shortId(), Map.of());
    String stranger = TestTokens.get().user("bob").teamRole("team-b", "team-admin").mint();
    web.get()
        .uri("/api/deploy/v1/instances/{id}", id)
        .headers(h -> h.setBearerAuth(stranger))
        .exchange()
        .expectStatus()
        .isNotFound();
    web.post()
        .uri("/api/deploy/v1/instances/{id}/stop", id)
        .headers(h -> h.setBearerAuth(stranger))
        .exchange()
        .expectStatus()
        .isNotFound();
  }

  @Test
  void whenTheKubernetesApiIsDownOperationsFailWithTheReasonAndTheServiceStaysUp() {
    String name = "down-" + shortId();
    String admin = TestTokens.get().admin();
    KubeSandbox doomed =
        KubeSandbox.start(SandboxOptions.defaults().withPodReadyDelay(Duration.ZERO));
    String downCluster = "doomed-" + shortId();
    // KubeSandbox.close is not idempotent: a second close fails on its terminated event loop.
    boolean closed = false;
    try {
      web.post()
          .uri("/api/deploy/v1/clusters")
          .headers(h -> h.setBearerAuth(admin))
          .bodyValue(Map.of("name", downCluster, "kubeconfig", doomed.kubeconfig()))
          .exchange()
          .expectStatus()
          .isCreated();
      Map<String, Object> body = installBody(name, "nginx", "22.1.1", Map.of());
      body.put("cluster", downCluster);
      Map<String, Object> op = post("/api/deploy/v1/instances", body, 202);
      assertThat(awaitFinished((String) op.get("id")).get("status")).isEqualTo("succeeded");
      String id = (String) op.get("instanceId");
      doomed.close();
      closed = true;

      Map<String, Object> restart =
          post("/api/deploy/v1/instances/" + id + "/restart", Map.of(), 202);
      Map<String, Object> failed = awaitFinished((String) restart.get("id"));
      assertThat(failed.get("status")).isEqualTo("failed");
      assertThat((String) failed.get("error")).contains("Cluster '" + downCluster + "'");

      web.get()
          .uri("/api/deploy/v1/clusters/{name}/nodes", downCluster)
          .headers(h -> h.setBearerAuth(admin))
          .exchange()
          .expectStatus()
          .isEqualTo(503)
          .expectBody()
          .jsonPath("$.detail")
          .value(d -> assertThat((String) d).contains(downCluster));
      web.get().uri("/actuator/health/liveness").exchange().expectStatus().isOk();
    } finally {
      if (!closed) {
        doomed.close();
      }
    }
  }

  @Test
  void aClusterThatDoesNotAnswerIsNotRegistered() {
    String admin = TestTokens.get().admin();
    String unreachable =
        sandbox.kubeconfig().replaceAll("http://127\\.0\\.0\\.1:[0-9]+", "http://127.0.0.1:9");
    String name = "gone-" + shortId();
    web.post()
        .uri("/api/deploy/v1/clusters")
        .headers(h -> h.setBearerAuth(admin))
        .bodyValue(Map.of("name", name, "kubeconfig", unreachable))
        .exchange()
        .expectStatus()
        .isBadRequest()
        .expectBody()
        .jsonPath("$.errors[0].field")
        .isEqualTo("kubeconfig");
    web.post()
        .uri("/api/deploy/v1/clusters")
        .headers(h -> h.setBearerAuth(admin))
        .bodyValue(Map.of("name", name, "kubeconfig", "clusters: [ {{{ not yaml"))
        .exchange()
        .expectStatus()
        .isBadRequest()
        .expectBody()
        .jsonPath("$.errors[0].field")
        .isEqualTo("kubeconfig");
    web.post()
        .uri("/api/deploy/v1/clusters")
        .headers(h -> h.setBearerAuth(admin))
        .bodyValue(Map.of("name", "Not A DNS Label", "kubeconfig", sandbox.kubeconfig()))
        .exchange()
        .expectStatus()
        .isBadRequest();
    web.get()
        .uri("/api/deploy/v1/clusters/{name}", name)
        .headers(h -> h.setBearerAuth(admin))
        .exchange()
        .expectStatus()
        .isNotFound();
    web.post()
        .uri("/api/deploy/v1/clusters")
        .headers(h -> h.setBearerAuth(member()))
        .bodyValue(Map.of("name", name, "kubeconfig", sandbox.kubeconfig()))
        .exchange()
        .expectStatus()
        .isForbidden();
    web.get()
        .uri("/api/deploy/v1/clusters/{name}/nodes", cluster)
        .headers(h -> h.setBearerAuth(admin))
        .exchange()
        .expectStatus()
        .isOk()
        .expectBody()
        .jsonPath("$.items.length()")
        .isEqualTo(3)
        .jsonPath("$.items[0].simulated")
        .isEqualTo(true)
        .jsonPath("$.items[0].allocatable.cpu")
        .exists();
  }

  @Test
  void deletingKeepsTheDataUnlessAskedToPurgeIt() {
    String kept = "keep-" + shortId();
    String purged = "purge-" + shortId();
    Map<String, Object> standalone = Map.of("architecture", "standalone");
    String keptId = installed(kept, "redis", "23.1.1", standalone);
    String purgedId = installed(purged, "redis", "23.1.1", standalone);
    assertThat(claims(kept)).isNotEmpty();
    assertThat(claims(purged)).isNotEmpty();

    assertThat(awaitFinished((String) delete(keptId, false).get("id")).get("status"))
        .isEqualTo("succeeded");
    assertThat(awaitFinished((String) delete(purgedId, true).get("id")).get("status"))
        .isEqualTo("succeeded");

    assertThat(
            sandbox
                .client()
                .apps()
                .statefulSets()
                .inNamespace(TEAM)
                .withLabel("runnel.dev/instance", keptId)
                .list()
                .getItems())
        .isEmpty();
    assertThat(claims(kept)).as("volumes kept without purgeData").isNotEmpty();
    assertThat(claims(purged)).as("volumes removed with purgeData").isEmpty();
  }

  @Test
  void anInstallThatDoesNotFitFailsSayingWhatIsShortBeforeAnythingIsApplied() {
    // Capacity is the install's first step (it lists every pod of the cluster, which the request
    // must not wait for), so the request is accepted and its operation fails.
    Map<String, Object> hugeRequests =
        Map.of("resources", Map.of("requests", Map.of("cpu", "64", "memory", "1Gi")));
    Map<String, Object> op = install("huge-" + shortId(), "nginx", "22.1.1", hugeRequests);
    Map<String, Object> done = awaitFinished((String) op.get("id"));
    assertThat(done.get("status")).isEqualTo("failed");
    assertThat((String) done.get("error")).contains("Not enough resources", "CPU", "short by");
    assertThat(done.get("steps").toString()).contains("Check capacity").doesNotContain("Apply");
    assertThat(
            sandbox
                .client()
                .apps()
                .deployments()
                .inNamespace(TEAM)
                .withLabel("runnel.dev/instance", (String) op.get("instanceId"))
                .list()
                .getItems())
        .isEmpty();
  }

  @Test
  void theTimelineListsAnInstancesOperationsAndAnEarlyCancelIsRefused() {
    String id = installed("tl-" + shortId(), Map.of());
    Map<String, Object> restart =
        post("/api/deploy/v1/instances/" + id + "/restart", Map.of(), 202);
    web.post()
        .uri("/api/deploy/v1/operations/{id}/cancel", restart.get("id"))
        .headers(h -> h.setBearerAuth(member()))
        .exchange()
        .expectStatus()
        .isEqualTo(409);
    awaitFinished((String) restart.get("id"));
    web.get()
        .uri("/api/deploy/v1/instances/{id}/operations", id)
        .headers(h -> h.setBearerAuth(member()))
        .exchange()
        .expectStatus()
        .isOk()
        .expectBody()
        .jsonPath("$.items[*].kind")
        .isEqualTo(List.of("restart", "install"))
        .jsonPath("$.items[*].actor")
        .isEqualTo(List.of("alice", "alice"));
  }

  private static Integer replicas(String deployment) {
    return sandbox
        .client()
        .apps()
        .deployments()
        .inNamespace(TEAM)
        .withName(deployment)
        .get()
        .getSpec()
        .getReplicas();
  }

  /** The volume claims the release's StatefulSets made ({@code <template>-<set>-<ordinal>}). */
  private static List<String> claims(String release) {
    return sandbox.client().persistentVolumeClaims().inNamespace(TEAM).list().getItems().stream()
        .map(c -> c.getMetadata().getName())
        .filter(n -> n.contains("-" + release + "-redis-"))
        .toList();
  }

  @Test
  void wordpressWithItsSubchartsInstallsAndIsHealthy() {
    String name = "wp-" + shortId();
    String id = installed(name, "wordpress", "27.0.0", Map.of());
    assertThat(
            sandbox
                .client()
                .apps()
                .statefulSets()
                .inNamespace(TEAM)
                .withName(name + "-mariadb")
                .get())
        .as("the mariadb subchart was rendered and applied")
        .isNotNull();
    web.get()
        .uri("/api/deploy/v1/instances/{id}", id)
        .headers(h -> h.setBearerAuth(member()))
        .exchange()
        .expectBody()
        .jsonPath("$.health")
        .isEqualTo("Healthy");
  }

  @Test
  void operationsLeftRunningByAStoppedServiceFailWithTheReason() {
    String id = installed("intr-" + shortId(), Map.of());
    UUID opId = UUID.randomUUID();
    // What a service that died mid-operation leaves behind: an operation still "running".
    StepVerifier.create(
            db.sql(
                    "insert into operation (id, instance_id, kind, status, steps, log, actor,"
                        + " request, created_at, started_at, deadline_at) values (:id,"
                        + " :instance, 'restart', 'running', '[]', '[]', 'alice', '{}', now(),"
                        + " now(), now() + interval '15 minutes')")
                .bind("id", opId)
                .bind("instance", UUID.fromString(id))
                .then()
                .then(instanceOperations.failInterrupted()))
        .assertNext(n -> assertThat(n).isGreaterThanOrEqualTo(1L))
        .verifyComplete();
    web.get()
        .uri("/api/deploy/v1/operations/{id}", opId)
        .headers(h -> h.setBearerAuth(member()))
        .exchange()
        .expectStatus()
        .isOk()
        .expectBody()
        .jsonPath("$.status")
        .isEqualTo("failed")
        .jsonPath("$.error")
        .value(e -> assertThat((String) e).contains("deploy-service stopped"));
    web.get()
        .uri("/api/deploy/v1/instances/{id}", id)
        .headers(h -> h.setBearerAuth(member()))
        .exchange()
        .expectBody()
        .jsonPath("$.state")
        .isEqualTo("failed");
  }

  // ---------------------------------------------------------------- helpers

  private void problem(Map<String, Object> body, int status, String mention) {
    web.post()
        .uri("/api/deploy/v1/instances")
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

  private String installed(String name, Map<String, Object> values) {
    return installed(name, "nginx", "22.1.1", values);
  }

  private String installed(String name, String chart, String version, Map<String, Object> values) {
    Map<String, Object> op = install(name, chart, version, values);
    Map<String, Object> done = awaitFinished((String) op.get("id"));
    assertThat(done.get("status")).as("install %s", done).isEqualTo("succeeded");
    return (String) op.get("instanceId");
  }

  private Map<String, Object> install(
      String name, String chart, String version, Map<String, Object> values) {
    return post("/api/deploy/v1/instances", installBody(name, chart, version, values), 202);
  }

  private static Map<String, Object> installBody(
      String name, String chart, String version, Map<String, Object> values) {
    Map<String, Object> body = new HashMap<>();
    body.put("cluster", cluster);
    body.put("namespace", TEAM);
    body.put("team", TEAM);
    body.put("name", name);
    body.put("repository", "fixtures");
    body.put("chart", chart);
    body.put("version", version);
    body.put("values", values);
    return body;
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

  private Map<String, Object> postWithKey(String uri, Map<String, Object> body, String key) {
    return web.post()
        .uri(uri)
        .headers(h -> h.setBearerAuth(member()))
        .header("Idempotency-Key", key)
        .bodyValue(body)
        .exchange()
        .expectStatus()
        .isAccepted()
        .expectBody(new ParameterizedTypeReference<Map<String, Object>>() {})
        .returnResult()
        .getResponseBody();
  }

  private Map<String, Object> delete(String id, boolean purge) {
    return web.delete()
        .uri("/api/deploy/v1/instances/{id}?purgeData={p}", id, purge)
        .headers(h -> h.setBearerAuth(member()))
        .exchange()
        .expectStatus()
        .isAccepted()
        .expectBody(new ParameterizedTypeReference<Map<String, Object>>() {})
        .returnResult()
        .getResponseBody();
  }

  private Map<String, Object> awaitFinished(String operationId) {
    return awaitFinished(operationId, member());
  }
}
