package dev.runnel.gateway.login;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class LoginPropertiesTest {

  private static LoginProperties with(List<String> scopes, String successUrl) {
    return new LoginProperties(
        URI.create("http://kc:8080/realms/runnel/"),
        "runnel-gateway",
        "s3cret",
        scopes,
        Duration.ofSeconds(30),
        successUrl,
        false,
        Duration.ofSeconds(3));
  }

  @Test
  void keycloaksEndpointsAreDerivedFromTheIssuer() {
    KeycloakEndpoints endpoints = with(List.of("openid"), "/").endpoints();

    assertThat(endpoints.issuer()).hasToString("http://kc:8080/realms/runnel");
    assertThat(endpoints.authorization())
        .hasToString("http://kc:8080/realms/runnel/protocol/openid-connect/auth");
    assertThat(endpoints.token())
        .hasToString("http://kc:8080/realms/runnel/protocol/openid-connect/token");
    assertThat(endpoints.endSession())
        .hasToString("http://kc:8080/realms/runnel/protocol/openid-connect/logout");
    assertThat(endpoints.discovery())
        .hasToString("http://kc:8080/realms/runnel/.well-known/openid-configuration");
  }

  @Test
  void aSuccessUrlOutsideTheGatewayWouldBeAnOpenRedirectAndIsRefused() {
    assertThatThrownBy(() -> with(List.of("openid"), "https://evil.example/"))
        .hasMessageContaining("must be a path on the gateway");
    assertThatThrownBy(() -> with(List.of("openid"), "//evil.example/"))
        .hasMessageContaining("must be a path on the gateway");
  }

  @Test
  void loginWithoutTheOpenidScopeIsRefused() {
    assertThatThrownBy(() -> with(List.of("profile"), "/")).hasMessageContaining("openid");
  }
}
