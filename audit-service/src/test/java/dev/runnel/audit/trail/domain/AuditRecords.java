package dev.runnel.audit.trail.domain;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** Audit records and chains as tests need them. */
public final class AuditRecords {
  public static final Instant OCCURRED = Instant.parse("2026-03-01T09:15:30.123456Z");
  public static final Instant RECEIVED = Instant.parse("2026-03-01T09:15:31.654321Z");

  private AuditRecords() {}

  /** A category-created event from the market, as the trail receives it. */
  public static AuditRecord categoryCreated() {
    return categoryCreated("7d1c0f3e-5a7b-4b8e-9d57-3f0a6c1f2b10");
  }

  public static AuditRecord categoryCreated(String eventId) {
    return new AuditRecord(
        eventId,
        "runnel.market.category.created.v1",
        "/runnel/market",
        "c0ffee00-0000-4000-8000-000000000001",
        "acme",
        "ada",
        OCCURRED,
        RECEIVED,
        "4bf92f3577b34da6a3ce929d0e0e4736",
        "runnel.market",
        3,
        42L,
        "{\"id\":\"c0ffee00-0000-4000-8000-000000000001\",\"name\":\"Databases\"}");
  }

  /** An intact chain of {@code n} entries with seq 1..n. */
  public static List<TrailEntry> chainOf(int n) {
    List<TrailEntry> chain = new ArrayList<>();
    String prev = HashChain.GENESIS;
    for (int seq = 1; seq <= n; seq++) {
      TrailEntry entry = HashChain.append(prev, seq, categoryCreated("event-" + seq));
      chain.add(entry);
      prev = entry.hash();
    }
    return chain;
  }
}
