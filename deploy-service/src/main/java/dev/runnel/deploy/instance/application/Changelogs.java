package dev.runnel.deploy.instance.application;

import dev.runnel.deploy.instance.application.UpgradePreview.ChangeEntry;
import java.util.List;
import reactor.core.publisher.Mono;

/** Where chart changelogs come from (market-service's upgrade information). */
public interface Changelogs {
  /**
   * Entries for the chart versions in {@code (from, to]}, {@code from} older than {@code to}. Fails
   * when the market cannot answer; callers decide what that means for them.
   *
   * @param bearerToken the caller's token, relayed so the market applies its own rules
   */
  Mono<List<ChangeEntry>> between(
      String repository, String chart, String from, String to, String bearerToken);
}
