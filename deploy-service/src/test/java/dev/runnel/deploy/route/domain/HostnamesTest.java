package dev.runnel.deploy.route.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class HostnamesTest {
  @ParameterizedTest
  @ValueSource(
      strings = {
        "app.example.com",
        "*.apps.example.com",
        "xn--bcher-kva.example",
        "a.b",
        "1.example.com",
        "my-app.team-a.example.org"
      })
  void acceptsHostNames(String host) {
    assertThat(Hostnames.host(host)).isEqualTo(host);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "",
        " ",
        "localhost",
        "*.com",
        "App.Example.com",
        "app..example.com",
        ".example.com",
        "example.com.",
        "-app.example.com",
        "app-.example.com",
        "a*.example.com",
        "app.*.example.com",
        "**.example.com",
        "10.0.0.1",
        "app_1.example.com",
        "app.example.com/path",
        "app.example.com:8080",
        "bücher.example",
        "app.example.com\n",
        "<script>.example.com"
      })
  void refusesWhatIsNotAHostName(String host) {
    assertThatThrownBy(() -> Hostnames.host(host))
        .isInstanceOf(InvalidRouteException.class)
        .satisfies(e -> assertThat(((InvalidRouteException) e).field()).isEqualTo("host"));
  }

  @org.junit.jupiter.api.Test
  void refusesLongLabelsAndNames() {
    String label63 = "a".repeat(63);
    assertThat(Hostnames.host(label63 + ".example.com")).startsWith(label63);
    assertThatThrownBy(() -> Hostnames.host("a".repeat(64) + ".example.com"))
        .hasMessageContaining("longer than 63");
    String name253 = (label63 + ".").repeat(3) + "a".repeat(61);
    assertThat(name253).hasSize(253);
    assertThat(Hostnames.host(name253)).isEqualTo(name253);
    assertThatThrownBy(() -> Hostnames.host(name253 + "a")).hasMessageContaining("at most 253");
    assertThatThrownBy(() -> Hostnames.host(null)).hasMessageContaining("blank");
  }
}
