package dev.runnel.audit.trail.application;

import static org.assertj.core.api.Assertions.assertThat;

import dev.runnel.audit.trail.domain.AuditRecords;
import dev.runnel.audit.trail.domain.ChainReport;
import dev.runnel.audit.trail.domain.TrailEntry;
import dev.runnel.kit.problem.Problem;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import reactor.test.StepVerifier;

class ReadTrailTest {
  private static final int PAGE = 2;

  private final InMemoryAuditTrail trail = new InMemoryAuditTrail();
  private final ReadTrail read = new ReadTrail(trail, new TrailProperties(List.of(), PAGE));

  @Test
  void pagesGoNewestFirstAndTheLastHasNoCursor() {
    trail.store(AuditRecords.chainOf(5));

    List<Long> seen = new ArrayList<>();
    List<Integer> sizes = new ArrayList<>();
    String[] cursor = {null};
    do {
      StepVerifier.create(
              read.search(TrailQuery.parse(null, null, null, null, null, null, "2", cursor[0])))
          .consumeNextWith(
              page -> {
                page.items().forEach(e -> seen.add(e.seq()));
                sizes.add(page.items().size());
                cursor[0] = page.nextCursor();
              })
          .verifyComplete();
    } while (cursor[0] != null && sizes.size() < 10);

    assertThat(seen).containsExactly(5L, 4L, 3L, 2L, 1L);
    assertThat(sizes).containsExactly(2, 2, 1);
  }

  @Test
  void aFullLastPageHasNoCursorEither() {
    trail.store(AuditRecords.chainOf(2));

    StepVerifier.create(
            read.search(TrailQuery.parse(null, null, null, null, null, null, "2", null)))
        .assertNext(
            page -> {
              assertThat(page.items()).extracting(TrailEntry::seq).containsExactly(2L, 1L);
              assertThat(page.nextCursor()).isNull();
            })
        .verifyComplete();
  }

  @Test
  void anUnknownEventIsA404() {
    StepVerifier.create(read.get("missing"))
        .expectErrorSatisfies(
            e ->
                assertThat(e)
                    .isInstanceOfSatisfying(
                        Problem.class, p -> assertThat(p.getStatusCode().value()).isEqualTo(404)))
        .verify();
  }

  @Test
  void verificationReadsTheChainOnePageAtATime() {
    trail.store(AuditRecords.chainOf(5));

    StepVerifier.create(read.verify()).expectNext(new ChainReport(true, 5, null)).verifyComplete();
    assertThat(trail.chainReads()).isEqualTo(3);
  }

  @Test
  void aBreakOnALaterPageIsFound() {
    trail.store(AuditRecords.chainOf(6));
    TrailEntry fifth = trail.at(5);
    trail.replace(
        5,
        new TrailEntry(
            5,
            fifth.prevHash(),
            fifth.hash(),
            AuditRecords.categoryCreated("someone-else's-event")));

    StepVerifier.create(read.verify()).expectNext(new ChainReport(false, 6, 5L)).verifyComplete();
  }
}
