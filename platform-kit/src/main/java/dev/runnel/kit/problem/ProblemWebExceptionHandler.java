package dev.runnel.kit.problem;

import io.micrometer.tracing.Span;
import io.micrometer.tracing.Tracer;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.core.Ordered;
import org.springframework.core.codec.DecodingException;
import org.springframework.core.io.buffer.DataBufferLimitException;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.dao.TransientDataAccessException;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.security.core.AuthenticationException;
import org.springframework.validation.FieldError;
import org.springframework.validation.ObjectError;
import org.springframework.web.ErrorResponse;
import org.springframework.web.bind.support.WebExchangeBindException;
import org.springframework.web.server.MethodNotAllowedException;
import org.springframework.web.server.NotAcceptableStatusException;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.ServerWebInputException;
import org.springframework.web.server.UnsupportedMediaTypeStatusException;
import org.springframework.web.server.WebExceptionHandler;
import reactor.core.publisher.Mono;
import tools.jackson.core.JacksonException;
import tools.jackson.core.exc.StreamReadException;
import tools.jackson.databind.exc.MismatchedInputException;
import tools.jackson.databind.exc.UnrecognizedPropertyException;
import tools.jackson.databind.json.JsonMapper;

/**
 * Renders every error that leaves a service as an RFC 9457 problem ({@code
 * application/problem+json}): controller exceptions, routing errors, decoding errors and unexpected
 * failures alike. Unexpected failures are logged here with their stack trace and reach the client
 * only as a 500 with the trace id to quote.
 */
public final class ProblemWebExceptionHandler implements WebExceptionHandler, Ordered {
  private static final Logger log = LoggerFactory.getLogger(ProblemWebExceptionHandler.class);
  private static final String TYPE_BASE = "https://runnel.dev/problems/";

  private final JsonMapper mapper;
  private final ObjectProvider<Tracer> tracer;

  public ProblemWebExceptionHandler(JsonMapper mapper, ObjectProvider<Tracer> tracer) {
    this.mapper = mapper;
    this.tracer = tracer;
  }

  @Override
  public int getOrder() {
    // Before Boot's error handler (-1) and after nothing that renders errors differently.
    return -2;
  }

  @Override
  public Mono<Void> handle(ServerWebExchange exchange, Throwable error) {
    ServerHttpResponse response = exchange.getResponse();
    if (response.isCommitted()) {
      return Mono.error(error);
    }
    ProblemDetail problem = toProblem(error);
    problem.setInstance(URI.create(exchange.getRequest().getPath().value()));
    String traceId = currentTraceId();
    if (traceId != null) {
      problem.setProperty("traceId", traceId);
    }
    if (problem.getStatus() >= 500 && !(error instanceof ErrorResponse)) {
      log.error(
          "{} {} failed",
          exchange.getRequest().getMethod(),
          exchange.getRequest().getPath(),
          error);
    }
    byte[] body = mapper.writeValueAsBytes(problem);
    response.setStatusCode(HttpStatusCode.valueOf(problem.getStatus()));
    response.getHeaders().setContentType(MediaType.APPLICATION_PROBLEM_JSON);
    response.getHeaders().setContentLength(body.length);
    if (error instanceof MethodNotAllowedException notAllowed) {
      response.getHeaders().setAllow(notAllowed.getSupportedMethods());
    }
    return response.writeWith(Mono.just(response.bufferFactory().wrap(body)));
  }

  ProblemDetail toProblem(Throwable error) {
    if (error instanceof WebExchangeBindException bind) {
      return validation(bind);
    }
    if (error instanceof UnsupportedMediaTypeStatusException media) {
      return problem(
          HttpStatus.UNSUPPORTED_MEDIA_TYPE,
          "unsupported-media-type",
          "Unsupported media type",
          "Content type '"
              + media.getContentType()
              + "' is not supported here; send "
              + media.getSupportedMediaTypes());
    }
    if (error instanceof NotAcceptableStatusException) {
      return problem(
          HttpStatus.NOT_ACCEPTABLE,
          "not-acceptable",
          "Not acceptable",
          "This resource answers with application/json or application/problem+json");
    }
    if (error instanceof MethodNotAllowedException notAllowed) {
      return problem(
          HttpStatus.METHOD_NOT_ALLOWED,
          "method-not-allowed",
          "Method not allowed",
          notAllowed.getHttpMethod()
              + " is not allowed here; use "
              + notAllowed.getSupportedMethods());
    }
    if (error instanceof ServerWebInputException input) {
      return input(input);
    }
    if (error instanceof ErrorResponse response) {
      ProblemDetail body = response.getBody();
      if (body.getType() == null || "about:blank".equals(body.getType().toString())) {
        body.setType(URI.create(TYPE_BASE + slug(HttpStatus.resolve(body.getStatus()))));
      }
      if (body.getStatus() == 404 && body.getDetail() == null) {
        body.setDetail("No resource at this path");
      }
      return body;
    }
    if (error instanceof AuthenticationException) {
      return problem(
          HttpStatus.UNAUTHORIZED,
          "unauthenticated",
          "Unauthenticated",
          "A valid bearer token is required");
    }
    if (error instanceof AccessDeniedException) {
      return problem(
          HttpStatus.FORBIDDEN, "forbidden", "Forbidden", "Your roles do not allow this action");
    }
    if (error instanceof DataIntegrityViolationException) {
      return problem(
          HttpStatus.CONFLICT,
          "conflict",
          "Conflict",
          "The change conflicts with data that already exists");
    }
    if (error instanceof TransientDataAccessException
        || error instanceof TimeoutException
        || error.getClass().getName().endsWith("CallNotPermittedException")) {
      return problem(
          HttpStatus.SERVICE_UNAVAILABLE,
          "unavailable",
          "Service unavailable",
          "A dependency of this service is not answering; try again shortly");
    }
    return problem(
        HttpStatus.INTERNAL_SERVER_ERROR,
        "internal",
        "Internal error",
        "The request failed on the server; quote the trace id when you report it");
  }

  private ProblemDetail validation(WebExchangeBindException bind) {
    List<Map<String, Object>> errors = new ArrayList<>();
    for (ObjectError e : bind.getAllErrors()) {
      String field = e instanceof FieldError f ? f.getField() : e.getObjectName();
      errors.add(Map.of("field", field, "message", String.valueOf(e.getDefaultMessage())));
    }
    ProblemDetail p =
        problem(
            HttpStatus.BAD_REQUEST,
            "validation",
            "Invalid request",
            "The request has "
                + errors.size()
                + " invalid field"
                + (errors.size() == 1 ? "" : "s")
                + ": "
                + String.join(
                    "; ",
                    errors.stream().map(m -> m.get("field") + " " + m.get("message")).toList()));
    p.setProperty("errors", errors);
    return p;
  }

  private ProblemDetail input(ServerWebInputException input) {
    Throwable cause = input;
    while (cause != null) {
      if (cause instanceof DataBufferLimitException) {
        return problem(
            HttpStatus.CONTENT_TOO_LARGE,
            "payload-too-large",
            "Payload too large",
            "The request body is larger than this endpoint accepts");
      }
      if (cause instanceof UnrecognizedPropertyException unknown) {
        ProblemDetail p =
            problem(
                HttpStatus.BAD_REQUEST,
                "validation",
                "Invalid request",
                "Unknown field '"
                    + unknown.getPropertyName()
                    + "'; allowed: "
                    + unknown.getKnownPropertyIds());
        p.setProperty(
            "errors",
            List.of(Map.of("field", unknown.getPropertyName(), "message", "is not a known field")));
        return p;
      }
      if (cause instanceof MismatchedInputException mismatch) {
        String path = jsonPath(mismatch);
        ProblemDetail p =
            problem(
                HttpStatus.BAD_REQUEST,
                "validation",
                "Invalid request",
                path.isEmpty()
                    ? "The request body does not have the expected shape"
                    : "Field '" + path + "' has the wrong type");
        if (!path.isEmpty()) {
          p.setProperty("errors", List.of(Map.of("field", path, "message", "has the wrong type")));
        }
        return p;
      }
      if (cause instanceof StreamReadException read) {
        return problem(
            HttpStatus.BAD_REQUEST,
            "malformed-json",
            "Malformed JSON",
            "The request body is not valid JSON"
                + (read.getLocation() != null
                    ? " (line "
                        + read.getLocation().getLineNr()
                        + ", column "
                        + read.getLocation().getColumnNr()
                        + ")"
                    : ""));
      }
      if (cause instanceof JacksonException || cause instanceof DecodingException) {
        if (cause.getCause() == null) {
          break;
        }
      }
      cause = cause.getCause();
    }
    if (input.getMethodParameter() != null
        && input.getMethodParameter().getParameterName() != null
        && !input
            .getMethodParameter()
            .hasParameterAnnotation(org.springframework.web.bind.annotation.RequestBody.class)) {
      String name = input.getMethodParameter().getParameterName();
      ProblemDetail p =
          problem(
              HttpStatus.BAD_REQUEST,
              "validation",
              "Invalid request",
              "Parameter '" + name + "' is missing or has the wrong format");
      p.setProperty("errors", List.of(Map.of("field", name, "message", "is missing or malformed")));
      return p;
    }
    String reason = input.getReason();
    return problem(
        HttpStatus.BAD_REQUEST,
        "bad-request",
        "Bad request",
        reason != null && reason.equals("No request body")
            ? "This request needs a JSON body"
            : "The request could not be read");
  }

  private static String jsonPath(MismatchedInputException e) {
    StringBuilder path = new StringBuilder();
    for (var ref : e.getPath()) {
      if (ref.getPropertyName() != null) {
        if (!path.isEmpty()) {
          path.append('.');
        }
        path.append(ref.getPropertyName());
      } else if (ref.getIndex() >= 0) {
        path.append('[').append(ref.getIndex()).append(']');
      }
    }
    return path.toString();
  }

  private static ProblemDetail problem(
      HttpStatus status, String type, String title, String detail) {
    ProblemDetail p = ProblemDetail.forStatusAndDetail(status, detail);
    p.setType(URI.create(TYPE_BASE + type));
    p.setTitle(title);
    return p;
  }

  private static String slug(HttpStatus status) {
    return status == null ? "error" : status.name().toLowerCase().replace('_', '-');
  }

  private String currentTraceId() {
    Tracer t = tracer.getIfAvailable();
    if (t == null) {
      return null;
    }
    Span span = t.currentSpan();
    return span == null ? null : span.context().traceId();
  }
}
