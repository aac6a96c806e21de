package dev.runnel.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.runnel.sandbox.KubeSandbox;
import dev.runnel.sandbox.SandboxOptions;
import dev.runnel.testkit.EventSchemas;
import dev.runnel.testkit.TestKafka;
import dev.runnel.testkit.TestTokens;
import dev.runnel.testkit.TopicRecorder;
import io.cloudevents.CloudEvent;
import io.cloudevents.core.builder.CloudEventBuilder;
import io.cloudevents.kafka.KafkaMessageFactory;
import io.fabric8.kubernetes.api.model.LimitRange;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceQuota;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.http.MediaType;

/**
 * identity-service's team and quota events, published onto {@code runnel.identity} as identity
 * publishes them, become each team's namespace with RoleBindings, ResourceQuota, LimitRange and
 * NetworkPolicies on every registered cluster; deploy's preflight holds installs to the quota.
 */
class TeamNamespacesIT extends DeployOnSandbox {
  private static final String NAMESPACES = "/api/deploy/v1/teams/{team}/namespaces";
  private static final String RECONCILED = "runnel.deploy.team-namespace.reconciled.v1";
  private static final String FAILED = "runnel.deploy.team-namespace.failed.v1";
  private static TopicRecorder events;
  private static KafkaProducer<String, byte[]> producer;

  @BeforeAll
  static void connect() {
    events = new TopicRecorder(TestKafka.get().bootstrapServers(), "runnel.deploy");
    Properties config = new Properties();
    config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, TestKafka.get().bootstrapServers());
    config.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
    config.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
    producer = new KafkaProducer<>(config);
  }

  @AfterAll
  static void disconnect() {
    if (events != null) {
      events.close();
    }
    if (producer != null) {
      producer.close();
    }
  }

  @Test
  void aTeamGetsItsNamespaceWithAccessQuotaDefaultsAndIsolation() {
    String team = "tk-" + shortId();
    publish(teamEvent("runnel.identity.team.created.v1", team, "Team " + team));
    publish(quotaEvent(team, "2", "4Gi", "10Gi", 5));

    KubernetesClient kube = sandbox.client();
    await()
        .atMost(WAIT)
        .untilAsserted(
            () ->
                assertThat(quota(kube, team))
                    .containsEntry("requests.cpu", new Quantity("2"))
                    .containsEntry("requests.memory", new Quantity("4Gi"))
                    .containsEntry("requests.storage", new Quantity("10Gi")));

    Namespace ns = kube.namespaces().withName(team).get();
    assertThat(ns.getMetadata().getLabels())
        .containsEntry("app.kubernetes.io/managed-by", "runnel")
        .containsEntry("runnel.dev/team", team);
    assertThat(ns.getMetadata().getAnnotations())
        .containsEntry("runnel.dev/team-display-name", "Team " + team);

    Map<String, RoleBinding> bindings = new java.util.HashMap<>();
    kube.rbac()
        .roleBindings()
        .inNamespace(team)
        .list()
        .getItems()
        .forEach(b -> bindings.put(b.getMetadata().getName(), b));
    assertThat(bindings)
        .containsOnlyKeys("runnel-team-admin", "runnel-team-member", "runnel-team-viewer");
    Map<String, String> roleOf =
        Map.of("team-admin", "admin", "team-member", "edit", "team-viewer", "view");
    roleOf.forEach(
        (teamRole, clusterRole) -> {
          RoleBinding b = bindings.get("runnel-" + teamRole);
          assertThat(b.getRoleRef().getKind()).isEqualTo("ClusterRole");
          assertThat(b.getRoleRef().getName()).isEqualTo(clusterRole);
          assertThat(b.getSubjects())
              .singleElement()
              .satisfies(
                  s -> {
                    assertThat(s.getKind()).isEqualTo("Group");
                    assertThat(s.getName()).isEqualTo("runnel:team:" + team + ":" + teamRole);
                  });
          assertThat(b.getMetadata().getLabels()).containsEntry("runnel.dev/team", team);
        });

    LimitRange limits = kube.limitRanges().inNamespace(team).withName("runnel-team-defaults").get();
    assertThat(limits.getSpec().getLimits())
        .singleElement()
        .satisfies(
            l -> {
              assertThat(l.getType()).isEqualTo("Container");
              assertThat(l.getDefaultRequest())
                  .containsEntry("cpu", new Quantity("100m"))
                  .containsEntry("memory", new Quantity("128Mi"));
            });

    NetworkPolicy deny =
        kube.network()
            .networkPolicies()
            .inNamespace(team)
            .withName("runnel-default-deny-ingress")
            .get();
    assertThat(deny.getSpec().getPolicyTypes()).containsExactly("Ingress");
    assertThat(deny.getSpec().getIngress()).isNullOrEmpty();
    assertThat(deny.getSpec().getPodSelector().getMatchLabels()).isNullOrEmpty();
    NetworkPolicy allow =
        kube.network()
            .networkPolicies()
            .inNamespace(team)
            .withName("runnel-allow-team-and-ingress")
            .get();
    assertThat(allow.getSpec().getIngress()).singleElement();
    var from = allow.getSpec().getIngress().get(0).getFrom();
    assertThat(from).hasSize(2);
    assertThat(from.get(0).getPodSelector()).isNotNull();
    assertThat(from.get(0).getNamespaceSelector()).isNull();
    assertThat(from.get(1).getNamespaceSelector().getMatchLabels())
        .containsExactly(Map.entry("kubernetes.io/metadata.name", "kube-system"));

    // The status endpoint, as the team sees it; the event, as the platform sees it.
    Map<String, Object> status = awaitCurrent(team, cluster, viewerOf(team));
    assertThat(status.get("state")).isEqualTo("reconciled");
    TopicRecorder.Message reconciled = events.await(m -> isFor(m, RECONCILED, team, cluster), WAIT);
    EventSchemas.assertValid(reconciled.type(), reconciled.value());
    assertThat(reconciled.header("ce_team")).isEqualTo(team);
    assertThat(reconciled.value()).contains("\"action\":\"applied\"");

    // A quota change updates the ResourceQuota.
    publish(quotaEvent(team, "3", "6Gi", "10Gi", 5));
    await()
        .atMost(WAIT)
        .untilAsserted(
            () ->
                assertThat(quota(kube, team))
                    .containsEntry("requests.cpu", new Quantity("3"))
                    .containsEntry("requests.memory", new Quantity("6Gi")));
  }

  @Test
  void aRedeliveredOrRepeatedEventCausesNoWork() {
    String team = "tk-dup-" + shortId();
    publish(teamEvent("runnel.identity.team.created.v1", team, "Dup"));
    CloudEvent quota = quotaEvent(team, "1", "1Gi", null, 3);
    publish(quota);
    awaitVersion(team, 2);

    publish(quota); // redelivered: the same event id
    publish(quotaEvent(team, "1", "1Gi", null, 3)); // the same content again under a new id
    publish(teamEvent("runnel.identity.team.updated.v1", team, "Dup renamed")); // a real change

    // Events of one team are handled in order: once the rename is in, the duplicates were too.
    Map<String, Object> after = awaitVersion(team, 3);
    assertThat(((Number) after.get("version")).longValue())
        .as("only the rename raised the team's version")
        .isEqualTo(3);
    awaitCurrent(team, cluster, admin());
    assertThat(sandbox.client().namespaces().withName(team).get().getMetadata().getAnnotations())
        .containsEntry("runnel.dev/team-display-name", "Dup renamed");
    List<TopicRecorder.Message> renamed =
        events.awaitCount(
            m -> isFor(m, RECONCILED, team, cluster) && m.value().contains("\"version\":3"),
            1,
            WAIT);
    assertThat(renamed).as("one reconcile of version 3 on the cluster").hasSize(1);
    assertThat(events.messages())
        .as("no reconcile beyond version 3")
        .noneMatch(m -> isFor(m, RECONCILED, team, null) && m.value().contains("\"version\":4"));
  }

  @Test
  void onlyTheTeamAndThePlatformSeeItsNamespaces() {
    String team = "tk-scope-" + shortId();
    publish(teamEvent("runnel.identity.team.created.v1", team, "Scope"));
    awaitCurrent(team, cluster, viewerOf(team));
    String auditor = TestTokens.get().user("tk-auditor").platformRole("platform-auditor").mint();
    web.get()
        .uri(NAMESPACES, team)
        .headers(h -> h.setBearerAuth(auditor))
        .exchange()
        .expectStatus()
        .isOk();
    String other = TestTokens.get().user("tk-other").teamRole("tk-elsewhere", "team-admin").mint();
    web.get()
        .uri(NAMESPACES, team)
        .headers(h -> h.setBearerAuth(other))
        .exchange()
        .expectStatus()
        .isNotFound()
        .expectHeader()
        .contentType(MediaType.APPLICATION_PROBLEM_JSON);
    web.get().uri(NAMESPACES, team).exchange().expectStatus().isUnauthorized();
    web.get()
        .uri(NAMESPACES, "tk-never-" + shortId())
        .headers(h -> h.setBearerAuth(admin()))
        .exchange()
        .expectStatus()
        .isNotFound();
  }

  /**
   * A cluster registered after the team gets its namespace too; a cluster that stops answering is
   * marked failed (and retried) without holding up the others.
   */
  @Test
  void aLaterClusterGetsTheTeamAndAnUnreachableOneDoesNotHoldUpTheOthers() throws IOException {
    String team = "tk-late-" + shortId();
    publish(teamEvent("runnel.identity.team.created.v1", team, "Late"));
    awaitCurrent(team, cluster, admin());

    KubeSandbox second = KubeSandbox.start(SandboxOptions.defaults());
    String late;
    try {
      late = registerClusterWith("late", second.kubeconfig());
      // The namespace is applied before the objects in it: wait for the last of them too.
      await()
          .atMost(WAIT)
          .untilAsserted(
              () -> {
                assertThat(second.client().namespaces().withName(team).get()).isNotNull();
                assertThat(
                        second
                            .client()
                            .resourceQuotas()
                            .inNamespace(team)
                            .withName("runnel-team-quota")
                            .get())
                    .isNotNull();
              });
      awaitCurrent(team, late, admin());
      EventSchemas.assertValid(
          RECONCILED, events.await(m -> isFor(m, RECONCILED, team, late), WAIT).value());
    } finally {
      second.close();
    }

    publish(quotaEvent(team, "1", null, null, null));
    Map<String, Object> failed = awaitState(team, late, "failed");
    assertThat((String) failed.get("error")).contains(late);
    assertThat(failed.get("nextAttemptAt")).isNotNull();
    TopicRecorder.Message failure = events.await(m -> isFor(m, FAILED, team, late), WAIT);
    EventSchemas.assertValid(failure.type(), failure.value());
    // The reachable cluster has the change all the same.
    Map<String, Object> here = awaitCurrent(team, cluster, admin());
    assertThat(here.get("state")).isEqualTo("reconciled");
    await()
        .atMost(WAIT)
        .untilAsserted(
            () ->
                assertThat(quota(sandbox.client(), team))
                    .containsEntry("requests.cpu", new Quantity("1")));

    web.delete()
        .uri("/api/deploy/v1/clusters/{name}", late)
        .headers(h -> h.setBearerAuth(admin()))
        .exchange()
        .expectStatus()
        .isNoContent();
  }

  /**
   * Installs and upgrades that would take the team past its quota are refused with a problem that
   * says what is short, before anything is stored or applied; a deleted team's namespace goes.
   */
  @Test
  void theQuotaHoldsInstallsAndUpgradesAndADeletedTeamsNamespaceGoes() {
    String team = "tk-quota-" + shortId();
    publish(teamEvent("runnel.identity.team.created.v1", team, "Quota"));
    publish(quotaEvent(team, "2", "4Gi", null, 1));
    awaitVersion(team, 2);
    String member = TestTokens.get().user("tk-member").teamRole(team, "team-member").mint();

    String first = "web-" + shortId();
    Map<String, Object> op = install(member, team, first, Map.of());
    String instanceId = (String) op.get("instanceId");
    assertThat(awaitFinished((String) op.get("id"), member).get("status")).isEqualTo("succeeded");

    // A second instance is one more than the quota allows.
    String second = "web-" + shortId();
    Map<String, Object> refused = refusedInstall(member, team, second, Map.of());
    assertThat((String) refused.get("detail")).contains("instances: the team has 1 of 1");

    // An upgrade to 40 replicas asks for more CPU than the quota of 2 cores.
    Map<String, Object> tooBig =
        web.post()
            .uri("/api/deploy/v1/instances/{id}/upgrade", instanceId)
            .headers(h -> h.setBearerAuth(member))
            .bodyValue(Map.of("values", Map.of("replicaCount", 40)))
            .exchange()
            .expectStatus()
            .isEqualTo(409)
            .expectHeader()
            .contentType(MediaType.APPLICATION_PROBLEM_JSON)
            .expectBody(new ParameterizedTypeReference<Map<String, Object>>() {})
            .returnResult()
            .getResponseBody();
    assertThat((String) tooBig.get("detail")).contains("CPU requests").contains("quota of 2");
    assertThat(sandbox.client().apps().deployments().inNamespace(team).list().getItems())
        .singleElement()
        .satisfies(d -> assertThat(d.getSpec().getReplicas()).isEqualTo(1));
    web.get()
        .uri("/api/deploy/v1/instances/{id}/operations", instanceId)
        .headers(h -> h.setBearerAuth(member))
        .exchange()
        .expectStatus()
        .isOk()
        .expectBody()
        .jsonPath("$.items[*].kind")
        .isEqualTo(List.of("install"));
    assertThat(instanceNames(member)).containsExactly(first);

    // The team's instances go, then the team: its namespace goes with it.
    Map<String, Object> deletion =
        web.delete()
            .uri("/api/deploy/v1/instances/{id}", instanceId)
            .headers(h -> h.setBearerAuth(member))
            .exchange()
            .expectStatus()
            .isAccepted()
            .expectBody(new ParameterizedTypeReference<Map<String, Object>>() {})
            .returnResult()
            .getResponseBody();
    assertThat(awaitFinished((String) deletion.get("id"), member).get("status"))
        .isEqualTo("succeeded");
    publish(teamEvent("runnel.identity.team.deleted.v1", team, "Quota"));
    await()
        .atMost(WAIT)
        .untilAsserted(
            () -> assertThat(sandbox.client().namespaces().withName(team).get()).isNull());
    assertThat(awaitState(team, cluster, "deleted").get("current")).isEqualTo(true);
    TopicRecorder.Message removed =
        events.await(
            m -> isFor(m, RECONCILED, team, cluster) && m.value().contains("\"removed\""), WAIT);
    EventSchemas.assertValid(removed.type(), removed.value());
  }

  // ---------------------------------------------------------------- helpers

  private static String admin() {
    return TestTokens.get().admin();
  }

  private static String viewerOf(String team) {
    return TestTokens.get().user("tk-viewer").teamRole(team, "team-viewer").mint();
  }

  private String registerClusterWith(String prefix, String kubeconfig) {
    String name = prefix + "-" + shortId();
    web.post()
        .uri("/api/deploy/v1/clusters")
        .headers(h -> h.setBearerAuth(admin()))
        .bodyValue(Map.of("name", name, "kubeconfig", kubeconfig))
        .exchange()
        .expectStatus()
        .isCreated();
    return name;
  }

  private static Map<String, Quantity> quota(KubernetesClient kube, String team) {
    ResourceQuota q = kube.resourceQuotas().inNamespace(team).withName("runnel-team-quota").get();
    assertThat(q).as("ResourceQuota of %s", team).isNotNull();
    assertThat(q.getMetadata().getLabels())
        .containsEntry("app.kubernetes.io/managed-by", "runnel")
        .containsEntry("runnel.dev/team", team);
    return q.getSpec().getHard();
  }

  private Map<String, Object> namespaces(String team, String token) {
    return web.get()
        .uri(NAMESPACES, team)
        .headers(h -> h.setBearerAuth(token))
        .exchange()
        .expectStatus()
        .isOk()
        .expectBody(new ParameterizedTypeReference<Map<String, Object>>() {})
        .returnResult()
        .getResponseBody();
  }

  @SuppressWarnings("unchecked")
  private Map<String, Object> clusterEntry(String team, String on, String token) {
    return ((List<Map<String, Object>>) namespaces(team, token).get("clusters"))
        .stream().filter(c -> on.equals(c.get("cluster"))).findFirst().orElse(null);
  }

  /** Waits until the team is known and its namespace on the cluster is at its latest version. */
  private Map<String, Object> awaitCurrent(String team, String on, String token) {
    return await()
        .atMost(WAIT)
        .ignoreExceptions()
        .until(
            () -> {
              Map<String, Object> c = clusterEntry(team, on, token);
              if (c == null || !Boolean.TRUE.equals(c.get("current"))) {
                return null;
              }
              Map<String, Object> withVersion = new java.util.HashMap<>(c);
              withVersion.put("version", namespaces(team, token).get("version"));
              return withVersion;
            },
            java.util.Objects::nonNull);
  }

  private Map<String, Object> awaitState(String team, String on, String state) {
    return await()
        .atMost(WAIT)
        .ignoreExceptions()
        .until(
            () -> clusterEntry(team, on, admin()), c -> c != null && state.equals(c.get("state")));
  }

  private Map<String, Object> awaitVersion(String team, long version) {
    return await()
        .atMost(WAIT)
        .ignoreExceptions()
        .until(
            () -> namespaces(team, admin()),
            p -> ((Number) p.get("version")).longValue() >= version);
  }

  private static boolean isFor(TopicRecorder.Message m, String type, String team, String on) {
    return type.equals(m.type())
        && team.equals(m.subject())
        && (on == null || m.value().contains("\"cluster\":\"" + on + "\""));
  }

  private static int reconciledCount(String team) {
    return (int) events.messages().stream().filter(m -> isFor(m, RECONCILED, team, null)).count();
  }

  private Map<String, Object> install(
      String token, String team, String name, Map<String, Object> values) {
    return web.post()
        .uri("/api/deploy/v1/instances")
        .headers(h -> h.setBearerAuth(token))
        .bodyValue(installBody(team, name, values))
        .exchange()
        .expectStatus()
        .isAccepted()
        .expectBody(new ParameterizedTypeReference<Map<String, Object>>() {})
        .returnResult()
        .getResponseBody();
  }

  private Map<String, Object> refusedInstall(
      String token, String team, String name, Map<String, Object> values) {
    return web.post()
        .uri("/api/deploy/v1/instances")
        .headers(h -> h.setBearerAuth(token))
        .bodyValue(installBody(team, name, values))
        .exchange()
        .expectStatus()
        .isEqualTo(409)
        .expectHeader()
        .contentType(MediaType.APPLICATION_PROBLEM_JSON)
        .expectBody(new ParameterizedTypeReference<Map<String, Object>>() {})
        .returnResult()
        .getResponseBody();
  }

  private static Map<String, Object> installBody(
      String team, String name, Map<String, Object> values) {
    return Map.of(
        "cluster", cluster,
        "namespace", team,
        "team", team,
        "name", name,
        "repository", "fixtures",
        "chart", "nginx",
        "version", "22.1.1",
        "values", values);
  }

  @SuppressWarnings("unchecked")
  private List<String> instanceNames(String token) {
    Map<String, Object> page =
        web.get()
            .uri("/api/deploy/v1/instances?limit=200")
            .headers(h -> h.setBearerAuth(token))
            .exchange()
            .expectStatus()
            .isOk()
            .expectBody(new ParameterizedTypeReference<Map<String, Object>>() {})
            .returnResult()
            .getResponseBody();
    return ((List<Map<String, Object>>) page.get("items"))
        .stream().map(i -> (String) i.get("name")).toList();
  }

  private static void publish(CloudEvent event) {
    try {
      ProducerRecord<String, byte[]> record =
          KafkaMessageFactory.createWriter("runnel.identity", event.getSubject())
              .writeBinary(event);
      producer.send(record).get(30, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new AssertionError("could not publish " + event.getId(), e);
    }
  }

  /** As identity-service's outbox writes them: subject and team extension the team name. */
  private static CloudEvent identityEvent(String type, String team, String data) {
    return CloudEventBuilder.v1()
        .withId(UUID.randomUUID().toString())
        .withType(type)
        .withSource(URI.create("/runnel/identity"))
        .withSubject(team)
        .withTime(OffsetDateTime.now(ZoneOffset.UTC))
        .withExtension("team", team)
        .withExtension("actor", "admin")
        .withData("application/json", data.getBytes(StandardCharsets.UTF_8))
        .build();
  }

  private static CloudEvent teamEvent(String type, String team, String displayName) {
    String extra = type.endsWith("updated.v1") ? ",\"previousDisplayName\":\"Before\"" : "";
    String data =
        "{\"name\":\"" + team + "\",\"displayName\":\"" + displayName + "\"" + extra + "}";
    EventSchemas.assertValid(type, data);
    return identityEvent(type, team, data);
  }

  private static CloudEvent quotaEvent(
      String team, String cpu, String memory, String storage, Integer instances) {
    String data =
        "{\"team\":\""
            + team
            + "\",\"cpu\":"
            + json(cpu)
            + ",\"memory\":"
            + json(memory)
            + ",\"storage\":"
            + json(storage)
            + ",\"instances\":"
            + instances
            + "}";
    EventSchemas.assertValid("runnel.identity.quota.updated.v1", data);
    return identityEvent("runnel.identity.quota.updated.v1", team, data);
  }

  private static String json(String s) {
    return s == null ? "null" : "\"" + s + "\"";
  }
}
