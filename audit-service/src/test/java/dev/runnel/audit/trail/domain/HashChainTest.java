package dev.runnel.audit.trail.domain;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

class HashChainTest {
  private static final AuditRecord RECORD = AuditRecords.categoryCreated();

  @Test
  void theFirstEntryLinksToSixtyFourZeros() {
    assertThat(HashChain.GENESIS).hasSize(64).matches("0+");
    TrailEntry first = HashChain.append(HashChain.GENESIS, 1, RECORD);
    assertThat(first.prevHash()).isEqualTo(HashChain.GENESIS);
    assertThat(first.hash()).matches("[0-9a-f]{64}").isNotEqualTo(HashChain.GENESIS);
  }

  /**
   * Pins the canonical format: stored trails verify only while this value holds. The expected value
   * was computed outside Java from the format described on {@link HashChain}, so that an external
   * verifier can follow that description. If it changes, the format changed and needs a new
   * version, not a new expected value.
   */
  @Test
  void theHashOfAKnownRecordFollowsTheDocumentedFormat() {
    assertThat(HashChain.hash(HashChain.GENESIS, 1, RECORD))
        .isEqualTo("29cb567d1394f26ef062c323b992184b8b688b047cdf06d84c59f3edb108ce42");
  }

  @Test
  void everyFieldTheRecordHoldsIsCoveredByTheHash() {
    List<UnaryOperator<AuditRecord>> changes =
        List.of(
            r -> with(r, 0, "other-id"),
            r -> with(r, 1, "runnel.market.category.deleted.v1"),
            r -> with(r, 2, "/runnel/deploy"),
            r -> with(r, 3, "another-subject"),
            r -> with(r, 4, "globex"),
            r -> with(r, 5, "mallory"),
            r -> with(r, 6, r.occurredAt().plusNanos(1_000)),
            r -> with(r, 7, r.receivedAt().plusNanos(1_000)),
            r -> with(r, 8, "0af7651916cd43dd8448eb211c80319c"),
            r -> with(r, 9, "runnel.deploy"),
            r -> with(r, 10, 4),
            r -> with(r, 11, 43L),
            r -> with(r, 12, "{\"id\":\"c0ffee00-0000-4000-8000-000000000001\",\"name\":\"DBs\"}"));
    String original = HashChain.hash(HashChain.GENESIS, 1, RECORD);
    Set<String> hashes = new HashSet<>();
    for (UnaryOperator<AuditRecord> change : changes) {
      hashes.add(HashChain.hash(HashChain.GENESIS, 1, change.apply(RECORD)));
    }
    assertThat(hashes).hasSize(changes.size()).doesNotContain(original);
    assertThat(HashChain.hash(HashChain.GENESIS, 2, RECORD)).isNotEqualTo(original);
  }

  @Test
  void theHashDependsOnThePreviousEntry() {
    String afterGenesis = HashChain.hash(HashChain.GENESIS, 5, RECORD);
    String afterOther = HashChain.hash("1".repeat(64), 5, RECORD);
    assertThat(afterGenesis).isNotEqualTo(afterOther);
  }

  @Test
  void absentAndEmptyValuesAndShiftedBoundariesHashDifferently() {
    AuditRecord noTeam = with(RECORD, 4, null);
    AuditRecord emptyTeam = with(RECORD, 4, "");
    assertThat(HashChain.hash(HashChain.GENESIS, 1, noTeam))
        .isNotEqualTo(HashChain.hash(HashChain.GENESIS, 1, emptyTeam));

    AuditRecord split1 = with(with(RECORD, 4, "ab"), 5, "c");
    AuditRecord split2 = with(with(RECORD, 4, "a"), 5, "bc");
    assertThat(HashChain.hash(HashChain.GENESIS, 1, split1))
        .isNotEqualTo(HashChain.hash(HashChain.GENESIS, 1, split2));
  }

  @Test
  void recordsKeepWhatTheDatabaseCanStoreSoTheirHashSurvivesARoundTrip() {
    AuditRecord withNanos =
        with(
            with(RECORD, 6, RECORD.occurredAt().plusNanos(999)),
            7,
            RECORD.receivedAt().plusNanos(1));
    assertThat(withNanos.occurredAt()).isEqualTo(RECORD.occurredAt());
    assertThat(HashChain.hash(HashChain.GENESIS, 1, withNanos))
        .isEqualTo(HashChain.hash(HashChain.GENESIS, 1, RECORD));

    AuditRecord withNul = with(RECORD, 12, "{\"name\":\"a\u0000b\"}");
    assertThat(withNul.data()).isEqualTo("{\"name\":\"a\uFFFDb\"}");
  }

  @Test
  void anEventWithoutATimeIsFiledUnderItsArrival() {
    Instant now = Instant.parse("2026-05-05T10:00:00.000001Z");
    AuditRecord r =
        AuditRecord.received(
            "e1",
            "runnel.deploy.instance.installed.v1",
            "/runnel/deploy",
            "i-1",
            null,
            null,
            null,
            "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01",
            "runnel.deploy",
            0,
            7,
            "",
            now);
    assertThat(r.occurredAt()).isEqualTo(now);
    assertThat(r.receivedAt()).isEqualTo(now);
    assertThat(r.traceId()).isEqualTo("4bf92f3577b34da6a3ce929d0e0e4736");
  }

  /** The record with the field at {@code index} (in declaration order) replaced. */
  static AuditRecord with(AuditRecord r, int index, Object value) {
    List<Object> f =
        new ArrayList<>(
            java.util.Arrays.asList(
                r.eventId(),
                r.type(),
                r.source(),
                r.subject(),
                r.team(),
                r.actor(),
                r.occurredAt(),
                r.receivedAt(),
                r.traceId(),
                r.topic(),
                r.partition(),
                r.offset(),
                r.data()));
    f.set(index, value);
    return new AuditRecord(
        (String) f.get(0),
        (String) f.get(1),
        (String) f.get(2),
        (String) f.get(3),
        (String) f.get(4),
        (String) f.get(5),
        (Instant) f.get(6),
        (Instant) f.get(7),
        (String) f.get(8),
        (String) f.get(9),
        (Integer) f.get(10),
        (Long) f.get(11),
        (String) f.get(12));
  }
}
