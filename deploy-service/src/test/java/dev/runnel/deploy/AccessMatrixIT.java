package dev.runnel.deploy;

import static dev.runnel.testkit.AccessMatrix.Caller.ANONYMOUS;
import static dev.runnel.testkit.AccessMatrix.Caller.NO_ROLE;
import static dev.runnel.testkit.AccessMatrix.Caller.OTHER_TEAM_ADMIN;
import static dev.runnel.testkit.AccessMatrix.Caller.PLATFORM_ADMIN;
import static dev.runnel.testkit.AccessMatrix.Caller.PLATFORM_AUDITOR;
import static dev.runnel.testkit.AccessMatrix.Caller.TEAM_ADMIN;
import static dev.runnel.testkit.AccessMatrix.Caller.TEAM_MEMBER;
import static dev.runnel.testkit.AccessMatrix.Caller.TEAM_VIEWER;
import static dev.runnel.testkit.AccessMatrix.OTHER_TEAM;
import static dev.runnel.testkit.AccessMatrix.OWN_TEAM;
import static org.assertj.core.api.Assertions.assertThat;

import dev.runnel.testkit.AccessMatrix;
import dev.runnel.testkit.AccessMatrix.Caller;
import dev.runnel.testkit.TestKafka;
import dev.runnel.testkit.TestTokens;
import dev.runnel.testkit.TopicRecorder;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.http.MediaType;
import org.springframework.r2dbc.core.DatabaseClient;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;
import tools.jackson.databind.json.JsonMapper;

/**
 * Who may call what on deploy-service (BOLA/BFLA): every operation of its OpenAPI document, as
 * every kind of caller, on instances of team {@value AccessMatrix#OWN_TEAM}. A new endpoint without
 * a row here fails this test.
 *
 * <p>The rules (docs/api.md): clusters are registered and deleted by platform-admin only, and read
 * by platform-admin and platform-auditor. Team members and team admins change their team's
 * instances, viewers read them (changes 403), platform admins change everything, platform auditors
 * read everything and change nothing (403); another team's instance answers 404, to a caller with
 * no role as well.
 *
 * <p>Changes answer 202 and start an operation, and an instance runs one operation at a time (a
 * second is 409). Rather than install an instance per caller for every changing row (minutes of
 * Helm rendering on a shared machine), the changing rows share one instance and each caller's path
 * waits until the instance is idle, and for stop and start puts it into the state the operation
 * needs (running, resp. stopped): a 202 then means the caller was allowed, and a refused caller is
 * refused before the busy check, so 403/404 are unaffected by the previous caller's operation.
 * Delete installs a fresh instance per allowed caller, as a deleted instance would answer its first
 * delete operation again.
 */
class AccessMatrixIT extends DeployOnSandbox {
  private static final String INSTANCES = "/api/deploy/v1/instances";
  private static final Set<Caller> CHANGERS = EnumSet.of(PLATFORM_ADMIN, TEAM_ADMIN, TEAM_MEMBER);

  private static final JsonMapper JSON = JsonMapper.builder().build();

  @Autowired DatabaseClient db;

  /** deploy-service's topic, where every denial of the matrix must appear as an event. */
  private static TopicRecorder events;

  @BeforeAll
  static void recordEvents() {
    events = new TopicRecorder(TestKafka.get().bootstrapServers(), "runnel.deploy");
  }

  @AfterAll
  static void stopRecording() {
    events.close();
  }

  @Test
  void everyOperationHasARowAndEveryCallerGetsWhatTheRulesSay() {
    String shared = installed("mx-" + shortId());
    String cancelable = installed("mx-cancel-" + shortId());
    AccessMatrix m = matrix(shared, cancelable).recordsDenials(events, "deploy");
    m.assertComplete(web);
    m.assertHolds(web);
  }

  /**
   * An upgrade with {@code dryRun: true} changes nothing and shows the diff a reader can already
   * work out from the revisions, so it is a read: viewers and auditors get it, another team not.
   * (The matrix's upgrade row is the real upgrade; one row per operation.)
   */
  @Test
  void anUpgradePreviewIsARead() {
    String id = installed("mx-preview-" + shortId());
    AccessMatrix preview = new AccessMatrix();
    preview
        .row("POST", INSTANCES + "/{id}/upgrade")
        .path(INSTANCES + "/" + id + "/upgrade")
        .body("{\"values\":{\"replicaCount\":2},\"dryRun\":true}")
        .expect(OTHER_TEAM_ADMIN, 404)
        .expect(NO_ROLE, 404)
        .expect(ANONYMOUS, 401)
        .otherwise(200);
    preview.assertHolds(web);
    web.get()
        .uri(INSTANCES + "/{id}/operations", id)
        .headers(h -> h.setBearerAuth(TestTokens.get().admin()))
        .exchange()
        .expectStatus()
        .isOk()
        .expectBody()
        .jsonPath("$.items[*].kind")
        .isEqualTo(List.of("install"));
  }

  /** Lists hold the caller's teams' instances only: another team's do not show up there either. */
  @Test
  void listsShowOnlyTheCallersTeamsInstances() {
    String id = installed("mx-list-" + shortId());
    String viewer =
        TestTokens.get().user("matrix-list-viewer").teamRole(OWN_TEAM, "team-viewer").mint();
    String other =
        TestTokens.get().user("matrix-list-other").teamRole(OTHER_TEAM, "team-admin").mint();
    String none = TestTokens.get().user("matrix-list-none").mint();
    assertThat(listedIds(viewer)).contains(id);
    assertThat(
            listedIds(
                TestTokens.get()
                    .user("matrix-list-auditor")
                    .platformRole("platform-auditor")
                    .mint()))
        .contains(id);
    assertThat(listedIds(other)).doesNotContain(id);
    assertThat(listedIds(none)).isEmpty();
  }

  /**
   * A team's instance lives in the team's namespace (the team's name): a member can neither install
   * into another namespace nor have the chart's values move objects there, and nothing is applied.
   */
  @Test
  void aTeamPlacesNoObjectsInAnotherTeamsNamespace() {
    String away = "mx-away-" + shortId();
    String over = "mx-over-" + shortId();
    Map<String, Object> elsewhere = new HashMap<>(installBody(away));
    elsewhere.put("namespace", OTHER_TEAM);
    refused(INSTANCES, elsewhere, "go into the namespace '" + OWN_TEAM + "'");

    Map<String, Object> overridden = new HashMap<>(installBody(over));
    overridden.put("values", Map.of("namespaceOverride", OTHER_TEAM));
    refused(INSTANCES, overridden, "namespaceOverride");

    String kept = "mx-ns-" + shortId();
    String id = installed(kept);
    refused(
        INSTANCES + "/" + id + "/upgrade",
        Map.of("values", Map.of("namespaceOverride", OTHER_TEAM)),
        "into namespace '" + OTHER_TEAM + "'");

    assertThat(sandbox.client().apps().deployments().inNamespace(OTHER_TEAM).list().getItems())
        .isEmpty();
    assertThat(listed(TestTokens.get().admin(), "name"))
        .as("nothing stored for the refused installs")
        .contains(kept)
        .doesNotContain(away, over);
    web.get()
        .uri(INSTANCES + "/{id}/operations", id)
        .headers(h -> h.setBearerAuth(setup()))
        .exchange()
        .expectStatus()
        .isOk()
        .expectBody()
        .jsonPath("$.items[*].kind")
        .isEqualTo(List.of("install"));
  }

  private void refused(String uri, Map<String, Object> body, String mention) {
    web.post()
        .uri(uri)
        .headers(h -> h.setBearerAuth(setup()))
        .bodyValue(body)
        .exchange()
        .expectStatus()
        .isForbidden()
        .expectHeader()
        .contentType(MediaType.APPLICATION_PROBLEM_JSON)
        .expectBody()
        .jsonPath("$.detail")
        .value(d -> assertThat((String) d).contains(mention));
  }

  private List<String> listedIds(String token) {
    return listed(token, "id");
  }

  private List<String> listed(String token, String field) {
    Map<String, Object> page =
        web.get()
            .uri(INSTANCES + "?limit=200")
            .headers(h -> h.setBearerAuth(token))
            .exchange()
            .expectStatus()
            .isOk()
            .expectBody(new ParameterizedTypeReference<Map<String, Object>>() {})
            .returnResult()
            .getResponseBody();
    @SuppressWarnings("unchecked")
    List<Map<String, Object>> items = (List<Map<String, Object>>) page.get("items");
    return items.stream().map(i -> (String) i.get(field)).toList();
  }

  private AccessMatrix matrix(String shared, String cancelable) {
    AccessMatrix m = new AccessMatrix();
    String clusterPath = "/api/deploy/v1/clusters/" + cluster;

    // ------------------------------------------------------------ clusters: platform roles only
    m.row("POST", "/api/deploy/v1/clusters")
        .body(c -> json(Map.of("name", "mx-new-" + shortId(), "kubeconfig", sandbox.kubeconfig())))
        .expect(PLATFORM_ADMIN, 201)
        .expect(ANONYMOUS, 401)
        .otherwise(403);
    m.row("GET", "/api/deploy/v1/clusters")
        .expect(PLATFORM_ADMIN, 200)
        .expect(PLATFORM_AUDITOR, 200)
        .expect(ANONYMOUS, 401)
        .otherwise(403);
    m.row("GET", "/api/deploy/v1/clusters/{name}")
        .path(clusterPath)
        .expect(PLATFORM_ADMIN, 200)
        .expect(PLATFORM_AUDITOR, 200)
        .expect(ANONYMOUS, 401)
        .otherwise(403);
    m.row("GET", "/api/deploy/v1/clusters/{name}/nodes")
        .path(clusterPath + "/nodes")
        .expect(PLATFORM_ADMIN, 200)
        .expect(PLATFORM_AUDITOR, 200)
        .expect(ANONYMOUS, 401)
        .otherwise(403);
    m.row("DELETE", "/api/deploy/v1/clusters/{name}")
        .path(c -> "/api/deploy/v1/clusters/" + registerCluster("mx-del"))
        .expect(PLATFORM_ADMIN, 204)
        .expect(ANONYMOUS, 401)
        .otherwise(403);

    // ------------------------------------------------------------ instances: reads
    m.row("GET", INSTANCES).expect(ANONYMOUS, 401).otherwise(200);
    reads(m.row("GET", INSTANCES + "/{id}").path(INSTANCES + "/" + shared));
    reads(
        m.row("GET", INSTANCES + "/{id}/resources").path(INSTANCES + "/" + shared + "/resources"));
    reads(
        m.row("GET", INSTANCES + "/{id}/revisions").path(INSTANCES + "/" + shared + "/revisions"));
    reads(
        m.row("GET", INSTANCES + "/{id}/operations")
            .path(INSTANCES + "/" + shared + "/operations"));

    reads(m.row("GET", INSTANCES + "/{id}/logs").path(INSTANCES + "/" + shared + "/logs"));
    reads(m.row("GET", INSTANCES + "/{id}/events").path(INSTANCES + "/" + shared + "/events"));
    // An export holds the user's values (passwords included): those who may change the instance.
    m.row("GET", INSTANCES + "/{id}/export")
        .path(INSTANCES + "/" + shared + "/export")
        .expect(PLATFORM_ADMIN, 200)
        .expect(TEAM_ADMIN, 200)
        .expect(TEAM_MEMBER, 200)
        .expect(PLATFORM_AUDITOR, 403)
        .expect(TEAM_VIEWER, 403)
        .expect(OTHER_TEAM_ADMIN, 404)
        .expect(NO_ROLE, 404)
        .expect(ANONYMOUS, 401);
    m.exclude(
        "POST",
        INSTANCES + "/import",
        "a multipart upload, which the matrix does not send; InstanceBundlesIT checks who may"
            + " import");

    // ------------------------------------------------------------ instances: changes
    // Installing into a team is changing it: the own team's admin and member, platform-admin; a
    // team the caller is not in is not there for them (404), a reader may not (403).
    changes(m.row("POST", INSTANCES).body(c -> json(installBody("mx-new-" + shortId()))));
    changes(
        m.row("POST", INSTANCES + "/{id}/upgrade")
            .path(c -> idle(shared) + "/upgrade")
            .body("{\"values\":{\"replicaCount\":1}}"));
    changes(
        m.row("POST", INSTANCES + "/{id}/rollback")
            .path(c -> idle(shared) + "/rollback")
            .body("{\"revision\":1}"));
    changes(m.row("POST", INSTANCES + "/{id}/restart").path(c -> idle(shared) + "/restart"));
    changes(
        m.row("POST", INSTANCES + "/{id}/stop")
            .path(c -> inState(shared, c, "running", "start") + "/stop"));
    changes(
        m.row("POST", INSTANCES + "/{id}/start")
            .path(c -> inState(shared, c, "stopped", "stop") + "/start"));
    changes(
        m.row("DELETE", INSTANCES + "/{id}")
            .path(
                c ->
                    CHANGERS.contains(c)
                        ? INSTANCES + "/" + installed("mx-del-" + shortId())
                        : idle(shared)));

    // ------------------------------------------------------------ custom domains (synchronous)
    String domains = INSTANCES + "/" + shared + "/domains";
    String service = state(shared, "name") + "-nginx";
    reads(m.row("GET", INSTANCES + "/{id}/domains").path(c -> idle(shared) + "/domains"));
    domainChanges(
        m.row("POST", INSTANCES + "/{id}/domains")
            .path(c -> idle(shared) + "/domains")
            .body(c -> json(domainBody("mx-" + shortId() + ".example.com", service))),
        201);
    domainChanges(
        m.row("DELETE", INSTANCES + "/{id}/domains/{host}")
            .path(
                c ->
                    CHANGERS.contains(c)
                        ? domainAdded(idle(shared), "mx-del-" + shortId() + ".example.com", service)
                        : domains + "/absent.example.com"),
        204);
    AtomicReference<String> accessHost = new AtomicReference<>();
    domainChanges(
        m.row("PUT", INSTANCES + "/{id}/domains/{host}/access")
            .path(
                c -> {
                  if (accessHost.get() == null) {
                    accessHost.set(
                        domainAdded(
                            idle(shared), "mx-access-" + shortId() + ".example.com", service));
                  }
                  return idle(shared)
                      + "/domains/"
                      + accessHost.get().replaceAll(".*/", "")
                      + "/access";
                })
            .body("{\"ipAllowList\":[\"10.0.0.0/8\"],\"wafProtected\":true}"),
        200);

    // ------------------------------------------------------------ team namespaces: reads
    knownTeam(OWN_TEAM);
    reads(
        m.row("GET", "/api/deploy/v1/teams/{team}/namespaces")
            .path("/api/deploy/v1/teams/" + OWN_TEAM + "/namespaces"));

    // ------------------------------------------------------------ operations
    String operation = "/api/deploy/v1/operations/" + lastOperation(shared);
    reads(m.row("GET", "/api/deploy/v1/operations/{id}").path(c -> operation));
    reads(m.row("GET", "/api/deploy/v1/operations/{id}/events").path(c -> operation + "/events"));
    // Cancelling is allowed only past the operation's 15-minute deadline: the path is an operation
    // a stopped service left running past it (the one a refused caller before left, if any).
    changes(
            m.row("POST", "/api/deploy/v1/operations/{id}/cancel")
                .path(c -> "/api/deploy/v1/operations/" + overdueOperation(cancelable) + "/cancel"))
        .expect(PLATFORM_ADMIN, 200)
        .expect(TEAM_ADMIN, 200)
        .expect(TEAM_MEMBER, 200);
    return m;
  }

  /** Everyone with a role in the team, and the platform roles, read; others do not see it. */
  private static void reads(AccessMatrix.Row row) {
    row.expect(OTHER_TEAM_ADMIN, 404).expect(NO_ROLE, 404).expect(ANONYMOUS, 401).otherwise(200);
  }

  /** The team's admins and members and platform-admin change; readers may not; others see none. */
  private static AccessMatrix.Row changes(AccessMatrix.Row row) {
    for (Caller c : CHANGERS) {
      row.expect(c, 202);
    }
    return row.expect(PLATFORM_AUDITOR, 403)
        .expect(TEAM_VIEWER, 403)
        .expect(OTHER_TEAM_ADMIN, 404)
        .expect(NO_ROLE, 404)
        .expect(ANONYMOUS, 401);
  }

  /** As {@link #changes}, for the synchronous domain endpoints that answer {@code status}. */
  private static AccessMatrix.Row domainChanges(AccessMatrix.Row row, int status) {
    for (Caller c : CHANGERS) {
      row.expect(c, status);
    }
    return row.expect(PLATFORM_AUDITOR, 403)
        .expect(TEAM_VIEWER, 403)
        .expect(OTHER_TEAM_ADMIN, 404)
        .expect(NO_ROLE, 404)
        .expect(ANONYMOUS, 401);
  }

  private static Map<String, Object> domainBody(String host, String service) {
    return Map.of("host", host, "service", service, "port", "http");
  }

  /** Adds a domain to the instance at {@code path} and answers the domain's path. */
  private String domainAdded(String path, String host, String service) {
    web.post()
        .uri(path + "/domains")
        .headers(h -> h.setBearerAuth(setup()))
        .bodyValue(domainBody(host, service))
        .exchange()
        .expectStatus()
        .isCreated();
    return path + "/domains/" + host;
  }

  // ---------------------------------------------------------------- fixtures

  /**
   * The team as identity-service's events would have left it in deploy's projection, so its
   * namespace status is there to read (TeamNamespacesIT covers the events themselves).
   */
  private void knownTeam(String team) {
    StepVerifier.create(
            db.sql(
                    "insert into team_projection (name, display_name, deleted, version,"
                        + " last_event_id, last_event_type, updated_at) values (:name, :name,"
                        + " false, 1, 'access-matrix', 'runnel.identity.team.created.v1', now())"
                        + " on conflict (name) do nothing")
                .bind("name", team)
                .then())
        .verifyComplete();
  }

  private static String setup() {
    return TestTokens.get().user("matrix-setup").teamRole(OWN_TEAM, "team-member").mint();
  }

  /** Installs nginx into the own team and waits until it runs; answers its id. */
  private String installed(String name) {
    Map<String, Object> op = post(INSTANCES, installBody(name));
    assertThat(awaitFinished((String) op.get("id")).get("status"))
        .as("install of %s", name)
        .isEqualTo("succeeded");
    return (String) op.get("instanceId");
  }

  private static Map<String, Object> installBody(String name) {
    return Map.of(
        "cluster", cluster,
        "namespace", OWN_TEAM,
        "team", OWN_TEAM,
        "name", name,
        "repository", "fixtures",
        "chart", "nginx",
        "version", "22.1.1");
  }

  /** The instance's path once its last operation finished. */
  private String idle(String id) {
    String last = lastOperation(id);
    awaitFinished(last);
    return INSTANCES + "/" + id;
  }

  /**
   * The instance's path once it is idle and, for a caller who may change it, in {@code state}
   * (reached with the operation {@code toward}).
   */
  private String inState(String id, Caller caller, String state, String toward) {
    String path = idle(id);
    if (CHANGERS.contains(caller) && !state.equals(state(id))) {
      Map<String, Object> op = post(path + "/" + toward, Map.of());
      assertThat(awaitFinished((String) op.get("id")).get("status")).isEqualTo("succeeded");
      assertThat(state(id)).isEqualTo(state);
    }
    return path;
  }

  private String state(String id) {
    return state(id, "state");
  }

  private String state(String id, String field) {
    return (String)
        web.get()
            .uri(INSTANCES + "/{id}", id)
            .headers(h -> h.setBearerAuth(setup()))
            .exchange()
            .expectStatus()
            .isOk()
            .expectBody(new ParameterizedTypeReference<Map<String, Object>>() {})
            .returnResult()
            .getResponseBody()
            .get(field);
  }

  private String lastOperation(String id) {
    Map<String, Object> timeline =
        web.get()
            .uri(INSTANCES + "/{id}/operations?limit=1", id)
            .headers(h -> h.setBearerAuth(setup()))
            .exchange()
            .expectStatus()
            .isOk()
            .expectBody(new ParameterizedTypeReference<Map<String, Object>>() {})
            .returnResult()
            .getResponseBody();
    @SuppressWarnings("unchecked")
    List<Map<String, Object>> items = (List<Map<String, Object>>) timeline.get("items");
    return (String) items.get(0).get("id");
  }

  /**
   * An operation of the instance still running after its deadline, as a service that stopped
   * mid-operation leaves it: the one already there, or a new one.
   */
  private String overdueOperation(String instance) {
    UUID instanceId = UUID.fromString(instance);
    Mono<UUID> existing =
        db.sql(
                "select id from operation where instance_id = :instance"
                    + " and status in ('queued', 'pending', 'running')")
            .bind("instance", instanceId)
            .map(r -> r.get("id", UUID.class))
            .one();
    Mono<UUID> inserted =
        Mono.defer(
            () -> {
              UUID id = UUID.randomUUID();
              return db.sql(
                      "insert into operation (id, instance_id, kind, status, steps, log, actor,"
                          + " request, created_at, started_at, deadline_at) values (:id,"
                          + " :instance, 'restart', 'running', '[]', '[]', 'matrix-setup', '{}',"
                          + " now() - interval '20 minutes', now() - interval '20 minutes',"
                          + " now() - interval '5 minutes')")
                  .bind("id", id)
                  .bind("instance", instanceId)
                  .then()
                  .thenReturn(id);
            });
    AtomicReference<UUID> found = new AtomicReference<>();
    StepVerifier.create(existing.switchIfEmpty(inserted))
        .consumeNextWith(found::set)
        .expectComplete()
        .verify(WAIT);
    return found.get().toString();
  }

  private Map<String, Object> post(String uri, Map<String, Object> body) {
    return web.post()
        .uri(uri)
        .headers(h -> h.setBearerAuth(setup()))
        .bodyValue(body)
        .exchange()
        .expectStatus()
        .isAccepted()
        .expectBody(new ParameterizedTypeReference<Map<String, Object>>() {})
        .returnResult()
        .getResponseBody();
  }

  private static String json(Map<String, ?> body) {
    return JSON.writeValueAsString(body);
  }

  private Map<String, Object> awaitFinished(String operationId) {
    return awaitFinished(operationId, setup());
  }
}
