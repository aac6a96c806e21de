package dev.runnel.deploy.team.adapter.in.schedule;

import dev.runnel.deploy.team.application.ReconcileTeamNamespaces;
import dev.runnel.deploy.team.application.TeamNamespaceProperties;
import jakarta.annotation.PreDestroy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Runs a reconcile pass every {@code runnel.deploy.teams.reconcile-interval}, one at a time (a tick
 * that finds the previous pass still running is dropped). Each pass is bounded by {@code
 * max-per-pass}. This is what takes team changes to the clusters, retries failed clusters and lays
 * out every known team on a cluster registered (or refreshed, as {@code local} is at start) since.
 */
@Component
class TeamNamespaceReconcileLoop {
  private static final Logger log = LoggerFactory.getLogger(TeamNamespaceReconcileLoop.class);
  private final ReconcileTeamNamespaces reconcile;
  private final TeamNamespaceProperties settings;
  private Disposable loop;

  TeamNamespaceReconcileLoop(ReconcileTeamNamespaces reconcile, TeamNamespaceProperties settings) {
    this.reconcile = reconcile;
    this.settings = settings;
  }

  @EventListener(ApplicationReadyEvent.class)
  synchronized void start() {
    if (loop != null) {
      return;
    }
    loop =
        Flux.interval(settings.reconcileInterval())
            .onBackpressureDrop()
            .concatMap(
                tick ->
                    reconcile
                        .pass()
                        .onErrorResume(
                            e -> {
                              log.warn("team namespace reconcile pass failed: {}", e.toString());
                              return Mono.empty();
                            }),
                1)
            .subscribe();
  }

  @PreDestroy
  synchronized void stop() {
    if (loop != null) {
      loop.dispose();
      loop = null;
    }
  }
}
