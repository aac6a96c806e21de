package dev.runnel.identity;

import static org.assertj.core.api.Assertions.assertThat;

import dev.runnel.testkit.EventSchemas;
import dev.runnel.testkit.TestTokens;
import dev.runnel.testkit.TopicRecorder;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpStatus;

class IntegrationsIT extends IdentityStack {

  @Test
  void aTeamAdminCreatesAnIntegrationWhoseTokensCarryTheTeamAndRevokesIt() {
    String team = unique("ci");
    createTeam(team);
    String teamAdmin = TestTokens.get().user("tess").teamRole(team, "team-admin").mint();

    Map<String, Object> created =
        web.post()
            .uri("/api/identity/v1/teams/{t}/integrations", team)
            .headers(h -> h.setBearerAuth(teamAdmin))
            .bodyValue(Map.of("name", "jenkins"))
            .exchange()
            .expectStatus()
            .isCreated()
            .expectHeader()
            .valueEquals("Cache-Control", "no-store")
            .expectBody(JSON_MAP)
            .returnResult()
            .getResponseBody();
    @SuppressWarnings("unchecked")
    Map<String, Object> integration = (Map<String, Object>) created.get("integration");
    String clientId = (String) integration.get("clientId");
    String secret = (String) created.get("clientSecret");
    assertThat(clientId).isEqualTo("runnel-integration." + team + ".jenkins");
    assertThat(integration.get("role")).isEqualTo("team-member");
    assertThat(secret).isNotBlank();

    TokenAnswer token = clientCredentials(clientId, secret);
    assertThat(token.status()).isEqualTo(200);
    assertThat(claims(token.body().get("access_token").asString()).get("groups").toString())
        .contains("/teams/" + team + "/team-member");

    web.get()
        .uri("/api/identity/v1/teams/{t}/integrations", team)
        .headers(
            h -> h.setBearerAuth(TestTokens.get().user("v").teamRole(team, "team-viewer").mint()))
        .exchange()
        .expectStatus()
        .isOk()
        .expectBody(String.class)
        .value(body -> assertThat(body).contains(clientId).doesNotContain(secret));

    web.post()
        .uri("/api/identity/v1/teams/{t}/integrations", team)
        .headers(h -> h.setBearerAuth(teamAdmin))
        .bodyValue(Map.of("name", "jenkins"))
        .exchange()
        .expectStatus()
        .isEqualTo(HttpStatus.CONFLICT);

    web.delete()
        .uri("/api/identity/v1/teams/{t}/integrations/{id}", team, integration.get("id"))
        .headers(h -> h.setBearerAuth(teamAdmin))
        .exchange()
        .expectStatus()
        .isNoContent();
    assertThat(clientCredentials(clientId, secret).status()).isEqualTo(401);
    assertThat(realm().clients().findByClientId(clientId)).isEmpty();

    List<TopicRecorder.Message> published =
        events.awaitCount(
            m -> team.equals(m.subject()) && m.type().contains(".integration."), 2, EVENT_WAIT);
    assertThat(published)
        .extracting(TopicRecorder.Message::type)
        .containsExactly(
            "runnel.identity.integration.created.v1", "runnel.identity.integration.revoked.v1");
    published.forEach(
        m -> {
          assertThat(m.value()).doesNotContain(secret);
          EventSchemas.assertValid(m.type(), m.value());
        });
  }

  @Test
  void onlyTheTeamsAdminsManageItsIntegrations() {
    String team = unique("sec");
    createTeam(team);
    web.post()
        .uri("/api/identity/v1/teams/{t}/integrations", team)
        .headers(
            h -> h.setBearerAuth(TestTokens.get().user("m").teamRole(team, "team-member").mint()))
        .bodyValue(Map.of("name", "bot"))
        .exchange()
        .expectStatus()
        .isForbidden();
    web.post()
        .uri("/api/identity/v1/teams/{t}/integrations", team)
        .headers(
            h ->
                h.setBearerAuth(
                    TestTokens.get().user("x").teamRole("elsewhere", "team-admin").mint()))
        .bodyValue(Map.of("name", "bot"))
        .exchange()
        .expectStatus()
        .isNotFound();
    web.post()
        .uri("/api/identity/v1/teams/{t}/integrations", team)
        .headers(h -> h.setBearerAuth(admin()))
        .bodyValue(Map.of("name", "bot", "role", "team-admin"))
        .exchange()
        .expectStatus()
        .isBadRequest()
        .expectBody()
        .jsonPath("$.errors[0].field")
        .isEqualTo("role");
    web.post()
        .uri("/api/identity/v1/teams/{t}/integrations", team)
        .headers(h -> h.setBearerAuth(admin()))
        .bodyValue(Map.of("name", "Bad.Name"))
        .exchange()
        .expectStatus()
        .isBadRequest()
        .expectBody()
        .jsonPath("$.errors[0].field")
        .isEqualTo("name");
    assertThat(realm().clients().findByClientId("runnel-integration." + team + ".bot")).isEmpty();
  }

  @Test
  void deletingATeamRemovesItsIntegrationClients() {
    String team = unique("tmp");
    createTeam(team);
    Map<String, Object> created =
        web.post()
            .uri("/api/identity/v1/teams/{t}/integrations", team)
            .headers(h -> h.setBearerAuth(admin()))
            .bodyValue(Map.of("name", "reporter", "role", "team-viewer"))
            .exchange()
            .expectStatus()
            .isCreated()
            .expectBody(JSON_MAP)
            .returnResult()
            .getResponseBody();
    String clientId = "runnel-integration." + team + ".reporter";
    TokenAnswer token = clientCredentials(clientId, (String) created.get("clientSecret"));
    assertThat(claims(token.body().get("access_token").asString()).get("groups").toString())
        .contains("/teams/" + team + "/team-viewer");

    web.delete()
        .uri("/api/identity/v1/teams/{t}", team)
        .headers(h -> h.setBearerAuth(admin()))
        .exchange()
        .expectStatus()
        .isNoContent();
    assertThat(realm().clients().findByClientId(clientId)).isEmpty();
    assertThat(clientCredentials(clientId, (String) created.get("clientSecret")).status())
        .isEqualTo(401);
  }

  private static TokenAnswer clientCredentials(String clientId, String secret) {
    return token(
        Map.of(
            "grant_type", "client_credentials",
            "client_id", clientId,
            "client_secret", secret));
  }
}
