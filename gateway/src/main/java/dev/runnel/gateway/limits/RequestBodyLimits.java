package dev.runnel.gateway.limits;

import java.net.URI;
import org.springframework.core.Ordered;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.ErrorResponseException;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import reactor.core.publisher.Mono;

/**
 * Refuses a request whose declared body is larger than its path accepts, with a 413 problem that
 * names the limit, before a byte of it is read or sent on. Chart uploads get their own, larger
 * limit; everything else keeps the services' JSON limit. A body sent without a length is passed on
 * as a stream and the service's own limit applies to it.
 */
public final class RequestBodyLimits implements WebFilter, Ordered {
  static final String CHART_UPLOAD_PATH = "/api/market/v1/charts";

  private final BodyLimitsProperties limits;

  public RequestBodyLimits(BodyLimitsProperties limits) {
    this.limits = limits;
  }

  @Override
  public int getOrder() {
    // Before the platform kit's own limit (HIGHEST_PRECEDENCE + 10), which is the largest of ours.
    return Ordered.HIGHEST_PRECEDENCE + 5;
  }

  /** The limit of one request, in bytes. */
  long limitFor(HttpMethod method, String path) {
    boolean chartUpload =
        method == HttpMethod.POST
            && (path.equals(CHART_UPLOAD_PATH) || path.equals(CHART_UPLOAD_PATH + "/"));
    return chartUpload ? limits.chartUpload().toBytes() : limits.standard().toBytes();
  }

  @Override
  public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
    long declared = exchange.getRequest().getHeaders().getContentLength();
    long limit =
        limitFor(exchange.getRequest().getMethod(), exchange.getRequest().getPath().value());
    if (declared > limit) {
      return Mono.error(tooLarge(declared, limit));
    }
    return chain.filter(exchange);
  }

  private static ErrorResponseException tooLarge(long declared, long limit) {
    ProblemDetail body =
        ProblemDetail.forStatusAndDetail(
            HttpStatus.CONTENT_TOO_LARGE,
            "The request body has "
                + declared
                + " bytes; this endpoint accepts at most "
                + limit
                + " bytes");
    body.setType(URI.create("https://runnel.dev/problems/payload-too-large"));
    body.setTitle("Payload too large");
    return new ErrorResponseException(HttpStatus.CONTENT_TOO_LARGE, body, null);
  }
}
