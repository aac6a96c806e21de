package dev.runnel.kit.problem;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.support.StaticListableBeanFactory;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.mock.http.server.reactive.MockServerHttpRequest;
import org.springframework.mock.web.server.MockServerWebExchange;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.web.server.ResponseStatusException;
import reactor.test.StepVerifier;
import tools.jackson.databind.json.JsonMapper;

class ProblemWebExceptionHandlerTest {
  private final ProblemWebExceptionHandler handler =
      new ProblemWebExceptionHandler(
          JsonMapper.builder().build(),
          new StaticListableBeanFactory().getBeanProvider(io.micrometer.tracing.Tracer.class));

  private MockServerWebExchange render(Throwable error) {
    MockServerWebExchange exchange =
        MockServerWebExchange.from(MockServerHttpRequest.get("/api/market/v1/things/7"));
    StepVerifier.create(handler.handle(exchange, error)).verifyComplete();
    return exchange;
  }

  @Test
  void anUnexpectedFailureIsA500WithoutItsMessageOrStack() {
    MockServerWebExchange exchange =
        render(new IllegalStateException("password=hunter2 at com.internal.Thing"));

    assertThat(exchange.getResponse().getStatusCode()).isEqualTo(HttpStatus.INTERNAL_SERVER_ERROR);
    assertThat(exchange.getResponse().getHeaders().getContentType())
        .isEqualTo(MediaType.APPLICATION_PROBLEM_JSON);
    StepVerifier.create(exchange.getResponse().getBodyAsString())
        .assertNext(
            body ->
                assertThat(body)
                    .contains("\"status\":500")
                    .contains("\"instance\":\"/api/market/v1/things/7\"")
                    .doesNotContain("hunter2")
                    .doesNotContain("com.internal")
                    .doesNotContain("IllegalStateException"))
        .verifyComplete();
  }

  @Test
  void knownFailuresMapToTheirStatus() {
    assertThat(handler.toProblem(Problem.notFound("Category", "x")).getStatus()).isEqualTo(404);
    assertThat(handler.toProblem(new AccessDeniedException("no")).getStatus()).isEqualTo(403);
    assertThat(handler.toProblem(new TimeoutException()).getStatus()).isEqualTo(503);
    assertThat(handler.toProblem(new ResponseStatusException(HttpStatus.NOT_FOUND)).getDetail())
        .isEqualTo("No resource at this path");
    assertThat(handler.toProblem(Problem.invalid("name", "must not be blank")).getProperties())
        .containsKey("errors");
  }
}
