package dev.runnel.audit.trail.application;

import dev.runnel.audit.trail.domain.AuditRecord;
import dev.runnel.audit.trail.domain.TrailEntry;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.Predicate;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/** The trail in a list, for use-case tests. Counts chain page reads to show verification pages. */
final class InMemoryAuditTrail implements AuditTrail {
  private final List<TrailEntry> entries = new ArrayList<>();
  private long sequence;
  private int chainReads;

  @Override
  public Mono<Void> lockForAppend() {
    return Mono.empty();
  }

  @Override
  public Mono<NextLink> nextLink() {
    return Mono.fromSupplier(
        () ->
            new NextLink(
                ++sequence, entries.isEmpty() ? null : entries.get(entries.size() - 1).hash()));
  }

  @Override
  public Mono<Boolean> append(TrailEntry entry) {
    return Mono.fromSupplier(
        () -> {
          String id = entry.record().eventId();
          if (entries.stream().anyMatch(e -> e.record().eventId().equals(id))) {
            return false;
          }
          entries.add(entry);
          return true;
        });
  }

  @Override
  public Flux<TrailEntry> search(TrailQuery q, int limit) {
    Predicate<TrailEntry> match =
        e -> {
          AuditRecord r = e.record();
          return (q.beforeSeq() == null || e.seq() < q.beforeSeq())
              && (q.from() == null || !r.occurredAt().isBefore(q.from()))
              && (q.to() == null || r.occurredAt().isBefore(q.to()))
              && (q.type() == null || q.type().equals(r.type()))
              && (q.typePrefix() == null || r.type().startsWith(q.typePrefix()))
              && (q.typeSuffix() == null || r.type().endsWith(q.typeSuffix()))
              && (q.subject() == null || q.subject().equals(r.subject()))
              && (q.team() == null || q.team().equals(r.team()))
              && (q.actor() == null || q.actor().equals(r.actor()));
        };
    return Flux.fromStream(
        entries.stream()
            .sorted(Comparator.comparingLong(TrailEntry::seq).reversed())
            .filter(match)
            .limit(limit)
            .toList()
            .stream());
  }

  @Override
  public Mono<TrailEntry> findByEventId(String eventId) {
    return Mono.justOrEmpty(
        entries.stream().filter(e -> e.record().eventId().equals(eventId)).findFirst());
  }

  @Override
  public Flux<TrailEntry> chainAfter(long seq, int limit) {
    return Flux.defer(
        () -> {
          chainReads++;
          return Flux.fromIterable(
              entries.stream().filter(e -> e.seq() > seq).limit(limit).toList());
        });
  }

  /** Stores entries as they are, as a writer that bypassed the service would. */
  void store(List<TrailEntry> stored) {
    entries.addAll(stored);
    sequence = entries.stream().mapToLong(TrailEntry::seq).max().orElse(0);
  }

  void replace(long seq, TrailEntry tampered) {
    entries.replaceAll(e -> e.seq() == seq ? tampered : e);
  }

  List<TrailEntry> entries() {
    return List.copyOf(entries);
  }

  int chainReads() {
    return chainReads;
  }

  TrailEntry at(long seq) {
    return entries.stream().filter(e -> e.seq() == seq).findFirst().orElseThrow();
  }
}
