package dev.runnel.audit.trail.domain;

/**
 * Checks a trail entry by entry, in seq order, so that a trail of any length is verified one page
 * at a time. An entry is broken when its hash does not match its contents or when it does not link
 * to the hash of the entry before it (a changed, removed, inserted or reordered entry). Checking
 * goes on past a break, linking each entry to the next by the hash it carries, so that {@code
 * checked} counts the whole trail.
 */
public final class ChainVerification {
  private String expectedPrevHash = HashChain.GENESIS;
  private long checked;
  private Long firstBrokenSeq;

  public void check(TrailEntry entry) {
    checked++;
    boolean linked = entry.prevHash().equals(expectedPrevHash);
    boolean intact =
        entry.hash().equals(HashChain.hash(entry.prevHash(), entry.seq(), entry.record()));
    if ((!linked || !intact) && firstBrokenSeq == null) {
      firstBrokenSeq = entry.seq();
    }
    expectedPrevHash = entry.hash();
  }

  public ChainReport report() {
    return new ChainReport(firstBrokenSeq == null, checked, firstBrokenSeq);
  }
}
