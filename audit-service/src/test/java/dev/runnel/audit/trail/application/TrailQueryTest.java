package dev.runnel.audit.trail.application;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.runnel.kit.problem.Problem;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class TrailQueryTest {

  @Test
  void withoutParametersEverythingMatchesFiftyAtATime() {
    TrailQuery q = parse(null, null, null, null, null, null, null, null);
    assertThat(q)
        .isEqualTo(new TrailQuery(null, null, null, null, null, null, null, null, null, 50));
  }

  @Test
  void everyFilterIsRead() {
    TrailQuery q =
        parse(
            "2026-01-01T00:00:00Z",
            "2026-02-01T00:00:00.5+01:00",
            "runnel.market.category.created.v1",
            "c-1",
            "acme",
            "ada",
            "200",
            TrailQuery.cursorAfter(1234));
    assertThat(q.from()).isEqualTo(Instant.parse("2026-01-01T00:00:00Z"));
    assertThat(q.to()).isEqualTo(Instant.parse("2026-01-31T23:00:00.5Z"));
    assertThat(q.type()).isEqualTo("runnel.market.category.created.v1");
    assertThat(q.typePrefix()).isNull();
    assertThat(q.subject()).isEqualTo("c-1");
    assertThat(q.team()).isEqualTo("acme");
    assertThat(q.actor()).isEqualTo("ada");
    assertThat(q.limit()).isEqualTo(200);
    assertThat(q.beforeSeq()).isEqualTo(1234L);
  }

  @Test
  void aTypeEndingInAStarMatchesAPrefix() {
    TrailQuery q = parse(null, null, "runnel.market.category.*", null, null, null, null, null);
    assertThat(q.type()).isNull();
    assertThat(q.typePrefix()).isEqualTo("runnel.market.category.");
  }

  @Test
  void blankParametersCountAsAbsent() {
    TrailQuery q = parse(" ", "", "", " ", "", "", "", "");
    assertThat(q)
        .isEqualTo(new TrailQuery(null, null, null, null, null, null, null, null, null, 50));
  }

  @Test
  void aStarInsideTheTypeIsRefused() {
    assertInvalid(
        "type", () -> parse(null, null, "runnel.*.created.v1", null, null, null, null, null));
    assertInvalid("type", () -> parse(null, null, "runnel.**", null, null, null, null, null));
  }

  @Test
  void instantsMustBeIsoInstants() {
    assertInvalid("from", () -> parse("yesterday", null, null, null, null, null, null, null));
    assertInvalid("to", () -> parse(null, "2026-01-01", null, null, null, null, null, null));
  }

  @Test
  void fromMustNotBeAfterTo() {
    assertInvalid(
        "from",
        () ->
            parse(
                "2026-02-01T00:00:00Z",
                "2026-01-01T00:00:00Z",
                null,
                null,
                null,
                null,
                null,
                null));
    TrailQuery same =
        parse("2026-01-01T00:00:00Z", "2026-01-01T00:00:00Z", null, null, null, null, null, null);
    assertThat(same.from()).isEqualTo(same.to());
  }

  @ParameterizedTest
  @ValueSource(strings = {"0", "201", "-1", "ten", "1.5", "99999999999"})
  void theLimitIsBetweenOneAndTwoHundred(String limit) {
    assertInvalid("limit", () -> parse(null, null, null, null, null, null, limit, null));
  }

  @Test
  void textsLongerThan256CharactersAreRefusedNamingTheField() {
    String tooLong = "x".repeat(257);
    String longest = "x".repeat(256);
    assertThat(parse(null, null, longest, longest, longest, longest, null, null).team())
        .isEqualTo(longest);
    assertInvalid("from", () -> parse(tooLong, null, null, null, null, null, null, null));
    assertInvalid("to", () -> parse(null, tooLong, null, null, null, null, null, null));
    assertInvalid("type", () -> parse(null, null, tooLong, null, null, null, null, null));
    assertInvalid("subject", () -> parse(null, null, null, tooLong, null, null, null, null));
    assertInvalid("team", () -> parse(null, null, null, null, tooLong, null, null, null));
    assertInvalid("actor", () -> parse(null, null, null, null, null, tooLong, null, null));
    assertInvalid("limit", () -> parse(null, null, null, null, null, null, tooLong, null));
    assertInvalid("cursor", () -> parse(null, null, null, null, null, null, null, tooLong));
  }

  @Test
  void aCursorRoundTripsToItsSeq() {
    for (long seq : List.of(1L, 50L, Long.MAX_VALUE)) {
      assertThat(
              parse(null, null, null, null, null, null, null, TrailQuery.cursorAfter(seq))
                  .beforeSeq())
          .isEqualTo(seq);
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"not-a-cursor", "%%%", "czE6", "czE6MA", "czE6LTU", "czE6YWJj"})
  void cursorsThisApiDidNotReturnAreRefused(String cursor) {
    assertInvalid("cursor", () -> parse(null, null, null, null, null, null, null, cursor));
  }

  @Test
  void aCursorBeyondTheRangeOfSeqIsRefused() {
    String beyond =
        Base64.getUrlEncoder()
            .withoutPadding()
            .encodeToString("s1:9223372036854775808".getBytes(StandardCharsets.US_ASCII));
    assertInvalid("cursor", () -> parse(null, null, null, null, null, null, null, beyond));
  }

  private static TrailQuery parse(
      String from,
      String to,
      String type,
      String subject,
      String team,
      String actor,
      String limit,
      String cursor) {
    return TrailQuery.parse(from, to, type, subject, team, actor, limit, cursor);
  }

  private static void assertInvalid(String field, Runnable parse) {
    assertThatThrownBy(parse::run)
        .isInstanceOfSatisfying(
            Problem.class,
            p -> {
              assertThat(p.getStatusCode().value()).isEqualTo(400);
              @SuppressWarnings("unchecked")
              List<Map<String, Object>> errors =
                  (List<Map<String, Object>>) p.getBody().getProperties().get("errors");
              assertThat(errors).singleElement().extracting(e -> e.get("field")).isEqualTo(field);
            });
  }
}
