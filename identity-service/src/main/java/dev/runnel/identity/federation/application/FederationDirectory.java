package dev.runnel.identity.federation.application;

import dev.runnel.identity.federation.domain.LdapFederation;
import dev.runnel.identity.federation.domain.OidcProvider;
import java.util.List;
import reactor.core.publisher.Mono;

/** Where federation settings live (the Keycloak realm). Secrets are written, never read back. */
public interface FederationDirectory {
  /** The LDAP federation without its bind credential; empty when none is configured. */
  Mono<LdapFederation> ldap();

  /** Creates or updates the LDAP federation; a null bind credential keeps the stored one. */
  Mono<Void> saveLdap(LdapFederation ldap);

  /** False when there was none. */
  Mono<Boolean> removeLdap();

  Mono<List<OidcProvider>> oidcProviders();

  /** Creates or updates the provider; a null client secret keeps the stored one. */
  Mono<Void> saveOidc(OidcProvider provider);

  /** False when there was none. */
  Mono<Boolean> removeOidc(String alias);
}
