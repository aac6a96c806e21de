package dev.runnel.identity;

import static org.assertj.core.api.Assertions.assertThat;

import dev.runnel.testkit.EventSchemas;
import dev.runnel.testkit.TestTokens;
import dev.runnel.testkit.TopicRecorder;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.keycloak.representations.idm.UserRepresentation;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;

class UsersIT extends IdentityStack {
  private static final String PASSWORD = "Correct-Horse-42-battery";

  @Test
  void anAdminCreatesAUserWhoMustSetAPasswordAndTheEventIsPublished() {
    String name = unique("ada");
    Map<String, Object> created =
        web.post()
            .uri("/api/identity/v1/users")
            .headers(h -> h.setBearerAuth(admin()))
            .bodyValue(
                Map.of(
                    "username",
                    name,
                    "email",
                    name + "@example.com",
                    "firstName",
                    "Ada",
                    "lastName",
                    "Lovelace",
                    "platformRoles",
                    List.of("platform-auditor")))
            .exchange()
            .expectStatus()
            .isCreated()
            .expectBody(JSON_MAP)
            .returnResult()
            .getResponseBody();
    String id = (String) created.get("id");
    assertThat(created).containsEntry("username", name).containsEntry("enabled", true);
    assertThat(created.get("platformRoles")).isEqualTo(List.of("platform-auditor"));

    UserRepresentation inKeycloak = realm().users().get(id).toRepresentation();
    assertThat(inKeycloak.getRequiredActions()).containsExactly("UPDATE_PASSWORD");
    assertThat(inKeycloak.getEmail()).isEqualTo(name + "@example.com");

    TopicRecorder.Message event =
        events.await(
            m -> id.equals(m.subject()) && m.type().equals("runnel.identity.user.created.v1"),
            EVENT_WAIT);
    assertThat(event.header("ce_actor")).isEqualTo("admin");
    assertThat(event.value()).doesNotContain("password");
    EventSchemas.assertValid(event.type(), event.value());

    web.get()
        .uri("/api/identity/v1/users/{id}", id)
        .headers(
            h ->
                h.setBearerAuth(
                    TestTokens.get().user("audrey").platformRole("platform-auditor").mint()))
        .exchange()
        .expectStatus()
        .isOk()
        .expectBody()
        .jsonPath("$.username")
        .isEqualTo(name);
  }

  @Test
  void badInputIsRefusedWithTheFieldAndCreatesNothing() {
    String name = unique("bob");
    createUser(name, PASSWORD);

    post(Map.of("username", name, "email", "other-" + name + "@example.com"))
        .expectStatus()
        .isEqualTo(HttpStatus.CONFLICT)
        .expectBody()
        .jsonPath("$.detail")
        .isEqualTo("A user named '" + name + "' already exists");

    String fresh = unique("carol");
    post(Map.of("username", fresh, "email", "carol-at-example.com"))
        .expectStatus()
        .isBadRequest()
        .expectBody()
        .jsonPath("$.errors[0].field")
        .isEqualTo("email");

    post(Map.of("username", fresh, "email", fresh + "@example.com", "password", "short1"))
        .expectStatus()
        .isBadRequest()
        .expectBody()
        .jsonPath("$.errors[0].field")
        .isEqualTo("password")
        .jsonPath("$.detail")
        .value(d -> assertThat((String) d).contains("password policy").contains("length"));

    post(Map.of(
            "username", fresh, "email", fresh + "@example.com", "platformRoles", List.of("root")))
        .expectStatus()
        .isBadRequest()
        .expectBody()
        .jsonPath("$.errors[0].field")
        .isEqualTo("platformRoles")
        .jsonPath("$.detail")
        .value(d -> assertThat((String) d).contains("'root' is not a platform role"));

    post(Map.of("username", "Robert'); drop table users;--", "email", fresh + "@example.com"))
        .expectStatus()
        .isBadRequest()
        .expectBody()
        .jsonPath("$.errors[0].field")
        .isEqualTo("username");

    assertThat(realm().users().searchByUsername(fresh, true)).isEmpty();
  }

  @Test
  void onlyPlatformAdminsChangeUsers() {
    String viewer = TestTokens.get().user("eve").teamRole("acme", "team-admin").mint();
    web.post()
        .uri("/api/identity/v1/users")
        .headers(h -> h.setBearerAuth(viewer))
        .bodyValue(Map.of("username", unique("mallory"), "email", "m@example.com"))
        .exchange()
        .expectStatus()
        .isForbidden()
        .expectHeader()
        .contentType(MediaType.APPLICATION_PROBLEM_JSON);
    web.get()
        .uri("/api/identity/v1/users")
        .headers(h -> h.setBearerAuth(viewer))
        .exchange()
        .expectStatus()
        .isForbidden();
    String auditor = TestTokens.get().user("audrey").platformRole("platform-auditor").mint();
    String id = (String) createUser(unique("dan"), PASSWORD).get("id");
    web.post()
        .uri("/api/identity/v1/users/{id}/disable", id)
        .headers(h -> h.setBearerAuth(auditor))
        .exchange()
        .expectStatus()
        .isForbidden();
    assertThat(realm().users().get(id).toRepresentation().isEnabled()).isTrue();
  }

  @Test
  void aUserCreatedWithoutNamesCanSignIn() {
    // The service brings the realm's user profile in line at start, in the background.
    org.awaitility.Awaitility.await()
        .atMost(EVENT_WAIT)
        .until(
            () ->
                realm()
                        .users()
                        .userProfile()
                        .getConfiguration()
                        .getAttribute("firstName")
                        .getRequired()
                    == null);
    String name = unique("nameless");
    post(Map.of(
            "username",
            name,
            "email",
            name + "@example.com",
            "password",
            PASSWORD,
            "temporaryPassword",
            false))
        .expectStatus()
        .isCreated();

    TokenAnswer answer = passwordGrant(name, PASSWORD);
    assertThat(answer.status()).as("%s", answer.body()).isEqualTo(200);
  }

  @Test
  void disableEnableResetAndDeleteAreEachPublished() {
    String name = unique("fay");
    String id = (String) createUser(name, PASSWORD).get("id");

    action("disable", id).expectStatus().isOk().expectBody().jsonPath("$.enabled").isEqualTo(false);
    assertThat(realm().users().get(id).toRepresentation().isEnabled()).isFalse();
    assertThat(passwordGrant(name, PASSWORD).status()).isEqualTo(400);

    action("enable", id).expectStatus().isOk().expectBody().jsonPath("$.enabled").isEqualTo(true);
    assertThat(passwordGrant(name, PASSWORD).status()).isEqualTo(200);

    web.post()
        .uri("/api/identity/v1/users/{id}/password", id)
        .headers(h -> h.setBearerAuth(admin()))
        .bodyValue(Map.of("password", "abc"))
        .exchange()
        .expectStatus()
        .isBadRequest()
        .expectBody()
        .jsonPath("$.errors[0].field")
        .isEqualTo("password");
    web.post()
        .uri("/api/identity/v1/users/{id}/password", id)
        .headers(h -> h.setBearerAuth(admin()))
        .bodyValue(Map.of("password", "Another-Long-Secret-7", "temporary", false))
        .exchange()
        .expectStatus()
        .isNoContent();
    assertThat(passwordGrant(name, "Another-Long-Secret-7").status()).isEqualTo(200);

    web.delete()
        .uri("/api/identity/v1/users/{id}", id)
        .headers(h -> h.setBearerAuth(admin()))
        .exchange()
        .expectStatus()
        .isNoContent();
    web.get()
        .uri("/api/identity/v1/users/{id}", id)
        .headers(h -> h.setBearerAuth(admin()))
        .exchange()
        .expectStatus()
        .isNotFound();

    List<TopicRecorder.Message> published =
        events.awaitCount(m -> id.equals(m.subject()), 4, EVENT_WAIT);
    assertThat(published)
        .extracting(TopicRecorder.Message::type)
        .containsExactly(
            "runnel.identity.user.created.v1",
            "runnel.identity.user.disabled.v1",
            "runnel.identity.user.enabled.v1",
            "runnel.identity.user.deleted.v1");
    published.forEach(m -> EventSchemas.assertValid(m.type(), m.value()));
  }

  @Test
  void theLastEnabledPlatformAdminCannotBeDisabledDeletedOrDemoted() {
    String solo = (String) createUser(unique("root"), PASSWORD, "platform-admin").get("id");
    List<String> others = new ArrayList<>();
    for (UserRepresentation u : realm().roles().get("platform-admin").getUserMembers(0, 1000)) {
      if (Boolean.TRUE.equals(u.isEnabled()) && !u.getId().equals(solo)) {
        others.add(u.getId());
      }
    }
    try {
      others.forEach(o -> action("disable", o).expectStatus().isOk());

      action("disable", solo)
          .expectStatus()
          .isEqualTo(HttpStatus.CONFLICT)
          .expectBody()
          .jsonPath("$.detail")
          .value(d -> assertThat((String) d).contains("last enabled platform admin"));
      web.delete()
          .uri("/api/identity/v1/users/{id}", solo)
          .headers(h -> h.setBearerAuth(admin()))
          .exchange()
          .expectStatus()
          .isEqualTo(HttpStatus.CONFLICT);
      web.put()
          .uri("/api/identity/v1/users/{id}/platform-roles", solo)
          .headers(h -> h.setBearerAuth(admin()))
          .bodyValue(Map.of("platformRoles", List.of("platform-auditor")))
          .exchange()
          .expectStatus()
          .isEqualTo(HttpStatus.CONFLICT);
      assertThat(realm().users().get(solo).toRepresentation().isEnabled()).isTrue();
    } finally {
      others.forEach(o -> action("enable", o).expectStatus().isOk());
    }
    // With another admin back, demoting works.
    web.put()
        .uri("/api/identity/v1/users/{id}/platform-roles", solo)
        .headers(h -> h.setBearerAuth(admin()))
        .bodyValue(Map.of("platformRoles", List.of("platform-auditor")))
        .exchange()
        .expectStatus()
        .isOk()
        .expectBody()
        .jsonPath("$.platformRoles[0]")
        .isEqualTo("platform-auditor");
  }

  @Test
  void searchPagesWithOpaqueCursors() {
    String prefix = unique("page");
    for (int i = 0; i < 5; i++) {
      createUser(prefix + "-" + i, PASSWORD);
    }
    List<String> seen = new ArrayList<>();
    String cursor = null;
    int pages = 0;
    do {
      String c = cursor;
      Map<String, Object> page =
          web.get()
              .uri(
                  b ->
                      b.path("/api/identity/v1/users")
                          .queryParam("search", prefix)
                          .queryParam("limit", 2)
                          .queryParamIfPresent("cursor", java.util.Optional.ofNullable(c))
                          .build())
              .headers(h -> h.setBearerAuth(admin()))
              .exchange()
              .expectStatus()
              .isOk()
              .expectBody(JSON_MAP)
              .returnResult()
              .getResponseBody();
      @SuppressWarnings("unchecked")
      List<Map<String, Object>> items = (List<Map<String, Object>>) page.get("items");
      assertThat(items.size()).isLessThanOrEqualTo(2);
      items.forEach(i -> seen.add((String) i.get("username")));
      cursor = (String) page.get("nextCursor");
      pages++;
    } while (cursor != null && pages < 10);
    assertThat(seen)
        .containsExactly(prefix + "-0", prefix + "-1", prefix + "-2", prefix + "-3", prefix + "-4");

    web.get()
        .uri("/api/identity/v1/users?cursor=bm9wZQ")
        .headers(h -> h.setBearerAuth(admin()))
        .exchange()
        .expectStatus()
        .isBadRequest()
        .expectBody()
        .jsonPath("$.errors[0].field")
        .isEqualTo("cursor");
  }

  @Test
  void everyUserReadsAndEditsTheirOwnAccount() {
    String name = unique("gus");
    createUser(name, PASSWORD);
    String token = TestTokens.get().user(name).mint();

    web.get()
        .uri("/api/identity/v1/me")
        .headers(h -> h.setBearerAuth(token))
        .exchange()
        .expectStatus()
        .isOk()
        .expectBody()
        .jsonPath("$.username")
        .isEqualTo(name)
        .jsonPath("$.teams.length()")
        .isEqualTo(0);

    web.patch()
        .uri("/api/identity/v1/me")
        .headers(h -> h.setBearerAuth(token))
        .bodyValue(Map.of("email", "not an email"))
        .exchange()
        .expectStatus()
        .isBadRequest()
        .expectBody()
        .jsonPath("$.errors[0].field")
        .isEqualTo("email");
    web.patch()
        .uri("/api/identity/v1/me")
        .headers(h -> h.setBearerAuth(token))
        .bodyValue(Map.of("firstName", "Gustav", "email", "gustav-" + name + "@example.com"))
        .exchange()
        .expectStatus()
        .isOk()
        .expectBody()
        .jsonPath("$.firstName")
        .isEqualTo("Gustav")
        .jsonPath("$.email")
        .isEqualTo("gustav-" + name + "@example.com");

    web.post()
        .uri("/api/identity/v1/me/password")
        .headers(h -> h.setBearerAuth(token))
        .bodyValue(Map.of("currentPassword", "wrong-password-1", "newPassword", "New-Pass-Word-99"))
        .exchange()
        .expectStatus()
        .isBadRequest()
        .expectBody()
        .jsonPath("$.errors[0].field")
        .isEqualTo("currentPassword");
    web.post()
        .uri("/api/identity/v1/me/password")
        .headers(h -> h.setBearerAuth(token))
        .bodyValue(Map.of("currentPassword", PASSWORD, "newPassword", "weak"))
        .exchange()
        .expectStatus()
        .isBadRequest()
        .expectBody()
        .jsonPath("$.errors[0].field")
        .isEqualTo("newPassword");
    web.post()
        .uri("/api/identity/v1/me/password")
        .headers(h -> h.setBearerAuth(token))
        .bodyValue(Map.of("currentPassword", PASSWORD, "newPassword", "New-Pass-Word-99"))
        .exchange()
        .expectStatus()
        .isNoContent();
    assertThat(passwordGrant(name, "New-Pass-Word-99").status()).isEqualTo(200);
    TokenAnswer old = passwordGrant(name, PASSWORD);
    assertThat(old.status()).isBetween(400, 401);
    assertThat(old.body().get("error").asString()).isEqualTo("invalid_grant");
  }

  private org.springframework.test.web.reactive.server.WebTestClient.ResponseSpec post(
      Map<String, Object> body) {
    return web.post()
        .uri("/api/identity/v1/users")
        .headers(h -> h.setBearerAuth(admin()))
        .bodyValue(body)
        .exchange();
  }

  private org.springframework.test.web.reactive.server.WebTestClient.ResponseSpec action(
      String action, String id) {
    return web.post()
        .uri("/api/identity/v1/users/{id}/" + action, id)
        .headers(h -> h.setBearerAuth(admin()))
        .exchange();
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
