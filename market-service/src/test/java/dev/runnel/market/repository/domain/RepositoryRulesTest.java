package dev.runnel.market.repository.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class RepositoryRulesTest {
  @Test
  void urlsAreNormalisedAndUnsafeOnesRefused() {
    assertThat(RepositoryRules.url(" https://charts.example.com/stable/ "))
        .isEqualTo("https://charts.example.com/stable");
    assertThatThrownBy(() -> RepositoryRules.url("file:///etc/passwd"))
        .hasMessageContaining("http");
    assertThatThrownBy(() -> RepositoryRules.url("https://user:pw@example.com"))
        .hasMessageContaining("credentials");
    assertThatThrownBy(() -> RepositoryRules.url("https://example.com/index.yaml"))
        .hasMessageContaining("without /index.yaml");
    assertThatThrownBy(() -> RepositoryRules.url("https://example.com/?x=1"))
        .hasMessageContaining("query");
    assertThatThrownBy(() -> RepositoryRules.url("http://"))
        .isInstanceOf(InvalidRepositoryException.class);
  }

  @Test
  void namesAreDnsLabelsAndLocalIsReserved() {
    assertThat(RepositoryRules.name("bitnami-2")).isEqualTo("bitnami-2");
    assertThatThrownBy(() -> RepositoryRules.name("Bitnami"))
        .isInstanceOf(InvalidRepositoryException.class);
    assertThatThrownBy(() -> RepositoryRules.name("-x"))
        .isInstanceOf(InvalidRepositoryException.class);
    assertThatThrownBy(() -> RepositoryRules.name("a/b"))
        .isInstanceOf(InvalidRepositoryException.class);
    assertThatThrownBy(
            () ->
                ChartRepository.create(
                    "local",
                    "https://x.example",
                    RepositoryAuth.NONE,
                    null,
                    Duration.ofHours(1),
                    Instant.now()))
        .hasMessageContaining("built-in");
  }

  @Test
  void aRepositoryIsDueWhenItsIntervalHasPassed() {
    Instant now = Instant.parse("2026-11-23T08:00:00Z");
    ChartRepository fresh =
        ChartRepository.create(
            "r", "https://x.example", RepositoryAuth.NONE, null, Duration.ofHours(1), now);
    assertThat(fresh.due(now)).isTrue();
    ChartRepository synced =
        new ChartRepository(
            "r",
            "https://x.example",
            false,
            RepositoryAuth.NONE,
            null,
            Duration.ofHours(1),
            new SyncStatus(now, "synced", null, "a".repeat(64), 1, 1, 0),
            0,
            now,
            now);
    assertThat(synced.due(now.plusSeconds(3599))).isFalse();
    assertThat(synced.due(now.plusSeconds(3600))).isTrue();
    assertThatThrownBy(() -> RepositoryRules.interval(Duration.ofSeconds(59)))
        .isInstanceOf(InvalidRepositoryException.class);
  }
}
