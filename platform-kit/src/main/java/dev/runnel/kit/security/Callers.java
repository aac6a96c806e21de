package dev.runnel.kit.security;

import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.springframework.security.authentication.AuthenticationCredentialsNotFoundException;
import org.springframework.security.core.context.ReactiveSecurityContextHolder;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationToken;
import reactor.core.publisher.Mono;

/**
 * Reads the {@link Caller} from the request's validated JWT. Claims follow Keycloak: realm roles in
 * {@code realm_access.roles}; team roles as group paths {@code /teams/<team>/<role>} in {@code
 * groups} (Keycloak's group membership mapper with full paths).
 */
public final class Callers {
  private static final Pattern TEAM_GROUP =
      Pattern.compile("/teams/([a-z0-9][a-z0-9-]{0,62})/(team-admin|team-member|team-viewer)");
  private static final List<String> RANK = List.of("team-viewer", "team-member", "team-admin");

  private Callers() {}

  /** The caller of the current request; an authentication error when there is none. */
  public static Mono<Caller> current() {
    return ReactiveSecurityContextHolder.getContext()
        .mapNotNull(c -> c.getAuthentication())
        .filter(JwtAuthenticationToken.class::isInstance)
        .map(a -> fromJwt(((JwtAuthenticationToken) a).getToken()))
        .switchIfEmpty(
            Mono.error(new AuthenticationCredentialsNotFoundException("no bearer token")));
  }

  public static Caller fromJwt(Jwt jwt) {
    Set<String> roles = new HashSet<>();
    Object realmAccess = jwt.getClaims().get("realm_access");
    if (realmAccess instanceof Map<?, ?> access
        && access.get("roles") instanceof Collection<?> rs) {
      rs.forEach(r -> roles.add(String.valueOf(r)));
    }
    Map<String, String> teams = new HashMap<>();
    List<String> groups = jwt.getClaimAsStringList("groups");
    if (groups != null) {
      for (String group : groups) {
        Matcher m = TEAM_GROUP.matcher(group);
        if (m.matches()) {
          // A user in two groups of one team holds the stronger role.
          teams.merge(m.group(1), m.group(2), (a, b) -> RANK.indexOf(a) >= RANK.indexOf(b) ? a : b);
        }
      }
    }
    String username = jwt.getClaimAsString("preferred_username");
    return new Caller(
        jwt.getSubject(), username != null ? username : jwt.getSubject(), roles, teams);
  }

  /** Authorities for Spring Security: {@code ROLE_<realm role>}. */
  static Collection<String> authorities(Jwt jwt) {
    return fromJwt(jwt).platformRoles().stream().map(r -> "ROLE_" + r).toList();
  }
}
