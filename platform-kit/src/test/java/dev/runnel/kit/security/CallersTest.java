package dev.runnel.kit.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.runnel.kit.problem.Problem;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.security.oauth2.jwt.Jwt;

class CallersTest {

  private static Jwt token(Map<String, Object> claims) {
    Jwt.Builder b =
        Jwt.withTokenValue("t")
            .header("alg", "RS256")
            .subject("u-1")
            .issuedAt(Instant.now())
            .expiresAt(Instant.now().plusSeconds(60));
    claims.forEach(b::claim);
    return b.build();
  }

  @Test
  void readsKeycloakRealmRolesAndTeamGroups() {
    Caller c =
        Callers.fromJwt(
            token(
                Map.of(
                    "preferred_username", "ada",
                    "realm_access", Map.of("roles", List.of("platform-auditor", "offline_access")),
                    "groups",
                        List.of(
                            "/teams/acme/team-viewer",
                            "/teams/acme/team-admin",
                            "/teams/zeta/team-member",
                            "/other/group",
                            "/teams/BAD NAME/team-admin"))));

    assertThat(c.username()).isEqualTo("ada");
    assertThat(c.platformRoles()).contains("platform-auditor");
    assertThat(c.teams())
        .containsExactlyInAnyOrderEntriesOf(Map.of("acme", "team-admin", "zeta", "team-member"));
    assertThat(c.canReadEverything()).isTrue();
    assertThat(c.canChange("acme")).isTrue();
    assertThat(c.canAdminister("zeta")).isFalse();
  }

  @Test
  void anotherTeamsObjectIsNotFoundAndAViewerMayNotChange() {
    Caller viewer = new Caller("s", "v", java.util.Set.of(), Map.of("acme", "team-viewer"));

    assertThatThrownBy(() -> viewer.requireRead("zeta", "Instance", "i-1"))
        .isInstanceOfSatisfying(
            Denial.class,
            d -> {
              assertThat(d.reason()).isEqualTo(Denial.Reason.OTHER_TEAMS_OBJECT);
              assertThat(d.team()).isEqualTo("zeta");
              // The client gets exactly the problem of an instance that does not exist.
              assertThat(d.getBody()).isEqualTo(Problem.notFound("Instance", "i-1").getBody());
              assertThat(d.getStatusCode().value()).isEqualTo(404);
            });
    assertThatThrownBy(() -> viewer.requireChange("acme", "Instance", "i-1"))
        .isInstanceOfSatisfying(
            Denial.class,
            d -> {
              assertThat(d.reason()).isEqualTo(Denial.Reason.FORBIDDEN_ACTION);
              assertThat(d.team()).isEqualTo("acme");
              assertThat(d.getStatusCode().value()).isEqualTo(403);
            });
    assertThat(viewer.requireRead("acme", "Instance", "i-1")).isSameAs(viewer);
  }

  @Test
  void anAuditorReadsEverythingButChangesNothing() {
    Caller auditor = new Caller("s", "a", java.util.Set.of("platform-auditor"), Map.of());
    assertThat(auditor.canRead("any")).isTrue();
    assertThat(auditor.canChange("any")).isFalse();
    assertThatThrownBy(() -> auditor.requirePlatformRole(Caller.PLATFORM_ADMIN))
        .isInstanceOf(Denial.class)
        .hasMessageContaining("403");
  }

  @Test
  void aTokenWithoutUsernameFallsBackToTheSubject() {
    assertThat(Callers.fromJwt(token(Map.of())).username()).isEqualTo("u-1");
  }
}
