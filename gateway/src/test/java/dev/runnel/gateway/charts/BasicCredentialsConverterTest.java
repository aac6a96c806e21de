package dev.runnel.gateway.charts;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpHeaders;
import org.springframework.mock.http.server.reactive.MockServerHttpRequest;
import org.springframework.mock.web.server.MockServerWebExchange;
import org.springframework.security.authentication.BadCredentialsException;
import reactor.test.StepVerifier;

class BasicCredentialsConverterTest {
  private final BasicCredentialsConverter converter = new BasicCredentialsConverter();

  @Test
  void theUserNameEndsAtTheFirstColonAndThePasswordMayHoldColonsAndAnyCharacter() {
    StepVerifier.create(converter.convert(with("Basic " + encode("zoë:p:ä ss:"))))
        .assertNext(
            credentials -> {
              assertThat(credentials.getName()).isEqualTo("zoë");
              assertThat(credentials.getCredentials()).isEqualTo("p:ä ss:");
              assertThat(credentials.isAuthenticated()).isFalse();
            })
        .verifyComplete();
  }

  @Test
  void theSchemeIsCaseInsensitive() {
    StepVerifier.create(converter.convert(with("BASIC " + encode("ada:pw"))))
        .assertNext(credentials -> assertThat(credentials.getName()).isEqualTo("ada"))
        .verifyComplete();
  }

  @Test
  void otherSchemesAndNoHeaderAreNotBasicCredentials() {
    StepVerifier.create(converter.convert(with("Bearer abc.def.ghi"))).verifyComplete();
    StepVerifier.create(converter.convert(with(null))).verifyComplete();
  }

  @Test
  void aBasicHeaderThatCannotBeReadIsRefused() {
    for (String header :
        new String[] {
          "Basic !!!",
          "Basic " + encode("no-colon"),
          "Basic " + encode(":pw"),
          "Basic " + encode("ada:"),
          "Basic ",
          "Basic"
        }) {
      StepVerifier.create(converter.convert(with(header)))
          .expectError(BadCredentialsException.class)
          .verify();
    }
  }

  private static MockServerWebExchange with(String authorization) {
    MockServerHttpRequest.BaseBuilder<?> request = MockServerHttpRequest.get("/charts/index.yaml");
    if (authorization != null) {
      request.header(HttpHeaders.AUTHORIZATION, authorization);
    }
    return MockServerWebExchange.from(request);
  }

  private static String encode(String pair) {
    return Base64.getEncoder().encodeToString(pair.getBytes(StandardCharsets.UTF_8));
  }
}
