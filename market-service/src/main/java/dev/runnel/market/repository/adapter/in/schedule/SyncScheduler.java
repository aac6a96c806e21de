package dev.runnel.market.repository.adapter.in.schedule;

import dev.runnel.market.MarketProperties;
import dev.runnel.market.repository.application.ScheduledSyncs;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Runs {@link ScheduledSyncs} every tick ({@code runnel.market.scheduler-tick}). Rounds never
 * overlap: a tick during a round is dropped.
 */
@Component
class SyncScheduler implements SmartLifecycle {
  private static final Logger log = LoggerFactory.getLogger(SyncScheduler.class);
  private final ScheduledSyncs syncs;
  private final MarketProperties properties;
  private final AtomicBoolean running = new AtomicBoolean();
  private Disposable loop;

  SyncScheduler(ScheduledSyncs syncs, MarketProperties properties) {
    this.syncs = syncs;
    this.properties = properties;
  }

  @Override
  public void start() {
    if (running.compareAndSet(false, true)) {
      loop =
          Flux.interval(java.time.Duration.ZERO, properties.schedulerTick())
              .onBackpressureDrop()
              .concatMap(
                  t ->
                      syncs
                          .runOnce()
                          .onErrorResume(
                              e -> {
                                log.warn("a scheduled sync round failed: {}", e.toString());
                                return Mono.just(0);
                              }),
                  1)
              .subscribe();
    }
  }

  @Override
  public void stop() {
    if (running.compareAndSet(true, false) && loop != null) {
      loop.dispose();
    }
  }

  @Override
  public boolean isRunning() {
    return running.get();
  }
}
