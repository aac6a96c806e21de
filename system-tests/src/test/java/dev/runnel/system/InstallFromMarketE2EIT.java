package dev.runnel.system;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.runnel.embedded.Ports;
import dev.runnel.embedded.ServiceProcess;
import dev.runnel.sandbox.KubeSandbox;
import dev.runnel.sandbox.SandboxOptions;
import dev.runnel.testkit.EventSchemas;
import dev.runnel.testkit.RunnelTestInfra;
import dev.runnel.testkit.TestKafka;
import dev.runnel.testkit.TestPostgres;
import dev.runnel.testkit.TestTokens;
import dev.runnel.testkit.TopicRecorder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.Predicate;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Issue 6 end to end: through the gateway with a token, the fixture chart nginx 22.1.1 is installed
 * from the market onto a simulated cluster, reaches Healthy, and every lifecycle action (install,
 * upgrade, stop, start, delete) shows up as operations, revisions and CloudEvents.
 *
 * <p>gateway, market-service and deploy-service each run in their own JVM from their runnable jars,
 * on the test kit's PostgreSQL and Kafka; kube-sandbox runs in this JVM and the fixture repository
 * {@code ../shared/fixtures/helm-repo} is served over loopback HTTP. The services are spoken to
 * through the gateway only; deploy-service fetches the chart from market-service itself, with the
 * caller's token. The sandbox's own API is read only to check what was really applied.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class InstallFromMarketE2EIT {
  private static final Duration START = Duration.ofMinutes(3);
  private static final Duration WAIT = Duration.ofMinutes(3);
  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private static final JsonMapper JSON = JsonMapper.builder().build();
  private static final Set<String> FINISHED = Set.of("succeeded", "failed", "cancelled");
  private static final String REPOSITORY = "fixtures";
  private static final String CLUSTER = "sandbox";
  private static final String TEAM = "acme";
  private static final String MEMBER = "mia";
  private static final String INSTANCE = "web";

  private static LoopbackHelmRepository charts;
  private static KubeSandbox sandbox;
  private static TopicRecorder events;
  private static ServiceProcess market;
  private static ServiceProcess deploy;
  private static ServiceProcess gateway;
  private static Path kubeconfig;
  private static String instanceId;

  @BeforeAll
  static void startThePlatform() throws IOException {
    Path helmRepo =
        Path.of(System.getProperty("runnel.fixtures", "../../shared/fixtures"), "helm-repo");
    assumeTrue(
        Files.isRegularFile(helmRepo.resolve("index.yaml")),
        "fixture chart repository not found at "
            + helmRepo.toAbsolutePath()
            + "; set runnel.fixtures");
    charts = LoopbackHelmRepository.serve(helmRepo);
    sandbox = KubeSandbox.start(SandboxOptions.defaults());
    kubeconfig = sandbox.writeKubeconfig(Files.createTempFile("sandbox-kubeconfig-", ".yaml"));
    events = new TopicRecorder(TestKafka.get().bootstrapServers(), "runnel.deploy");

    Path logs = Path.of(System.getProperty("runnel.logs", "target/service-logs"));
    market =
        ServiceProcess.start(
            "market-service",
            jar("market"),
            logs,
            RunnelTestInfra.arguments(TestPostgres.get().freshDatabase("market_install_e2e")));
    List<String> deployArgs =
        new ArrayList<>(
            RunnelTestInfra.arguments(TestPostgres.get().freshDatabase("deploy_install_e2e")));
    // deploy-service fetches chart packages from market-service directly, not via the gateway.
    deployArgs.add("--runnel.deploy.market-url=" + market.baseUrl());
    deploy =
        ServiceProcess.start(
            "deploy-service",
            jar("deploy"),
            logs,
            Ports.free(),
            List.of(),
            deployArgs,
            // A secret goes by environment, as `runnel up` hands it over: arguments are readable by
            // every local user.
            Map.of("RUNNEL_DEPLOY_SECRET_KEY", newSecretKey()));
    List<String> gatewayArgs = new ArrayList<>();
    RunnelTestInfra.registerTokens((k, v) -> gatewayArgs.add("--" + k + "=" + v.get()));
    gatewayArgs.add("--runnel.gateway.services.market.uri=" + market.baseUrl());
    gatewayArgs.add("--runnel.gateway.services.deploy.uri=" + deploy.baseUrl());
    gateway = ServiceProcess.start("gateway", jar("gateway"), logs, gatewayArgs);
    // Start-up is the slow part; wait for the three together.
    CompletableFuture.allOf(
            CompletableFuture.runAsync(() -> market.awaitReady(START)),
            CompletableFuture.runAsync(() -> deploy.awaitReady(START)),
            CompletableFuture.runAsync(() -> gateway.awaitReady(START)))
        .join();
  }

  @AfterAll
  static void stopThePlatform() throws IOException {
    for (ServiceProcess p : new ServiceProcess[] {gateway, deploy, market}) {
      if (p != null) {
        p.close();
      }
    }
    if (events != null) {
      events.close();
    }
    if (sandbox != null) {
      sandbox.close();
    }
    if (charts != null) {
      charts.close();
    }
    if (kubeconfig != null) {
      Files.deleteIfExists(kubeconfig);
    }
  }

  @Test
  @Order(1)
  void anAdminAddsTheFixtureRepositoryAndNginxIsInTheCatalog() {
    HttpResponse<String> added =
        send(
            post(
                "/api/market/v1/repositories",
                admin(),
                Map.of("name", REPOSITORY, "url", charts.url())));
    JsonNode repository = json(added, 201);
    assertThat(added.headers().firstValue("Location"))
        .hasValue("/api/market/v1/repositories/" + REPOSITORY);
    assertThat(repository.at("/sync/result").asString()).isEqualTo("synced");
    assertThat(repository.at("/sync/apps").asInt()).isEqualTo(4);

    JsonNode found =
        json(send(get("/api/market/v1/apps?q=nginx&repository=" + REPOSITORY, member())), 200);
    assertThat(found.get("items")).isNotEmpty();
    assertThat(found.at("/items/0/name").asString()).isEqualTo("nginx");
    assertThat(found.at("/items/0/installable").asBoolean()).isTrue();

    JsonNode app = json(send(get("/api/market/v1/apps/" + REPOSITORY + "/nginx", member())), 200);
    assertThat(texts(app.get("versions"), "version")).contains("22.1.1");
  }

  @Test
  @Order(2)
  void anAdminRegistersTheSandboxWithItsKubeconfig() throws IOException {
    JsonNode cluster =
        json(
            send(
                post(
                    "/api/deploy/v1/clusters",
                    admin(),
                    Map.of("name", CLUSTER, "kubeconfig", Files.readString(kubeconfig)))),
            201);
    assertThat(cluster.get("name").asString()).isEqualTo(CLUSTER);
    assertThat(cluster.get("simulated").asBoolean()).isTrue();
    assertThat(cluster.get("nodeCount").asInt()).isEqualTo(3);
    assertThat(cluster.has("kubeconfig")).as("a kubeconfig is never returned").isFalse();
  }

  @Test
  @Order(3)
  void aTeamMemberInstallsNginxFromTheMarketAndItReachesHealthy() {
    JsonNode accepted =
        accepted(
            send(
                post(
                    "/api/deploy/v1/instances",
                    member(),
                    Map.of(
                        "cluster", CLUSTER,
                        "namespace", TEAM,
                        "team", TEAM,
                        "name", INSTANCE,
                        "repository", REPOSITORY,
                        "chart", "nginx",
                        "version", "22.1.1"))));
    assertThat(accepted.get("kind").asString()).isEqualTo("install");
    instanceId = accepted.get("instanceId").asString();

    JsonNode done = finished(accepted);
    assertThat(done.get("actor").asString()).isEqualTo(MEMBER);

    JsonNode instance = instance();
    assertThat(instance.get("health").asString()).isEqualTo("Healthy");
    assertThat(instance.get("state").asString()).isEqualTo("running");
    assertThat(instance.get("revision").asInt()).isEqualTo(1);
    assertThat(instance.get("team").asString()).isEqualTo(TEAM);
    assertThat(instance.get("repository").asString()).isEqualTo(REPOSITORY);
    assertThat(instance.get("chart").asString()).isEqualTo("nginx");
    assertThat(instance.get("version").asString()).isEqualTo("22.1.1");

    JsonNode revisions = revisions();
    assertThat(revisions).hasSize(1);
    assertThat(revisions.get(0).get("number").asInt()).isEqualTo(1);
    assertThat(revisions.get(0).get("chartVersion").asString()).isEqualTo("22.1.1");
    assertThat(revisions.get(0).get("status").asString()).isEqualTo("deployed");

    Deployment deployment = deployment();
    assertThat(deployment).as("nginx's Deployment on the sandbox").isNotNull();
    assertThat(deployment.getMetadata().getLabels())
        .containsEntry("runnel.dev/instance", instanceId);
    assertThat(deployment.getSpec().getReplicas()).isEqualTo(1);
  }

  @Test
  @Order(4)
  void anotherTeamsMemberCannotSeeOrTouchTheInstance() {
    String outsider = TestTokens.get().user("otto").teamRole("globex", "team-member").mint();
    for (HttpRequest.Builder request :
        List.of(
            get("/api/deploy/v1/instances/" + instanceId, outsider),
            get("/api/deploy/v1/instances/" + instanceId + "/revisions", outsider),
            post("/api/deploy/v1/instances/" + instanceId + "/stop", outsider, Map.of()))) {
      HttpResponse<String> answer = send(request);
      assertThat(answer.statusCode()).as(answer.body()).isEqualTo(404);
      assertThat(answer.headers().firstValue("Content-Type"))
          .hasValueSatisfying(t -> assertThat(t).startsWith("application/problem+json"));
    }
    JsonNode theirs = json(send(get("/api/deploy/v1/instances", outsider)), 200);
    assertThat(texts(theirs.get("items"), "id")).doesNotContain(instanceId);
    assertThat(instance().get("state").asString())
        .as("the refused stop changed nothing")
        .isEqualTo("running");
  }

  @Test
  @Order(5)
  void anUpgradeWithChangedValuesIsASecondRevisionAndStaysHealthy() {
    finished(
        accepted(
            send(
                post(
                    "/api/deploy/v1/instances/" + instanceId + "/upgrade",
                    member(),
                    Map.of("values", Map.of("replicaCount", 2))))));

    JsonNode instance = instance();
    assertThat(instance.get("health").asString()).isEqualTo("Healthy");
    assertThat(instance.get("state").asString()).isEqualTo("running");
    assertThat(instance.get("revision").asInt()).isEqualTo(2);

    JsonNode revisions = revisions();
    assertThat(revisions).hasSize(2);
    assertThat(revisions.get(0).get("number").asInt()).isEqualTo(2);
    assertThat(revisions.get(0).get("status").asString()).isEqualTo("deployed");
    assertThat(revisions.get(0).get("values").asString()).isEqualTo("replicaCount: 2\n");
    assertThat(revisions.get(1).get("number").asInt()).isEqualTo(1);
    assertThat(revisions.get(1).get("status").asString()).isEqualTo("superseded");
    assertThat(deployment().getSpec().getReplicas()).isEqualTo(2);
  }

  @Test
  @Order(6)
  void stopSuspendsTheInstanceAndStartBringsItBackHealthy() {
    finished(
        accepted(
            send(post("/api/deploy/v1/instances/" + instanceId + "/stop", member(), Map.of()))));
    JsonNode stopped = instance();
    assertThat(stopped.get("state").asString()).isEqualTo("stopped");
    assertThat(stopped.get("health").asString()).isEqualTo("Suspended");
    assertThat(deployment().getSpec().getReplicas()).isZero();

    finished(
        accepted(
            send(post("/api/deploy/v1/instances/" + instanceId + "/start", member(), Map.of()))));
    // Awaited rather than read once: on the sandbox a start right after a stop can finish on a
    // Deployment status built from its ReplicaSet's status of before the stop (2 of 2 available,
    // observedGeneration behind), so the standing health watch then shows Progressing until the
    // new pods are ready. What a user must see is the instance Healthy again.
    JsonNode started =
        await(
            "instance to be Healthy after start",
            InstallFromMarketE2EIT::instance,
            i -> "Healthy".equals(i.get("health").asString()));
    assertThat(started.get("state").asString()).isEqualTo("running");
    assertThat(started.get("revision").asInt())
        .as("stop and start change no desired state")
        .isEqualTo(2);
    assertThat(deployment().getSpec().getReplicas())
        .as("start restores the remembered replicas")
        .isEqualTo(2);

    JsonNode timeline =
        json(send(get("/api/deploy/v1/instances/" + instanceId + "/operations", member())), 200);
    assertThat(texts(timeline.get("items"), "kind"))
        .as("the instance's timeline, newest first")
        .containsExactly("start", "stop", "upgrade", "install");
    assertThat(texts(timeline.get("items"), "status")).containsOnly("succeeded");
  }

  @Test
  @Order(7)
  void deleteRemovesTheInstanceAndItsObjects() {
    HttpResponse<String> delete =
        send(viaGateway("/api/deploy/v1/instances/" + instanceId, member()).DELETE());
    finished(accepted(delete));

    HttpResponse<String> gone = send(get("/api/deploy/v1/instances/" + instanceId, member()));
    assertThat(gone.statusCode()).as(gone.body()).isEqualTo(404);
    assertThat(deployment()).as("nginx's Deployment after delete").isNull();
  }

  @Test
  @Order(8)
  void everyLifecycleActionIsASchemaValidCloudEventOnTheDeployTopicInOrder() {
    List<String> expected =
        List.of("installed", "upgraded", "stopped", "started", "deleted").stream()
            .map(e -> "runnel.deploy.instance." + e + ".v1")
            .toList();
    // Per-aggregate order: once the last action's event is on the topic, the earlier ones are too.
    events.await(
        m -> instanceId.equals(m.subject()) && expected.get(expected.size() - 1).equals(m.type()),
        WAIT);
    // Delivery is at least once, so a redelivered event (same id) is counted once.
    List<TopicRecorder.Message> lifecycle =
        events.messages().stream()
            .filter(m -> instanceId.equals(m.subject()) && expected.contains(m.type()))
            .collect(
                Collectors.toMap(
                    TopicRecorder.Message::id, m -> m, (first, again) -> first, LinkedHashMap::new))
            .values()
            .stream()
            .toList();
    assertThat(lifecycle)
        .as("the instance's events, one per action, in the order they happened")
        .extracting(TopicRecorder.Message::type)
        .containsExactlyElementsOf(expected);
    for (TopicRecorder.Message m : lifecycle) {
      assertThat(m.key())
          .as("keyed by the instance, so one partition keeps their order")
          .isEqualTo(instanceId);
      assertThat(m.header("ce_source")).isEqualTo("/runnel/deploy");
      assertThat(m.header("ce_team")).isEqualTo(TEAM);
      assertThat(m.header("ce_actor")).isEqualTo(MEMBER);
      assertThat(m.value()).contains("\"instanceId\":\"" + instanceId + "\"");
      EventSchemas.assertValid(m.type(), m.value());
    }
  }

  private static String admin() {
    return TestTokens.get().admin();
  }

  private static String member() {
    return TestTokens.get().user(MEMBER).teamRole(TEAM, "team-member").mint();
  }

  private static Path jar(String name) {
    String path = System.getProperty("runnel.jar." + name);
    if (path == null) {
      throw new IllegalStateException("runnel.jar." + name + " is not set; run through Maven");
    }
    return Path.of(path);
  }

  private static String newSecretKey() {
    byte[] key = new byte[32];
    new SecureRandom().nextBytes(key);
    return Base64.getEncoder().encodeToString(key);
  }

  private static JsonNode instance() {
    return json(send(get("/api/deploy/v1/instances/" + instanceId, member())), 200);
  }

  private static JsonNode revisions() {
    return json(send(get("/api/deploy/v1/instances/" + instanceId + "/revisions", member())), 200)
        .get("items");
  }

  /** The chart names its Deployment {@code <release>-nginx}; null when there is none. */
  private static Deployment deployment() {
    return sandbox
        .client()
        .apps()
        .deployments()
        .inNamespace(TEAM)
        .withName(INSTANCE + "-nginx")
        .get();
  }

  /** A 202 with the operation it started, whose Location is the operation's address. */
  private static JsonNode accepted(HttpResponse<String> response) {
    JsonNode operation = json(response, 202);
    assertThat(response.headers().firstValue("Location"))
        .hasValue("/api/deploy/v1/operations/" + operation.get("id").asString());
    assertThat(operation.get("instanceId").asString()).isNotBlank();
    return operation;
  }

  /** Polls the operation through the gateway until it has finished; it must have succeeded. */
  private static JsonNode finished(JsonNode operation) {
    String path = "/api/deploy/v1/operations/" + operation.get("id").asString();
    JsonNode done =
        await(
            "operation " + operation.get("kind").asString() + " to finish",
            () -> json(send(get(path, member())), 200),
            op -> FINISHED.contains(op.get("status").asString()));
    assertThat(done.get("status").asString())
        .as("%s operation: %s", done.get("kind").asString(), done)
        .isEqualTo("succeeded");
    return done;
  }

  /** Asks {@code probe} again until {@code done} holds, failing with the last answer past WAIT. */
  private static <T> T await(String what, Supplier<T> probe, Predicate<T> done) {
    long deadline = System.nanoTime() + WAIT.toNanos();
    T last = probe.get();
    while (!done.test(last)) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("waited " + WAIT + " for " + what + "; last seen: " + last);
      }
      pause();
      last = probe.get();
    }
    return last;
  }

  private static List<String> texts(JsonNode array, String field) {
    return StreamSupport.stream(array.spliterator(), false)
        .map(n -> n.get(field).asString())
        .toList();
  }

  private static JsonNode json(HttpResponse<String> response, int status) {
    assertThat(response.statusCode())
        .as("%s %s: %s", response.request().method(), response.request().uri(), response.body())
        .isEqualTo(status);
    return JSON.readTree(response.body());
  }

  private static HttpRequest.Builder get(String path, String token) {
    return viaGateway(path, token).GET();
  }

  private static HttpRequest.Builder post(String path, String token, Object body) {
    return viaGateway(path, token)
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body)));
  }

  private static HttpRequest.Builder viaGateway(String path, String token) {
    return HttpRequest.newBuilder(URI.create(gateway.baseUrl() + path))
        .header("Authorization", "Bearer " + token);
  }

  private static HttpResponse<String> send(HttpRequest.Builder request) {
    try {
      return HTTP.send(
          request.timeout(Duration.ofSeconds(60)).build(), HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new AssertionError("request failed: " + e, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  /** The interval between two looks at a condition that is awaited with a deadline. */
  private static void pause() {
    try {
      Thread.sleep(250);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }
}
