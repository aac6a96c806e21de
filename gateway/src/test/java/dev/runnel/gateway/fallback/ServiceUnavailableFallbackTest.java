package dev.runnel.gateway.fallback;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.cloud.gateway.support.ServerWebExchangeUtils.CIRCUITBREAKER_EXECUTION_EXCEPTION_ATTR;

import dev.runnel.kit.problem.Problem;
import dev.runnel.kit.problem.ProblemWebExceptionHandler;
import io.github.resilience4j.circuitbreaker.CallNotPermittedException;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.micrometer.tracing.Tracer;
import java.net.ConnectException;
import java.util.Map;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.support.DefaultListableBeanFactory;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.converter.json.ProblemDetailJacksonMixin;
import org.springframework.mock.http.server.reactive.MockServerHttpRequest;
import org.springframework.mock.web.server.MockServerWebExchange;
import org.springframework.web.reactive.function.server.HandlerStrategies;
import org.springframework.web.reactive.function.server.RouterFunctions;
import org.springframework.web.reactive.function.server.ServerRequest;
import reactor.test.StepVerifier;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

class ServiceUnavailableFallbackTest {
  private final ServiceUnavailableFallback fallback = new ServiceUnavailableFallback();
  // As Spring's codecs configure it: a problem's extra properties are top-level members.
  private final JsonMapper json =
      JsonMapper.builder().addMixIn(ProblemDetail.class, ProblemDetailJacksonMixin.class).build();
  private final ProblemWebExceptionHandler problems =
      new ProblemWebExceptionHandler(
          json, new DefaultListableBeanFactory().getBeanProvider(Tracer.class));

  @Test
  void aRefusedConnectionIsA503ProblemThatNamesTheServiceAndTheCallersPath() {
    MockServerWebExchange exchange =
        MockServerWebExchange.from(MockServerHttpRequest.get("/api/deploy/v1/instances"));
    Problem problem =
        fallback.problem("deploy", new ConnectException("Connection refused: /127.0.0.1:8082"));

    StepVerifier.create(problems.handle(exchange, problem)).verifyComplete();

    assertThat(exchange.getResponse().getStatusCode()).isEqualTo(HttpStatus.SERVICE_UNAVAILABLE);
    assertThat(exchange.getResponse().getHeaders().getContentType())
        .isEqualTo(MediaType.APPLICATION_PROBLEM_JSON);
    StepVerifier.create(exchange.getResponse().getBodyAsString())
        .assertNext(
            body -> {
              JsonNode node = json.readTree(body);
              assertThat(node.get("type").asString())
                  .isEqualTo("https://runnel.dev/problems/unavailable");
              assertThat(node.get("title").asString()).isEqualTo("Service unavailable");
              assertThat(node.get("status").asInt()).isEqualTo(503);
              assertThat(node.get("detail").asString())
                  .isEqualTo("The deploy service cannot be reached; try again shortly");
              assertThat(node.get("instance").asString()).isEqualTo("/api/deploy/v1/instances");
              assertThat(node.get("service").asString()).isEqualTo("deploy");
              assertThat(body).doesNotContain("Connection refused", "127.0.0.1", "Exception");
            })
        .verifyComplete();
  }

  @Test
  void theDetailSaysWhetherTheServiceTimedOutWasCutOffOrFailedOtherwise() {
    CallNotPermittedException open =
        CallNotPermittedException.createCallNotPermittedException(
            CircuitBreaker.ofDefaults("market"));

    assertThat(detail("market", new TimeoutException("Did not observe any item")))
        .isEqualTo("The market service did not answer in time; try again shortly");
    assertThat(detail("market", open))
        .isEqualTo(
            "The market service failed repeatedly; the gateway stops calling it for a while;"
                + " try again shortly");
    assertThat(detail("market", new IllegalStateException("connection reset")))
        .isEqualTo("The call to the market service failed; try again shortly");
    assertThat(detail("market", null))
        .isEqualTo("The call to the market service failed; try again shortly");
  }

  @Test
  void aConnectFailureWrappedByTheHttpClientIsStillUnreachable() {
    RuntimeException wrapped =
        new RuntimeException("io error", new ConnectException("Connection refused"));

    assertThat(detail("audit", wrapped))
        .isEqualTo("The audit service cannot be reached; try again shortly");
  }

  @Test
  void theRouteHandlerTurnsTheBreakersRecordedCauseIntoTheProblem() {
    MockServerWebExchange exchange =
        MockServerWebExchange.from(MockServerHttpRequest.post("/fallback/monitor"));
    exchange
        .getAttributes()
        .put(RouterFunctions.URI_TEMPLATE_VARIABLES_ATTRIBUTE, Map.of("service", "monitor"));
    exchange.getAttributes().put(CIRCUITBREAKER_EXECUTION_EXCEPTION_ATTR, new TimeoutException());
    ServerRequest request =
        ServerRequest.create(exchange, HandlerStrategies.withDefaults().messageReaders());

    StepVerifier.create(fallback.handle(request))
        .expectErrorSatisfies(
            error -> {
              assertThat(error).isInstanceOf(Problem.class);
              Problem problem = (Problem) error;
              assertThat(problem.getStatusCode()).isEqualTo(HttpStatus.SERVICE_UNAVAILABLE);
              assertThat(problem.getBody().getDetail())
                  .isEqualTo("The monitor service did not answer in time; try again shortly");
            })
        .verify();
  }

  private String detail(String service, Throwable cause) {
    return fallback.problem(service, cause).getBody().getDetail();
  }
}
