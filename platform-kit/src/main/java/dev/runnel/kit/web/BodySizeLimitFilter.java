package dev.runnel.kit.web;

import org.springframework.core.Ordered;
import org.springframework.core.io.buffer.DataBufferLimitException;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.ServerWebInputException;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import reactor.core.publisher.Mono;

/**
 * Refuses a request whose declared length is over the limit before reading a byte of it; bodies
 * without a length are cut off by the codecs at the same limit.
 */
public final class BodySizeLimitFilter implements WebFilter, Ordered {
  private final long maxBodyBytes;

  public BodySizeLimitFilter(long maxBodyBytes) {
    this.maxBodyBytes = maxBodyBytes;
  }

  @Override
  public int getOrder() {
    return Ordered.HIGHEST_PRECEDENCE + 10;
  }

  @Override
  public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
    long length = exchange.getRequest().getHeaders().getContentLength();
    if (length > maxBodyBytes) {
      return Mono.error(
          new ServerWebInputException(
              "body too large",
              null,
              new DataBufferLimitException(
                  "declared length " + length + " exceeds " + maxBodyBytes)));
    }
    return chain.filter(exchange);
  }
}
