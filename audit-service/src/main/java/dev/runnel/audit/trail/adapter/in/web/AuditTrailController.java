package dev.runnel.audit.trail.adapter.in.web;

import dev.runnel.audit.trail.application.ReadTrail;
import dev.runnel.audit.trail.application.TrailQuery;
import dev.runnel.audit.trail.domain.ChainReport;
import dev.runnel.audit.trail.domain.TrailEntry;
import dev.runnel.kit.problem.Problem;
import dev.runnel.kit.security.Caller;
import dev.runnel.kit.security.Callers;
import java.time.Instant;
import java.util.List;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;
import tools.jackson.databind.JsonNode;

/**
 * {@code /api/audit/v1}: the trail and its verification, for platform admins and auditors only. The
 * trail spans every team, so team roles give no access to it.
 */
@RestController
@RequestMapping("/api/audit/v1")
class AuditTrailController {
  private final ReadTrail trail;
  private final EventData data;

  AuditTrailController(ReadTrail trail, EventData data) {
    this.trail = trail;
    this.data = data;
  }

  /**
   * Events newest first. {@code from} (inclusive) and {@code to} (exclusive) bound the time the
   * event occurred; {@code type} ending in {@code *} matches a prefix.
   */
  @GetMapping("/events")
  Mono<AuditEventListResponse> list(
      @RequestParam(required = false) String from,
      @RequestParam(required = false) String to,
      @RequestParam(required = false) String type,
      @RequestParam(required = false) String subject,
      @RequestParam(required = false) String team,
      @RequestParam(required = false) String actor,
      @RequestParam(required = false) String limit,
      @RequestParam(required = false) String cursor) {
    return reader()
        .flatMap(
            caller ->
                trail.search(TrailQuery.parse(from, to, type, subject, team, actor, limit, cursor)))
        .map(
            page ->
                new AuditEventListResponse(
                    page.items().stream().map(this::toResponse).toList(), page.nextCursor()));
  }

  /**
   * Refused requests of every service ({@code runnel.<service>.access.denied.v1}), newest first:
   * the same filters as {@code /events} except {@code type}.
   */
  @GetMapping("/denials")
  Mono<AuditEventListResponse> denials(
      @RequestParam(required = false) String from,
      @RequestParam(required = false) String to,
      @RequestParam(required = false) String subject,
      @RequestParam(required = false) String team,
      @RequestParam(required = false) String actor,
      @RequestParam(required = false) String limit,
      @RequestParam(required = false) String cursor) {
    return reader()
        .flatMap(
            caller ->
                trail.search(
                    TrailQuery.parse(from, to, null, subject, team, actor, limit, cursor)
                        .denials()))
        .map(
            page ->
                new AuditEventListResponse(
                    page.items().stream().map(this::toResponse).toList(), page.nextCursor()));
  }

  @GetMapping("/events/{eventId}")
  Mono<AuditEventResponse> get(@PathVariable String eventId) {
    return reader()
        .flatMap(
            caller -> {
              if (eventId.length() > TrailQuery.MAX_TEXT) {
                return Mono.error(
                    Problem.invalid(
                        "eventId", "must be at most " + TrailQuery.MAX_TEXT + " characters"));
              }
              return trail.get(eventId);
            })
        .map(this::toResponse);
  }

  @GetMapping("/chain/verify")
  Mono<ChainVerifyResponse> verify() {
    return reader().then(trail.verify()).map(ChainVerifyResponse::of);
  }

  private static Mono<Caller> reader() {
    return Callers.current()
        .map(c -> c.requirePlatformRole(Caller.PLATFORM_ADMIN, Caller.PLATFORM_AUDITOR));
  }

  private AuditEventResponse toResponse(TrailEntry e) {
    var r = e.record();
    return new AuditEventResponse(
        r.eventId(),
        r.type(),
        r.source(),
        r.subject(),
        r.team(),
        r.actor(),
        r.occurredAt(),
        r.receivedAt(),
        r.traceId(),
        data.toJson(r.data()),
        e.seq(),
        e.hash());
  }

  record AuditEventResponse(
      String id,
      String type,
      String source,
      String subject,
      String team,
      String actor,
      Instant time,
      Instant receivedAt,
      String traceId,
      JsonNode data,
      long seq,
      String hash) {}

  record AuditEventListResponse(List<AuditEventResponse> items, String nextCursor) {}

  record ChainVerifyResponse(boolean valid, long checked, Long firstBrokenSeq) {
    static ChainVerifyResponse of(ChainReport report) {
      return new ChainVerifyResponse(report.valid(), report.checked(), report.firstBrokenSeq());
    }
  }
}
