package dev.runnel.identity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.runnel.identity.team.application.KeycloakTeamSync;
import dev.runnel.testkit.EventSchemas;
import dev.runnel.testkit.TestKafka;
import dev.runnel.testkit.TestPostgres;
import dev.runnel.testkit.TestTokens;
import dev.runnel.testkit.TopicRecorder;
import io.cloudevents.CloudEvent;
import io.cloudevents.core.builder.CloudEventBuilder;
import io.cloudevents.kafka.KafkaMessageFactory;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.keycloak.representations.idm.GroupRepresentation;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.HttpStatus;
import reactor.test.StepVerifier;

class TeamsIT extends IdentityStack {
  private static final String PASSWORD = "Correct-Horse-42-battery";

  @Autowired KeycloakTeamSync sync;

  @Test
  void aTeamIsCreatedWithItsGroupsAndItsEvent() {
    String team = unique("acme");
    createTeam(team);

    GroupRepresentation group = realm().getGroupByPath("/teams/" + team);
    assertThat(realm().groups().group(group.getId()).getSubGroups(0, 10, true))
        .extracting(GroupRepresentation::getName)
        .containsExactlyInAnyOrder("team-admin", "team-member", "team-viewer");

    TopicRecorder.Message event =
        events.await(
            m -> team.equals(m.subject()) && m.type().equals("runnel.identity.team.created.v1"),
            EVENT_WAIT);
    assertThat(event.header("ce_team")).isEqualTo(team);
    EventSchemas.assertValid(event.type(), event.value());

    web.post()
        .uri("/api/identity/v1/teams")
        .headers(h -> h.setBearerAuth(admin()))
        .bodyValue(Map.of("name", team, "displayName", "Again"))
        .exchange()
        .expectStatus()
        .isEqualTo(HttpStatus.CONFLICT)
        .expectBody()
        .jsonPath("$.detail")
        .isEqualTo("A team named '" + team + "' already exists");
    for (String bad : List.of("Acme", "acme_corp", "-acme", "a".repeat(64), "team/../x")) {
      web.post()
          .uri("/api/identity/v1/teams")
          .headers(h -> h.setBearerAuth(admin()))
          .bodyValue(Map.of("name", bad, "displayName", "Bad"))
          .exchange()
          .expectStatus()
          .isBadRequest()
          .expectBody()
          .jsonPath("$.errors[0].field")
          .isEqualTo("name");
    }
  }

  @Test
  void membersAreMirroredToKeycloakGroupsAndEveryChangeIsPublished() {
    String team = unique("blue");
    createTeam(team);
    String name = unique("hal");
    String userId = (String) createUser(name, PASSWORD).get("id");
    String teamAdmin = TestTokens.get().user("boss").teamRole(team, "team-admin").mint();

    web.post()
        .uri("/api/identity/v1/teams/{t}/members", team)
        .headers(h -> h.setBearerAuth(teamAdmin))
        .bodyValue(Map.of("username", name, "role", "team-member"))
        .exchange()
        .expectStatus()
        .isCreated()
        .expectBody()
        .jsonPath("$.role")
        .isEqualTo("team-member");
    assertThat(groupsOf(userId)).containsExactly("/teams/" + team + "/team-member");

    // The member's token now carries the group: the contract every service reads.
    TokenAnswer token = passwordGrant(name, PASSWORD);
    assertThat(token.status()).isEqualTo(200);
    assertThat(claims(token.body().get("access_token").asString()).get("groups").toString())
        .contains("/teams/" + team + "/team-member");

    web.post()
        .uri("/api/identity/v1/teams/{t}/members", team)
        .headers(h -> h.setBearerAuth(teamAdmin))
        .bodyValue(Map.of("username", name, "role", "team-viewer"))
        .exchange()
        .expectStatus()
        .isEqualTo(HttpStatus.CONFLICT);
    web.post()
        .uri("/api/identity/v1/teams/{t}/members", team)
        .headers(h -> h.setBearerAuth(teamAdmin))
        .bodyValue(Map.of("username", "nobody-" + UUID.randomUUID(), "role", "team-member"))
        .exchange()
        .expectStatus()
        .isBadRequest()
        .expectBody()
        .jsonPath("$.errors[0].field")
        .isEqualTo("username");
    web.post()
        .uri("/api/identity/v1/teams/{t}/members", team)
        .headers(h -> h.setBearerAuth(teamAdmin))
        .bodyValue(Map.of("username", name, "role", "team-owner"))
        .exchange()
        .expectStatus()
        .isBadRequest()
        .expectBody()
        .jsonPath("$.errors[0].field")
        .isEqualTo("role");

    web.put()
        .uri("/api/identity/v1/teams/{t}/members/{u}", team, name)
        .headers(h -> h.setBearerAuth(teamAdmin))
        .bodyValue(Map.of("role", "team-viewer"))
        .exchange()
        .expectStatus()
        .isOk();
    assertThat(groupsOf(userId)).containsExactly("/teams/" + team + "/team-viewer");

    web.get()
        .uri("/api/identity/v1/me")
        .headers(h -> h.setBearerAuth(TestTokens.get().user(name).mint()))
        .exchange()
        .expectStatus()
        .isOk()
        .expectBody()
        .jsonPath("$.teams[0].team")
        .isEqualTo(team)
        .jsonPath("$.teams[0].role")
        .isEqualTo("team-viewer");

    web.get()
        .uri("/api/identity/v1/teams/{t}/members", team)
        .headers(
            h -> h.setBearerAuth(TestTokens.get().user(name).teamRole(team, "team-viewer").mint()))
        .exchange()
        .expectStatus()
        .isOk()
        .expectBody()
        .jsonPath("$.items[0].username")
        .isEqualTo(name);

    web.post()
        .uri("/api/identity/v1/teams/{t}/leave", team)
        .headers(
            h -> h.setBearerAuth(TestTokens.get().user(name).teamRole(team, "team-viewer").mint()))
        .exchange()
        .expectStatus()
        .isNoContent();
    assertThat(groupsOf(userId)).isEmpty();

    List<TopicRecorder.Message> published =
        events.awaitCount(
            m -> team.equals(m.subject()) && m.type().contains(".member."), 3, EVENT_WAIT);
    assertThat(published)
        .extracting(TopicRecorder.Message::type)
        .containsExactly(
            "runnel.identity.member.added.v1",
            "runnel.identity.member.role-changed.v1",
            "runnel.identity.member.removed.v1");
    assertThat(published.get(2).value()).contains("\"reason\":\"left\"");
    published.forEach(m -> EventSchemas.assertValid(m.type(), m.value()));
  }

  @Test
  void teamScopeIsEnforced() {
    String team = unique("red");
    String other = unique("green");
    createTeam(team);
    createTeam(other);
    String stranger = TestTokens.get().user("sam").teamRole(other, "team-admin").mint();
    String viewer = TestTokens.get().user("vic").teamRole(team, "team-viewer").mint();
    String member = TestTokens.get().user("mia").teamRole(team, "team-member").mint();
    String auditor = TestTokens.get().user("aud").platformRole("platform-auditor").mint();

    for (String path : List.of("", "/members", "/quota", "/integrations")) {
      web.get()
          .uri("/api/identity/v1/teams/" + team + path)
          .headers(h -> h.setBearerAuth(stranger))
          .exchange()
          .expectStatus()
          .isNotFound()
          .expectBody()
          .jsonPath("$.detail")
          .isEqualTo("Team '" + team + "' does not exist");
      web.get()
          .uri("/api/identity/v1/teams/" + team + path)
          .headers(h -> h.setBearerAuth(auditor))
          .exchange()
          .expectStatus()
          .isOk();
      web.get()
          .uri("/api/identity/v1/teams/" + team + path)
          .headers(h -> h.setBearerAuth(viewer))
          .exchange()
          .expectStatus()
          .isOk();
    }
    for (String token : List.of(viewer, member, auditor)) {
      web.patch()
          .uri("/api/identity/v1/teams/{t}", team)
          .headers(h -> h.setBearerAuth(token))
          .bodyValue(Map.of("displayName", "Hijacked"))
          .exchange()
          .expectStatus()
          .isForbidden();
    }
    web.patch()
        .uri("/api/identity/v1/teams/{t}", team)
        .headers(h -> h.setBearerAuth(stranger))
        .bodyValue(Map.of("displayName", "Hijacked"))
        .exchange()
        .expectStatus()
        .isNotFound();
    web.delete()
        .uri("/api/identity/v1/teams/{t}", team)
        .headers(
            h -> h.setBearerAuth(TestTokens.get().user("ta").teamRole(team, "team-admin").mint()))
        .exchange()
        .expectStatus()
        .isForbidden();

    Map<String, Object> list =
        web.get()
            .uri("/api/identity/v1/teams?limit=200")
            .headers(h -> h.setBearerAuth(viewer))
            .exchange()
            .expectStatus()
            .isOk()
            .expectBody(JSON_MAP)
            .returnResult()
            .getResponseBody();
    assertThat(list.get("items").toString()).contains(team).doesNotContain(other);

    web.patch()
        .uri("/api/identity/v1/teams/{t}", team)
        .headers(
            h -> h.setBearerAuth(TestTokens.get().user("ta").teamRole(team, "team-admin").mint()))
        .bodyValue(Map.of("displayName", "Red Team"))
        .exchange()
        .expectStatus()
        .isOk()
        .expectBody()
        .jsonPath("$.displayName")
        .isEqualTo("Red Team");
    TopicRecorder.Message updated =
        events.await(
            m -> team.equals(m.subject()) && m.type().equals("runnel.identity.team.updated.v1"),
            EVENT_WAIT);
    assertThat(updated.value()).contains("\"previousDisplayName\":\"Team " + team + "\"");
    EventSchemas.assertValid(updated.type(), updated.value());
  }

  @Test
  void quotasArePlatformAdminsToSetAndArePublishedWithEveryField() {
    String team = unique("quota");
    createTeam(team);
    web.get()
        .uri("/api/identity/v1/teams/{t}/quota", team)
        .headers(h -> h.setBearerAuth(admin()))
        .exchange()
        .expectStatus()
        .isOk()
        .expectBody()
        .jsonPath("$.cpu")
        .doesNotExist();

    web.put()
        .uri("/api/identity/v1/teams/{t}/quota", team)
        .headers(
            h -> h.setBearerAuth(TestTokens.get().user("ta").teamRole(team, "team-admin").mint()))
        .bodyValue(Map.of("cpu", "64"))
        .exchange()
        .expectStatus()
        .isForbidden();
    web.put()
        .uri("/api/identity/v1/teams/{t}/quota", team)
        .headers(h -> h.setBearerAuth(admin()))
        .bodyValue(Map.of("cpu", "lots", "memory", "8Gi"))
        .exchange()
        .expectStatus()
        .isBadRequest()
        .expectBody()
        .jsonPath("$.errors[0].field")
        .isEqualTo("cpu");
    web.put()
        .uri("/api/identity/v1/teams/{t}/quota", team)
        .headers(h -> h.setBearerAuth(admin()))
        .bodyValue(Map.of("cpu", "4", "memory", "8Gi", "storage", "100Gi", "instances", 10))
        .exchange()
        .expectStatus()
        .isOk()
        .expectBody()
        .jsonPath("$.memory")
        .isEqualTo("8Gi")
        .jsonPath("$.instances")
        .isEqualTo(10);

    TopicRecorder.Message event =
        events.await(
            m -> team.equals(m.subject()) && m.type().equals("runnel.identity.quota.updated.v1"),
            EVENT_WAIT);
    assertThat(event.value())
        .contains("\"cpu\":\"4\"")
        .contains("\"memory\":\"8Gi\"")
        .contains("\"storage\":\"100Gi\"")
        .contains("\"instances\":10");
    EventSchemas.assertValid(event.type(), event.value());
  }

  @Test
  void aTeamWithInstancesCannotBeDeletedUntilDeployReportsThemGone() {
    String team = unique("busy");
    createTeam(team);
    String first = UUID.randomUUID().toString();
    String second = UUID.randomUUID().toString();
    CloudEvent installed = deployEvent("installed", first, team);
    publish(installed);
    publish(installed); // a redelivery counts once
    publish(deployEvent("installed", second, team));
    awaitInstances(team, 2);

    web.delete()
        .uri("/api/identity/v1/teams/{t}", team)
        .headers(h -> h.setBearerAuth(admin()))
        .exchange()
        .expectStatus()
        .isEqualTo(HttpStatus.CONFLICT)
        .expectBody()
        .jsonPath("$.detail")
        .isEqualTo("Team '" + team + "' still has 2 instances; delete them first");

    publish(deployEvent("deleted", first, team));
    publish(deployEvent("deleted", second, team));
    awaitInstances(team, 0);

    web.delete()
        .uri("/api/identity/v1/teams/{t}", team)
        .headers(h -> h.setBearerAuth(admin()))
        .exchange()
        .expectStatus()
        .isNoContent();
    assertThatThrownBy(() -> realm().getGroupByPath("/teams/" + team))
        .isInstanceOf(jakarta.ws.rs.NotFoundException.class);
    TopicRecorder.Message deleted =
        events.await(
            m -> team.equals(m.subject()) && m.type().equals("runnel.identity.team.deleted.v1"),
            EVENT_WAIT);
    EventSchemas.assertValid(deleted.type(), deleted.value());
  }

  @Test
  void deletingAUserRemovesTheirMembershipsWithAnEventPerTeam() {
    String team = unique("gone");
    createTeam(team);
    String name = unique("jo");
    String userId = (String) createUser(name, PASSWORD).get("id");
    web.post()
        .uri("/api/identity/v1/teams/{t}/members", team)
        .headers(h -> h.setBearerAuth(admin()))
        .bodyValue(Map.of("username", name, "role", "team-admin"))
        .exchange()
        .expectStatus()
        .isCreated();

    web.delete()
        .uri("/api/identity/v1/users/{id}", userId)
        .headers(h -> h.setBearerAuth(admin()))
        .exchange()
        .expectStatus()
        .isNoContent();

    web.get()
        .uri("/api/identity/v1/teams/{t}/members", team)
        .headers(h -> h.setBearerAuth(admin()))
        .exchange()
        .expectStatus()
        .isOk()
        .expectBody()
        .jsonPath("$.items.length()")
        .isEqualTo(0);
    TopicRecorder.Message removed =
        events.await(
            m ->
                team.equals(m.subject())
                    && m.type().equals("runnel.identity.member.removed.v1")
                    && m.value().contains(userId),
            EVENT_WAIT);
    assertThat(removed.value()).contains("\"reason\":\"user-deleted\"");
    EventSchemas.assertValid(removed.type(), removed.value());
    String groupId = realm().getGroupByPath("/teams/" + team + "/team-admin").getId();
    assertThat(realm().groups().group(groupId).members()).isEmpty();
  }

  @Test
  void theReconcilerRepairsKeycloakAfterAMissedPush() {
    String team = unique("heal");
    createTeam(team);
    String name = unique("ivy");
    String userId = (String) createUser(name, PASSWORD).get("id");

    // As if the service had crashed after its commit and before the push: the database says ivy
    // is a member and a push is pending, Keycloak knows nothing of it.
    TestPostgres.get()
        .execute(
            DB,
            "insert into team_member (team, user_id, username, role, added_at) values ('"
                + team
                + "', '"
                + userId
                + "', '"
                + name
                + "', 'team-admin', now());"
                + " insert into team_keycloak_sync (team, seq, requested_at) values ('"
                + team
                + "', nextval('team_keycloak_sync_seq'), now())");
    assertThat(groupsOf(userId)).isEmpty();

    StepVerifier.create(sync.reconcile()).expectNextMatches(n -> n >= 1).verifyComplete();
    assertThat(groupsOf(userId)).containsExactly("/teams/" + team + "/team-admin");
    assertThat(
            TestPostgres.get()
                .queryOne(
                    DB, "select count(*) from team_keycloak_sync where team = '" + team + "'"))
        .isEqualTo(0L);

    // Someone edits the group in Keycloak by hand; the next push puts the database's truth back.
    String groupId = realm().getGroupByPath("/teams/" + team + "/team-admin").getId();
    realm().users().get(userId).leaveGroup(groupId);
    TestPostgres.get()
        .execute(
            DB,
            "insert into team_keycloak_sync (team, seq, requested_at) values ('"
                + team
                + "', nextval('team_keycloak_sync_seq'), now())");
    StepVerifier.create(sync.reconcile()).expectNextMatches(n -> n >= 1).verifyComplete();
    assertThat(groupsOf(userId)).containsExactly("/teams/" + team + "/team-admin");
  }

  private static Set<String> groupsOf(String userId) {
    return realm().users().get(userId).groups().stream()
        .map(GroupRepresentation::getPath)
        .collect(Collectors.toSet());
  }

  private static void awaitInstances(String team, long count) {
    await()
        .atMost(EVENT_WAIT)
        .pollInterval(Duration.ofMillis(100))
        .until(
            () ->
                ((Number)
                            TestPostgres.get()
                                .queryOne(
                                    DB,
                                    "select count(*) from team_instance where team = '"
                                        + team
                                        + "'"))
                        .longValue()
                    == count);
  }

  private static CloudEvent deployEvent(String what, String instanceId, String team) {
    return CloudEventBuilder.v1()
        .withId(UUID.randomUUID().toString())
        .withType("runnel.deploy.instance." + what + ".v1")
        .withSource(URI.create("/runnel/deploy"))
        .withSubject(instanceId)
        .withTime(OffsetDateTime.now(ZoneOffset.UTC))
        .withExtension("team", team)
        .withExtension("actor", "someone")
        .withData("application/json", "{}".getBytes(StandardCharsets.UTF_8))
        .build();
  }

  private static void publish(CloudEvent event) {
    Properties p = new Properties();
    p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, TestKafka.get().bootstrapServers());
    p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
    p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
    try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(p)) {
      ProducerRecord<String, byte[]> record =
          KafkaMessageFactory.createWriter("runnel.deploy", event.getSubject()).writeBinary(event);
      producer.send(record).get(30, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new AssertionError("could not publish " + event.getId(), e);
    }
  }

  private static TokenAnswer passwordGrant(String username, String password) {
    return token(
        Map.of(
            "grant_type",
            "password",
            "client_id",
            "runnel-cli",
            "username",
            username,
            "password",
            password));
  }
}
