package dev.runnel.identity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.runnel.identity.integration.domain.Integration;
import dev.runnel.identity.integration.domain.InvalidIntegrationException;
import dev.runnel.identity.team.domain.InvalidTeamException;
import dev.runnel.identity.team.domain.Quota;
import dev.runnel.identity.team.domain.Team;
import dev.runnel.identity.team.domain.TeamEvent;
import dev.runnel.identity.team.domain.TeamInUseException;
import dev.runnel.identity.user.domain.InvalidUserException;
import dev.runnel.identity.user.domain.NewUser;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The rules a person meets when they type a name, an email, a quota. */
class DomainRulesTest {
  private static final Instant NOW = Instant.parse("2026-11-23T08:00:00Z");

  @ParameterizedTest
  @ValueSource(strings = {"Acme", "acme_corp", "-acme", "acme-", "a.b", "", " ", "team/../x"})
  void teamNamesAreDnsLabels(String bad) {
    assertThatThrownBy(() -> Team.create(bad, "Acme", NOW))
        .isInstanceOf(InvalidTeamException.class)
        .extracting(e -> ((InvalidTeamException) e).field())
        .isEqualTo("name");
  }

  @Test
  void aTeamNameOf63CharactersIsTheLongest() {
    assertThat(Team.create("a".repeat(63), "Long", NOW).team().name()).hasSize(63);
    assertThatThrownBy(() -> Team.create("a".repeat(64), "Long", NOW))
        .isInstanceOf(InvalidTeamException.class);
  }

  @Test
  void renamingToTheSameDisplayNameIsNoEvent() {
    Team team = Team.create("acme", "Acme", NOW).team();
    assertThat(team.rename("  Acme ", NOW).event()).isNull();
    Team.Change change = team.rename("Acme Corp", NOW);
    assertThat(change.event())
        .isInstanceOfSatisfying(
            TeamEvent.Updated.class, u -> assertThat(u.previousDisplayName()).isEqualTo("Acme"));
    assertThat(change.team().version()).isEqualTo(1);
  }

  @Test
  void aTeamWithInstancesRefusesDeletionWithTheCount() {
    Team team = Team.create("acme", "Acme", NOW).team();
    assertThatThrownBy(() -> team.delete(3, NOW))
        .isInstanceOf(TeamInUseException.class)
        .hasMessage("Team 'acme' still has 3 instances; delete them first");
    assertThatThrownBy(() -> team.delete(1, NOW)).hasMessageContaining("1 instance;");
    assertThat(team.delete(0, NOW).type()).isEqualTo("runnel.identity.team.deleted.v1");
  }

  @Test
  void quotasAreKubernetesQuantities() {
    Quota q = new Quota("acme", " 500m ", "8Gi", "1.5Ti", 10);
    assertThat(q.cpu()).isEqualTo("500m");
    assertThat(new Quota("acme", "2.5", "512Mi", null, null).storage()).isNull();
    for (String[] bad :
        new String[][] {
          {"cpu", "lots"}, {"cpu", "-1"}, {"memory", "8GB"}, {"memory", "1e9"}, {"storage", "x"}
        }) {
      assertThatThrownBy(
              () ->
                  new Quota(
                      "acme",
                      bad[0].equals("cpu") ? bad[1] : null,
                      bad[0].equals("memory") ? bad[1] : null,
                      bad[0].equals("storage") ? bad[1] : null,
                      null))
          .isInstanceOf(InvalidTeamException.class)
          .extracting(e -> ((InvalidTeamException) e).field())
          .isEqualTo(bad[0]);
    }
    assertThatThrownBy(() -> new Quota("acme", null, null, null, -1))
        .isInstanceOf(InvalidTeamException.class);
  }

  @Test
  void newUsersAreValidatedFieldByField() {
    NewUser ok = new NewUser(" Ada ", "ada@example.com", "Ada", "Lovelace", null, true, Set.of());
    assertThat(ok.username()).isEqualTo("ada");
    assertField(
        () -> new NewUser("ada", "ada-at-example", null, null, null, true, Set.of()), "email");
    assertField(() -> new NewUser("ada", "a@b", null, null, null, true, Set.of()), "email");
    assertField(
        () -> new NewUser("a b", "ada@example.com", null, null, null, true, Set.of()), "username");
    assertField(
        () -> new NewUser("ada", "ada@example.com", "x".repeat(101), null, null, true, Set.of()),
        "firstName");
    assertField(
        () -> new NewUser("ada", "ada@example.com", null, null, "", true, Set.of()), "password");
    assertField(
        () -> new NewUser("ada", "ada@example.com", null, null, null, true, Set.of("team-admin")),
        "platformRoles");
  }

  @Test
  void integrationsActAsMembersOrViewersOnly() {
    assertThat(Integration.role(null)).isEqualTo("team-member");
    assertThat(Integration.role("team-viewer")).isEqualTo("team-viewer");
    for (String bad : List.of("team-admin", "platform-admin")) {
      assertThatThrownBy(() -> Integration.role(bad))
          .isInstanceOf(InvalidIntegrationException.class);
    }
    assertThatThrownBy(() -> Integration.name("Bad.Name"))
        .isInstanceOf(InvalidIntegrationException.class);
    assertThat(Integration.clientIdOf("acme", "ci")).isEqualTo("runnel-integration.acme.ci");
  }

  private static void assertField(Runnable create, String field) {
    assertThatThrownBy(create::run)
        .isInstanceOf(InvalidUserException.class)
        .extracting(e -> ((InvalidUserException) e).field())
        .isEqualTo(field);
  }
}
