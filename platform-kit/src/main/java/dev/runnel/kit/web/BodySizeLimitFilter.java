package dev.runnel.kit.web;

import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.springframework.core.Ordered;
import org.springframework.core.io.buffer.DataBufferLimitException;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.ServerWebInputException;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import reactor.core.publisher.Mono;

/**
 * Refuses a request whose declared length is over the limit before reading a byte of it; bodies
 * without a length are cut off by the codecs at the same limit. Paths with a {@link
 * BodyLimitOverride} are checked against theirs instead.
 */
public final class BodySizeLimitFilter implements WebFilter, Ordered {
  private final long maxBodyBytes;
  private final Map<String, Long> overrides;

  public BodySizeLimitFilter(long maxBodyBytes) {
    this(maxBodyBytes, List.of());
  }

  public BodySizeLimitFilter(long maxBodyBytes, List<BodyLimitOverride> overrides) {
    this.maxBodyBytes = maxBodyBytes;
    this.overrides =
        overrides.stream()
            .collect(
                Collectors.toUnmodifiableMap(
                    BodyLimitOverride::path, BodyLimitOverride::maxBytes, Math::max));
  }

  @Override
  public int getOrder() {
    return Ordered.HIGHEST_PRECEDENCE + 10;
  }

  @Override
  public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
    long length = exchange.getRequest().getHeaders().getContentLength();
    long limit =
        overrides.isEmpty()
            ? maxBodyBytes
            : overrides.getOrDefault(
                exchange.getRequest().getPath().pathWithinApplication().value(), maxBodyBytes);
    if (length > limit) {
      return Mono.error(
          new ServerWebInputException(
              "body too large",
              null,
              new DataBufferLimitException("declared length " + length + " exceeds " + limit)));
    }
    return chain.filter(exchange);
  }
}
