package dev.runnel.deploy.team.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class TeamTest {
  private static final TeamQuota SMALL = new TeamQuota("1", "1Gi", null, 2);

  @Test
  void onlyChangesRaiseTheVersion() {
    Team created = Team.unknown("acme").exists("Acme");
    assertThat(created.version()).isEqualTo(1);
    assertThat(created.deleted()).isFalse();
    assertThat(created.exists("Acme")).isSameAs(created);
    Team limited = created.withQuota(SMALL);
    assertThat(limited.version()).isEqualTo(2);
    assertThat(limited.withQuota(new TeamQuota("1", "1Gi", null, 2))).isSameAs(limited);
    Team gone = limited.removed();
    assertThat(gone.deleted()).isTrue();
    assertThat(gone.version()).isEqualTo(3);
    assertThat(gone.removed()).isSameAs(gone);
    assertThat(gone.exists("Acme again").deleted()).isFalse();
  }

  @Test
  void aNameMustBeANamespace() {
    assertThatThrownBy(() -> Team.unknown("Not/A-Namespace"))
        .isInstanceOf(InvalidTeamEventException.class);
    assertThatThrownBy(() -> Team.unknown("kube-system-".repeat(6)))
        .isInstanceOf(InvalidTeamEventException.class);
  }

  @Test
  void failuresBackOffAndSuccessResets() {
    Team t = Team.unknown("acme").exists("Acme");
    Instant now = Instant.parse("2026-01-01T00:00:00Z");
    Duration first = Duration.ofSeconds(5);
    Duration longest = Duration.ofSeconds(30);
    NamespaceStatus one = NamespaceStatus.failed(null, t, "c", "down", now, first, longest);
    assertThat(one.firstFailure()).isTrue();
    assertThat(one.nextAttemptAt()).isEqualTo(now.plusSeconds(5));
    NamespaceStatus two = NamespaceStatus.failed(one, t, "c", "down", now, first, longest);
    assertThat(two.attempts()).isEqualTo(2);
    assertThat(two.firstFailure()).isFalse();
    assertThat(two.nextAttemptAt()).isEqualTo(now.plusSeconds(10));
    NamespaceStatus many = two;
    for (int i = 0; i < 10; i++) {
      many = NamespaceStatus.failed(many, t, "c", "down", now, first, longest);
    }
    assertThat(many.nextAttemptAt()).isEqualTo(now.plusSeconds(30));
    // A new version fails afresh: that is news again.
    NamespaceStatus next =
        NamespaceStatus.failed(many, t.exists("Renamed"), "c", "down", now, first, longest);
    assertThat(next.firstFailure()).isTrue();
    NamespaceStatus ok = NamespaceStatus.succeeded(t, "c", now);
    assertThat(ok.state()).isEqualTo(ReconcileState.RECONCILED);
    assertThat(ok.attempts()).isZero();
  }
}
