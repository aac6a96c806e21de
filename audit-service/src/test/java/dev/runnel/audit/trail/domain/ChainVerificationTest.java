package dev.runnel.audit.trail.domain;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ChainVerificationTest {

  @Test
  void anIntactChainIsValid() {
    assertThat(verify(AuditRecords.chainOf(5))).isEqualTo(new ChainReport(true, 5, null));
  }

  @Test
  void anEmptyTrailIsValid() {
    assertThat(verify(List.of())).isEqualTo(new ChainReport(true, 0, null));
  }

  @Test
  void aChangedRecordBreaksTheChainAtItsSeq() {
    List<TrailEntry> chain = new ArrayList<>(AuditRecords.chainOf(5));
    TrailEntry third = chain.get(2);
    chain.set(
        2,
        new TrailEntry(
            third.seq(),
            third.prevHash(),
            third.hash(),
            HashChainTest.with(third.record(), 5, "mallory")));
    assertThat(verify(chain)).isEqualTo(new ChainReport(false, 5, 3L));
  }

  @Test
  void aChangedRecordWithItsHashRecomputedBreaksTheLinkOfTheNextEntry() {
    List<TrailEntry> chain = new ArrayList<>(AuditRecords.chainOf(5));
    TrailEntry third = chain.get(2);
    chain.set(
        2,
        HashChain.append(
            third.prevHash(), third.seq(), HashChainTest.with(third.record(), 5, "mallory")));
    assertThat(verify(chain)).isEqualTo(new ChainReport(false, 5, 4L));
  }

  @Test
  void aRemovedEntryBreaksTheChainAtTheEntryAfterIt() {
    List<TrailEntry> chain = new ArrayList<>(AuditRecords.chainOf(5));
    chain.remove(1);
    assertThat(verify(chain)).isEqualTo(new ChainReport(false, 4, 3L));
  }

  @Test
  void removingTheFirstEntryIsNoticedToo() {
    List<TrailEntry> chain = new ArrayList<>(AuditRecords.chainOf(3));
    chain.remove(0);
    assertThat(verify(chain)).isEqualTo(new ChainReport(false, 2, 2L));
  }

  @Test
  void swappedEntriesBreakTheChain() {
    List<TrailEntry> chain = new ArrayList<>(AuditRecords.chainOf(4));
    TrailEntry second = chain.get(1);
    chain.set(1, chain.get(2));
    chain.set(2, second);
    assertThat(verify(chain).firstBrokenSeq()).isEqualTo(3L);
  }

  private static ChainReport verify(List<TrailEntry> entries) {
    ChainVerification verification = new ChainVerification();
    entries.forEach(verification::check);
    return verification.report();
  }
}
