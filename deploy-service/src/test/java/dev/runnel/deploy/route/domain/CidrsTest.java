package dev.runnel.deploy.route.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class CidrsTest {
  @ParameterizedTest
  @CsvSource({
    "10.0.0.0/8, 10.0.0.0/8",
    "203.0.113.7, 203.0.113.7/32",
    "0.0.0.0/0, 0.0.0.0/0",
    "2001:DB8::/32, 2001:db8::/32",
    "::1, ::1/128",
    "::/0, ::/0",
    "fe80::1:2:3:4/64, fe80::1:2:3:4/64",
    "1:2:3:4:5:6:7:8/128, 1:2:3:4:5:6:7:8/128",
    "::ffff:192.0.2.1/128, ::ffff:192.0.2.1/128"
  })
  void acceptsNetworksAndAddresses(String raw, String canonical) {
    assertThat(Cidrs.cidr("ipAllowList[0]", raw)).isEqualTo(canonical);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "10.0.0.0/33",
        "10.0.0/8",
        "10.0.0.256",
        "010.0.0.1",
        "10.0.0.1/08",
        "10.0.0.1/",
        "10.0.0.1/-1",
        "10.0.0.1/8/8",
        "2001:db8::/129",
        "2001:db8:::1",
        "1::2::3",
        "1:2:3:4:5:6:7:8:9",
        "1:2:3:4:5:6:7",
        "12345::",
        "fe80::1%eth0",
        "g::1",
        "example.com",
        "localhost",
        " 10.0.0.1",
        "10.0.0.1,10.0.0.2",
        "*"
      })
  void refusesWhatIsNotANetwork(String raw) {
    assertThatThrownBy(() -> Cidrs.cidr("ipAllowList[3]", raw))
        .isInstanceOf(InvalidRouteException.class)
        .satisfies(
            e -> assertThat(((InvalidRouteException) e).field()).isEqualTo("ipAllowList[3]"));
  }

  @Test
  void aListIsBoundedAndDeduplicated() {
    assertThat(Cidrs.allowlist("ipAllowList", List.of("10.0.0.1", "10.0.0.1/32", "::1"), 5))
        .containsExactly("10.0.0.1/32", "::1/128");
    assertThat(Cidrs.allowlist("ipAllowList", null, 5)).isEmpty();
    assertThatThrownBy(() -> Cidrs.allowlist("ipAllowList", Collections.nCopies(6, "10.0.0.1"), 5))
        .hasMessageContaining("at most 5");
    assertThatThrownBy(() -> Cidrs.allowlist("ipAllowList", List.of("10.0.0.1", "nope"), 5))
        .satisfies(
            e -> assertThat(((InvalidRouteException) e).field()).isEqualTo("ipAllowList[1]"));
  }
}
