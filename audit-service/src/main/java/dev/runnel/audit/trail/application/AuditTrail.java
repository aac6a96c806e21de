package dev.runnel.audit.trail.application;

import dev.runnel.audit.trail.domain.TrailEntry;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/** Where the trail is kept. Appends happen inside a transaction the caller holds. */
public interface AuditTrail {

  /**
   * Waits for the right to append, held until the current transaction ends, so that appends from
   * every replica of the service happen one at a time and the chain cannot fork.
   */
  Mono<Void> lockForAppend();

  /** The seq the next entry gets and the hash it links to; call after {@link #lockForAppend()}. */
  Mono<NextLink> nextLink();

  /** Stores the entry; false when an entry with its event id is already in the trail. */
  Mono<Boolean> append(TrailEntry entry);

  /** Entries matching the query, newest first, at most {@code limit}. */
  Flux<TrailEntry> search(TrailQuery query, int limit);

  Mono<TrailEntry> findByEventId(String eventId);

  /** Entries after {@code seq} in seq order, at most {@code limit}: one page of the chain. */
  Flux<TrailEntry> chainAfter(long seq, int limit);

  /**
   * @param seq the seq reserved for the next entry
   * @param headHash the hash of the newest entry, or null when the trail is empty
   */
  record NextLink(long seq, String headHash) {}
}
