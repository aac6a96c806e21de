package dev.runnel.identity.federation.application;

import dev.runnel.identity.federation.domain.InvalidFederationException;
import dev.runnel.identity.federation.domain.LdapFederation;
import dev.runnel.identity.federation.domain.OidcProvider;
import dev.runnel.kit.problem.Problem;
import java.util.List;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;
import reactor.core.publisher.Mono;

/**
 * LDAP user federation and OIDC identity providers of the realm. The settings live in Keycloak only
 * (it is what uses them); this service validates them and never answers a secret. Authorisation
 * happens at the edge (platform admins change, auditors read).
 */
@Service
public class ManageFederation {
  private static final Logger log = LoggerFactory.getLogger(ManageFederation.class);

  private final FederationDirectory directory;

  public ManageFederation(FederationDirectory directory) {
    this.directory = directory;
  }

  public Mono<LdapFederation> ldap() {
    return directory
        .ldap()
        .switchIfEmpty(Mono.error(() -> Problem.notFound("LDAP federation", "ldap")));
  }

  public Mono<LdapFederation> saveLdap(Supplier<LdapFederation> settings, String actor) {
    return validated(settings)
        .flatMap(directory::saveLdap)
        .then(ldap())
        .doOnNext(l -> log.info("LDAP federation {} set by {}", l.connectionUrl(), actor));
  }

  public Mono<Void> removeLdap(String actor) {
    return directory
        .removeLdap()
        .flatMap(
            removed ->
                removed
                    ? Mono.<Void>empty()
                    : Mono.error(Problem.notFound("LDAP federation", "ldap")))
        .doOnSuccess(v -> log.info("LDAP federation removed by {}", actor));
  }

  public Mono<List<OidcProvider>> oidcProviders() {
    return directory.oidcProviders();
  }

  public Mono<OidcProvider> saveOidc(Supplier<OidcProvider> settings, String actor) {
    return validated(settings)
        .flatMap(
            p ->
                directory
                    .saveOidc(p)
                    .then(directory.oidcProviders())
                    .map(
                        all ->
                            all.stream()
                                .filter(o -> o.alias().equals(p.alias()))
                                .findFirst()
                                .orElseThrow()))
        .doOnNext(p -> log.info("OIDC provider '{}' set by {}", p.alias(), actor));
  }

  public Mono<Void> removeOidc(String alias, String actor) {
    return directory
        .removeOidc(alias)
        .flatMap(
            removed ->
                removed
                    ? Mono.<Void>empty()
                    : Mono.error(Problem.notFound("Identity provider", alias)))
        .doOnSuccess(v -> log.info("OIDC provider '{}' removed by {}", alias, actor));
  }

  private static <T> Mono<T> validated(Supplier<T> value) {
    try {
      return Mono.just(value.get());
    } catch (InvalidFederationException e) {
      return Mono.error(Problem.invalid(e.field(), e.getMessage()));
    }
  }
}
