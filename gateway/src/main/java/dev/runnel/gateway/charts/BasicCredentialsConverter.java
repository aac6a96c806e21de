package dev.runnel.gateway.charts;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpHeaders;
import org.springframework.security.authentication.BadCredentialsException;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.security.web.server.authentication.ServerAuthenticationConverter;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;

/**
 * Reads {@code Authorization: Basic base64(user:password)} (RFC 7617) as Helm sends it: UTF-8, the
 * user name up to the first colon, the password (which may hold colons) after it. A header that
 * says Basic but cannot be read is refused with a 401, never passed on as anonymous, so a client
 * with a broken configuration learns it at once.
 */
final class BasicCredentialsConverter implements ServerAuthenticationConverter {
  private static final String SCHEME = "Basic";

  /** Whether the request's {@code Authorization} header uses the Basic scheme. */
  static boolean isBasic(@Nullable String authorization) {
    return authorization != null
        && authorization.regionMatches(true, 0, SCHEME, 0, SCHEME.length())
        && (authorization.length() == SCHEME.length()
            || authorization.charAt(SCHEME.length()) == ' ');
  }

  @Override
  public Mono<Authentication> convert(ServerWebExchange exchange) {
    String authorization = exchange.getRequest().getHeaders().getFirst(HttpHeaders.AUTHORIZATION);
    if (!isBasic(authorization)) {
      return Mono.empty();
    }
    byte[] decoded;
    try {
      decoded = Base64.getDecoder().decode(authorization.substring(SCHEME.length()).trim());
    } catch (IllegalArgumentException notBase64) {
      return Mono.error(new BadCredentialsException("The basic credentials are not base64"));
    }
    String pair = new String(decoded, StandardCharsets.UTF_8);
    int colon = pair.indexOf(':');
    if (colon <= 0 || colon == pair.length() - 1) {
      return Mono.error(
          new BadCredentialsException("The basic credentials need a user name and a password"));
    }
    return Mono.just(
        UsernamePasswordAuthenticationToken.unauthenticated(
            pair.substring(0, colon), pair.substring(colon + 1)));
  }
}
