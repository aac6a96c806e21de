package dev.runnel.identity;

import static dev.runnel.testkit.AccessMatrix.Caller.ANONYMOUS;
import static dev.runnel.testkit.AccessMatrix.Caller.NO_ROLE;
import static dev.runnel.testkit.AccessMatrix.Caller.OTHER_TEAM_ADMIN;
import static dev.runnel.testkit.AccessMatrix.Caller.PLATFORM_ADMIN;
import static dev.runnel.testkit.AccessMatrix.Caller.PLATFORM_AUDITOR;
import static dev.runnel.testkit.AccessMatrix.Caller.TEAM_ADMIN;
import static dev.runnel.testkit.AccessMatrix.Caller.TEAM_MEMBER;
import static dev.runnel.testkit.AccessMatrix.Caller.TEAM_VIEWER;
import static org.assertj.core.api.Assertions.assertThat;

import dev.runnel.testkit.AccessMatrix;
import dev.runnel.testkit.AccessMatrix.Caller;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;

/**
 * Who may call what on identity-service: every operation of its OpenAPI document, as every kind of
 * caller, on the team {@link AccessMatrix#OWN_TEAM}. A new endpoint without a row here fails this
 * test. Users and federation are platform-admin's to change and platform-auditor's to read; a team
 * is read by its members (any role) and changed by its admins, except creating and deleting it and
 * setting its quota (platform-admin); another team's caller gets 404; your own account is yours.
 */
class AccessMatrixIT extends IdentityStack {
  private static final String TEAMS = "/api/identity/v1/teams/";
  private static final String OWN = TEAMS + AccessMatrix.OWN_TEAM;
  private static final String PASSWORD = "Matrix-Password-2026";
  private static final String NEW_PASSWORD = "Matrix-Changed-2026-x";
  private static final Set<Caller> OWN_TEAM_CALLERS = Set.of(TEAM_ADMIN, TEAM_MEMBER, TEAM_VIEWER);

  private final List<String> oidcAliases = new ArrayList<>();

  @Test
  void everyOperationHasARowAndEveryCallerGetsWhatTheRulesSay() {
    ensureTeam(AccessMatrix.OWN_TEAM);
    ensureTeam(AccessMatrix.OTHER_TEAM);
    AccessMatrix matrix = matrix().recordsDenials(events, "identity");
    matrix.assertComplete(web);
    matrix.assertHolds(web);
  }

  @AfterEach
  void leaveTheRealmAsFound() {
    // The realm is shared with FederationIT: no federation the matrix made may outlive it.
    web.delete()
        .uri("/api/identity/v1/federation/ldap")
        .headers(h -> h.setBearerAuth(admin()))
        .exchange()
        .expectStatus()
        .value(s -> assertThat(s).isIn(204, 404));
    for (String alias : oidcAliases) {
      web.delete()
          .uri("/api/identity/v1/federation/oidc/{a}", alias)
          .headers(h -> h.setBearerAuth(admin()))
          .exchange()
          .expectStatus()
          .value(s -> assertThat(s).isIn(204, 404));
    }
  }

  private AccessMatrix matrix() {
    AccessMatrix m = new AccessMatrix();
    users(m);
    me(m);
    teams(m);
    members(m);
    quota(m);
    integrations(m);
    federation(m);
    // Last: every caller's call needs the own team to exist, and the admin's deletes it.
    teamPlatformAdmin(
        m.row("DELETE", "/api/identity/v1/teams/{team}")
            .path(
                c -> {
                  ensureTeam(AccessMatrix.OWN_TEAM);
                  return OWN;
                }),
        204);
    return m;
  }

  private void users(AccessMatrix m) {
    String target = "/api/identity/v1/users/" + userId(unique("matrix-target"));
    platformReaders(m.row("GET", "/api/identity/v1/users"));
    platformReaders(m.row("GET", "/api/identity/v1/users/{id}").path(target));
    platformAdminOnly(
        m.row("POST", "/api/identity/v1/users")
            .body(
                c -> {
                  String name = unique("matrix-new");
                  return "{\"username\":\"" + name + "\",\"email\":\"" + name + "@example.com\"}";
                }),
        201);
    platformAdminOnly(
        m.row("POST", "/api/identity/v1/users/{id}/disable").path(target + "/disable"), 200);
    platformAdminOnly(
        m.row("POST", "/api/identity/v1/users/{id}/enable").path(target + "/enable"), 200);
    platformAdminOnly(
        m.row("POST", "/api/identity/v1/users/{id}/password")
            .path(target + "/password")
            .body("{\"password\":\"" + NEW_PASSWORD + "\",\"temporary\":false}"),
        204);
    platformAdminOnly(
        m.row("PUT", "/api/identity/v1/users/{id}/platform-roles")
            .path(target + "/platform-roles")
            .body("{\"platformRoles\":[\"platform-auditor\"]}"),
        200);
    platformAdminOnly(
        m.row("DELETE", "/api/identity/v1/users/{id}")
            .path(c -> "/api/identity/v1/users/" + userId(unique("matrix-gone"))),
        204);
  }

  private void me(AccessMatrix m) {
    anySignedIn(m.row("GET", "/api/identity/v1/me").path(c -> me(c)), 200);
    anySignedIn(
        m.row("PATCH", "/api/identity/v1/me")
            .path(c -> me(c))
            .body("{\"firstName\":\"Matrix\",\"lastName\":\"Caller\"}"),
        200);
    anySignedIn(
        m.row("POST", "/api/identity/v1/me/password")
            .path(
                c -> {
                  // The caller's current password is known, whatever an earlier run changed it to.
                  String id = userId(callerName(c));
                  web.post()
                      .uri("/api/identity/v1/users/{id}/password", id)
                      .headers(h -> h.setBearerAuth(admin()))
                      .bodyValue(Map.of("password", PASSWORD, "temporary", false))
                      .exchange()
                      .expectStatus()
                      .isNoContent();
                  return "/api/identity/v1/me/password";
                })
            .body(
                "{\"currentPassword\":\""
                    + PASSWORD
                    + "\",\"newPassword\":\""
                    + NEW_PASSWORD
                    + "\"}"),
        204);
  }

  private void teams(AccessMatrix m) {
    anySignedIn(m.row("GET", "/api/identity/v1/teams"), 200);
    platformAdminOnly(
        m.row("POST", "/api/identity/v1/teams")
            .body(
                c ->
                    "{\"name\":\"" + unique("matrix-team") + "\",\"displayName\":\"Matrix team\"}"),
        201);
    teamRead(m.row("GET", "/api/identity/v1/teams/{team}").path(OWN));
    teamAdmin(
        m.row("PATCH", "/api/identity/v1/teams/{team}")
            .path(OWN)
            .body("{\"displayName\":\"Matrix own team\"}"),
        200);
    // The callers of the own team leave it; everyone else is no member of it.
    m.row("POST", "/api/identity/v1/teams/{team}/leave")
        .path(
            c -> {
              if (OWN_TEAM_CALLERS.contains(c)) {
                join(callerName(c), c.name().toLowerCase(Locale.ROOT).replace('_', '-'));
              }
              return OWN + "/leave";
            })
        .expect(TEAM_ADMIN, 204)
        .expect(TEAM_MEMBER, 204)
        .expect(TEAM_VIEWER, 204)
        .expect(ANONYMOUS, 401)
        .otherwise(404);
  }

  private void members(AccessMatrix m) {
    teamRead(m.row("GET", "/api/identity/v1/teams/{team}/members").path(OWN + "/members"));
    teamAdmin(
        m.row("POST", "/api/identity/v1/teams/{team}/members")
            .path(OWN + "/members")
            .body(
                c -> {
                  String name = unique("matrix-join");
                  userId(name);
                  return "{\"username\":\"" + name + "\",\"role\":\"team-member\"}";
                }),
        201);
    teamAdmin(
        m.row("PUT", "/api/identity/v1/teams/{team}/members/{username}")
            .path(c -> OWN + "/members/" + freshMember())
            .body("{\"role\":\"team-viewer\"}"),
        200);
    teamAdmin(
        m.row("DELETE", "/api/identity/v1/teams/{team}/members/{username}")
            .path(c -> OWN + "/members/" + freshMember()),
        204);
  }

  private void quota(AccessMatrix m) {
    teamRead(m.row("GET", "/api/identity/v1/teams/{team}/quota").path(OWN + "/quota"));
    teamPlatformAdmin(
        m.row("PUT", "/api/identity/v1/teams/{team}/quota")
            .path(OWN + "/quota")
            .body("{\"cpu\":\"4\",\"memory\":\"8Gi\"}"),
        200);
  }

  private void integrations(AccessMatrix m) {
    teamRead(
        m.row("GET", "/api/identity/v1/teams/{team}/integrations").path(OWN + "/integrations"));
    teamAdmin(
        m.row("POST", "/api/identity/v1/teams/{team}/integrations")
            .path(OWN + "/integrations")
            .body(c -> "{\"name\":\"" + unique("ci") + "\",\"role\":\"team-viewer\"}"),
        201);
    teamAdmin(
        m.row("DELETE", "/api/identity/v1/teams/{team}/integrations/{id}")
            .path(c -> OWN + "/integrations/" + integration()),
        204);
  }

  private void federation(AccessMatrix m) {
    // Disabled, so that Keycloak never tries to reach the made-up directory.
    String ldap =
        "{\"connectionUrl\":\"ldaps://ldap.matrix.example.test\","
            + "\"usersDn\":\"ou=people,dc=matrix,dc=test\",\"enabled\":false}";
    platformReaders(
        m.row("GET", "/api/identity/v1/federation/ldap")
            .path(
                c -> {
                  ensureLdap(ldap);
                  return "/api/identity/v1/federation/ldap";
                }));
    platformAdminOnly(m.row("PUT", "/api/identity/v1/federation/ldap").body(ldap), 200);
    platformAdminOnly(
        m.row("DELETE", "/api/identity/v1/federation/ldap")
            .path(
                c -> {
                  ensureLdap(ldap);
                  return "/api/identity/v1/federation/ldap";
                }),
        204);
    platformReaders(m.row("GET", "/api/identity/v1/federation/oidc"));
    platformAdminOnly(
        m.row("PUT", "/api/identity/v1/federation/oidc/{alias}")
            .path(c -> "/api/identity/v1/federation/oidc/" + alias())
            .body(oidc()),
        200);
    platformAdminOnly(
        m.row("DELETE", "/api/identity/v1/federation/oidc/{alias}")
            .path(
                c -> {
                  String alias = alias();
                  web.put()
                      .uri("/api/identity/v1/federation/oidc/{a}", alias)
                      .headers(h -> h.setBearerAuth(admin()))
                      .contentType(MediaType.APPLICATION_JSON)
                      .bodyValue(oidc())
                      .exchange()
                      .expectStatus()
                      .isOk();
                  return "/api/identity/v1/federation/oidc/" + alias;
                }),
        204);
  }

  // --- expectations -------------------------------------------------------------------------

  private static void anySignedIn(AccessMatrix.Row row, int status) {
    row.expect(ANONYMOUS, 401).otherwise(status);
  }

  private static void platformAdminOnly(AccessMatrix.Row row, int status) {
    row.expect(PLATFORM_ADMIN, status).expect(ANONYMOUS, 401).otherwise(403);
  }

  private static void platformReaders(AccessMatrix.Row row) {
    row.expect(PLATFORM_ADMIN, 200)
        .expect(PLATFORM_AUDITOR, 200)
        .expect(ANONYMOUS, 401)
        .otherwise(403);
  }

  /** The team's members of any role, admins and auditors read; nobody else sees the team. */
  private static void teamRead(AccessMatrix.Row row) {
    row.expect(OTHER_TEAM_ADMIN, 404).expect(NO_ROLE, 404).expect(ANONYMOUS, 401).otherwise(200);
  }

  /** Team admins and platform admins change; the team's other callers and auditors may not. */
  private static void teamAdmin(AccessMatrix.Row row, int status) {
    row.expect(PLATFORM_ADMIN, status)
        .expect(TEAM_ADMIN, status)
        .expect(OTHER_TEAM_ADMIN, 404)
        .expect(NO_ROLE, 404)
        .expect(ANONYMOUS, 401)
        .otherwise(403);
  }

  /** Only platform admins change, even the team's own admins may not. */
  private static void teamPlatformAdmin(AccessMatrix.Row row, int status) {
    row.expect(PLATFORM_ADMIN, status)
        .expect(OTHER_TEAM_ADMIN, 404)
        .expect(NO_ROLE, 404)
        .expect(ANONYMOUS, 401)
        .otherwise(403);
  }

  // --- objects --------------------------------------------------------------------------------

  /** The user name in the caller's matrix token (see AccessMatrix.Caller). */
  private static String callerName(Caller c) {
    return "matrix-" + c.name().toLowerCase(Locale.ROOT);
  }

  /** The caller's own account exists in Keycloak, as it does for anyone who signed in. */
  private String me(Caller c) {
    if (c != ANONYMOUS) {
      userId(callerName(c));
    }
    return "/api/identity/v1/me";
  }

  private void ensureTeam(String team) {
    HttpStatusCode status =
        web.get()
            .uri(TEAMS + team)
            .headers(h -> h.setBearerAuth(admin()))
            .exchange()
            .expectBody()
            .returnResult()
            .getStatus();
    if (status.value() == 404) {
      createTeam(team);
    } else {
      assertThat(status.value()).as("team %s", team).isEqualTo(200);
    }
  }

  /** The id of the user with this name, created (with {@link #PASSWORD}) when missing. */
  private String userId(String username) {
    Map<String, Object> page =
        web.get()
            .uri(u -> u.path("/api/identity/v1/users").queryParam("search", username).build())
            .headers(h -> h.setBearerAuth(admin()))
            .exchange()
            .expectStatus()
            .isOk()
            .expectBody(JSON_MAP)
            .returnResult()
            .getResponseBody();
    @SuppressWarnings("unchecked")
    List<Map<String, Object>> items = (List<Map<String, Object>>) page.get("items");
    return items.stream()
        .filter(u -> username.equals(u.get("username")))
        .map(u -> (String) u.get("id"))
        .findFirst()
        .orElseGet(() -> (String) createUser(username, PASSWORD).get("id"));
  }

  /** Makes the user a member of the own team with this role (already one is fine). */
  private void join(String username, String role) {
    userId(username);
    web.post()
        .uri(OWN + "/members")
        .headers(h -> h.setBearerAuth(admin()))
        .bodyValue(Map.of("username", username, "role", role))
        .exchange()
        .expectStatus()
        .value(s -> assertThat(s).isIn(201, HttpStatus.CONFLICT.value()));
  }

  private String freshMember() {
    String name = unique("matrix-member");
    join(name, "team-member");
    return name;
  }

  private String integration() {
    Map<String, Object> created =
        web.post()
            .uri(OWN + "/integrations")
            .headers(h -> h.setBearerAuth(admin()))
            .bodyValue(Map.of("name", unique("ci")))
            .exchange()
            .expectStatus()
            .isCreated()
            .expectBody(JSON_MAP)
            .returnResult()
            .getResponseBody();
    @SuppressWarnings("unchecked")
    Map<String, Object> integration = (Map<String, Object>) created.get("integration");
    return (String) integration.get("id");
  }

  private void ensureLdap(String ldap) {
    web.put()
        .uri("/api/identity/v1/federation/ldap")
        .headers(h -> h.setBearerAuth(admin()))
        .contentType(MediaType.APPLICATION_JSON)
        .bodyValue(ldap)
        .exchange()
        .expectStatus()
        .isOk();
  }

  private String alias() {
    String alias = unique("matrix");
    oidcAliases.add(alias);
    return alias;
  }

  private static String oidc() {
    return "{\"authorizationUrl\":\"https://sso.matrix.example.test/auth\","
        + "\"tokenUrl\":\"https://sso.matrix.example.test/token\","
        + "\"clientId\":\"runnel\",\"clientSecret\":\"matrix-oidc-secret\",\"enabled\":false}";
  }
}
