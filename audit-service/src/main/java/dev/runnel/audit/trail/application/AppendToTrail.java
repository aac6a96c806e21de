package dev.runnel.audit.trail.application;

import dev.runnel.audit.trail.domain.AuditRecord;
import dev.runnel.audit.trail.domain.HashChain;
import dev.runnel.kit.events.IncomingEvent;
import java.time.Clock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;
import org.springframework.transaction.reactive.TransactionalOperator;
import reactor.core.publisher.Mono;

/**
 * Appends a received event to the trail, linked to the newest entry. Runs in the caller's
 * transaction when there is one (the event inbox's), so the entry, the inbox row and the append
 * lock commit or roll back together.
 */
@Service
public class AppendToTrail {
  private static final Logger log = LoggerFactory.getLogger(AppendToTrail.class);

  private final AuditTrail trail;
  private final TransactionalOperator tx;
  private final Clock clock;

  public AppendToTrail(AuditTrail trail, TransactionalOperator tx, Clock clock) {
    this.trail = trail;
    this.tx = tx;
    this.clock = clock;
  }

  /** True when the event was stored, false when its id was already in the trail. */
  public Mono<Boolean> append(IncomingEvent event) {
    return Mono.defer(
            () -> {
              AuditRecord record =
                  AuditRecord.received(
                      event.id(),
                      event.type(),
                      event.source(),
                      event.subject(),
                      event.team(),
                      event.actor(),
                      event.time(),
                      event.traceparent(),
                      event.topic(),
                      event.partition(),
                      event.offset(),
                      event.dataAsString(),
                      clock.instant());
              return trail
                  .lockForAppend()
                  .then(trail.nextLink())
                  .flatMap(
                      next ->
                          trail.append(
                              HashChain.append(
                                  next.headHash() != null ? next.headHash() : HashChain.GENESIS,
                                  next.seq(),
                                  record)))
                  .doOnNext(
                      stored -> {
                        if (!stored) {
                          // The inbox normally skips redeliveries; reaching here means it was
                          // bypassed or cleared, and the unique event id kept the trail right.
                          log.info(
                              "event {} from {} is already in the trail; not stored again",
                              record.eventId(),
                              record.topic());
                        }
                      });
            })
        .as(tx::transactional);
  }
}
