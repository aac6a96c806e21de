package dev.runnel.market.catalog.domain;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.OffsetDateTime;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class IndexEntriesTest {
  @ParameterizedTest
  @ValueSource(
      strings = {
        "2023-10-12T10:13:37.466385+00:00",
        "2023-10-12T10:13:37.466385Z",
        "2019-01-01T00:00:00Z",
        "2020-02-29T23:59:59.999999999-07:30",
        "2021-06-30T12:00:00.1+05:45",
        "2016-10-06T16:23:20.499814565-06:00"
      })
  void createdTimesHelmWritesAreReadAsTheFormatterReadsThem(String created) {
    assertThat(IndexEntries.instant(created)).isEqualTo(OffsetDateTime.parse(created).toInstant());
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "2023-13-12T10:13:37Z",
        "2023-02-30T10:13:37Z",
        "2023-10-12T25:13:37Z",
        "2023-10-12T10:13:37",
        "2023-10-12 10:13:37Z",
        "2023-10-12T10:13:37.1234567890Z",
        "yesterday",
        ""
      })
  void anythingElseIsUnknownRatherThanWrong(String created) {
    assertThat(IndexEntries.instant(created)).isNull();
  }

  @Test
  void nothingIsNothing() {
    assertThat(IndexEntries.instant(null)).isNull();
  }
}
