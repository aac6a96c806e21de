package dev.runnel.audit.trail.application;

import dev.runnel.audit.trail.domain.ChainReport;
import dev.runnel.audit.trail.domain.ChainVerification;
import dev.runnel.audit.trail.domain.TrailEntry;
import dev.runnel.kit.problem.Problem;
import java.util.List;
import org.springframework.stereotype.Service;
import reactor.core.publisher.Mono;

/** Searches the trail and verifies its chain. Authorisation happens at the edge. */
@Service
public class ReadTrail {
  private final AuditTrail trail;
  private final int verifyPageSize;

  public ReadTrail(AuditTrail trail, TrailProperties properties) {
    this.trail = trail;
    this.verifyPageSize = properties.verifyPageSize();
  }

  public Mono<TrailPage> search(TrailQuery query) {
    return trail
        .search(query, query.limit() + 1)
        .collectList()
        .map(
            rows -> {
              if (rows.size() <= query.limit()) {
                return new TrailPage(rows, null);
              }
              List<TrailEntry> page = rows.subList(0, query.limit());
              return new TrailPage(page, TrailQuery.cursorAfter(page.get(page.size() - 1).seq()));
            });
  }

  public Mono<TrailEntry> get(String eventId) {
    return trail
        .findByEventId(eventId)
        .switchIfEmpty(Mono.error(() -> Problem.notFound("Audit event", eventId)));
  }

  /**
   * Recomputes the whole chain from its first entry, one page at a time, so that memory does not
   * grow with the trail. Entries appended meanwhile are checked when the last page reaches them.
   */
  public Mono<ChainReport> verify() {
    return Mono.defer(
        () -> {
          ChainVerification verification = new ChainVerification();
          return trail
              .chainAfter(0, verifyPageSize)
              .collectList()
              .expand(
                  page ->
                      page.size() < verifyPageSize
                          ? Mono.empty()
                          : trail
                              .chainAfter(page.get(page.size() - 1).seq(), verifyPageSize)
                              .collectList())
              .doOnNext(page -> page.forEach(verification::check))
              .then(Mono.fromSupplier(verification::report));
        });
  }
}
