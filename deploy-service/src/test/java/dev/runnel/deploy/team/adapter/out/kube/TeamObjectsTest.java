package dev.runnel.deploy.team.adapter.out.kube;

import static org.assertj.core.api.Assertions.assertThat;

import dev.runnel.deploy.team.application.TeamNamespaceProperties;
import dev.runnel.deploy.team.domain.Team;
import dev.runnel.deploy.team.domain.TeamQuota;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceQuota;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class TeamObjectsTest {
  private static final TeamNamespaceProperties SETTINGS =
      new TeamNamespaceProperties(
          "traefik",
          "50m",
          "64Mi",
          Duration.ofSeconds(5),
          10,
          Duration.ofSeconds(5),
          Duration.ofMinutes(5),
          Duration.ofSeconds(10));

  private static Team team(TeamQuota quota) {
    return Team.unknown("acme").exists("Acme").withQuota(quota);
  }

  @Test
  void everyObjectIsLabelledForTheTeamAndLivesInItsNamespace() {
    List<HasMetadata> objects =
        new TeamNamespacesFabric8(null, SETTINGS).desired(team(TeamQuota.NONE));
    assertThat(objects)
        .extracting(HasMetadata::getKind)
        .containsExactly(
            "Namespace",
            "LimitRange",
            "ResourceQuota",
            "RoleBinding",
            "RoleBinding",
            "RoleBinding",
            "NetworkPolicy",
            "NetworkPolicy");
    for (HasMetadata o : objects) {
      assertThat(o.getMetadata().getLabels())
          .containsEntry("app.kubernetes.io/managed-by", "runnel")
          .containsEntry("runnel.dev/team", "acme");
      if (!"Namespace".equals(o.getKind())) {
        assertThat(o.getMetadata().getNamespace()).isEqualTo("acme");
      }
    }
  }

  @Test
  void theQuotaLimitsOnlyWhatTheTeamsQuotaSets() {
    ResourceQuota limited =
        TeamResourceQuotaObject.desired(team(new TeamQuota("4", null, "20Gi", 3)));
    assertThat(limited.getSpec().getHard())
        .containsOnlyKeys("requests.cpu", "requests.storage")
        .containsEntry("requests.cpu", new Quantity("4"))
        .containsEntry("requests.storage", new Quantity("20Gi"));
    assertThat(TeamResourceQuotaObject.desired(team(TeamQuota.NONE)).getSpec().getHard()).isEmpty();
  }

  @Test
  void theIngressControllersNamespaceIsConfigurable() {
    var allow = TeamAllowPolicy.desired(team(TeamQuota.NONE), "traefik");
    assertThat(
            allow
                .getSpec()
                .getIngress()
                .get(0)
                .getFrom()
                .get(1)
                .getNamespaceSelector()
                .getMatchLabels())
        .containsEntry("kubernetes.io/metadata.name", "traefik");
    assertThat(
            TeamLimitRangeObject.desired(team(TeamQuota.NONE), SETTINGS)
                .getSpec()
                .getLimits()
                .get(0)
                .getDefaultRequest())
        .containsEntry("cpu", new Quantity("50m"))
        .containsEntry("memory", new Quantity("64Mi"));
  }
}
