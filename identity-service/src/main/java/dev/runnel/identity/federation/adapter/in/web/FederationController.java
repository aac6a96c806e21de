package dev.runnel.identity.federation.adapter.in.web;

import dev.runnel.identity.federation.application.ManageFederation;
import dev.runnel.identity.federation.domain.LdapFederation;
import dev.runnel.identity.federation.domain.OidcProvider;
import dev.runnel.kit.security.Caller;
import dev.runnel.kit.security.Callers;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Size;
import java.util.List;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;

/**
 * {@code /api/identity/v1/federation}: platform admins configure the realm's LDAP user federation
 * and OIDC identity providers; auditors read them. Bind credentials and client secrets go in and
 * never come out.
 */
@RestController
@RequestMapping("/api/identity/v1/federation")
class FederationController {
  private final ManageFederation federation;

  FederationController(ManageFederation federation) {
    this.federation = federation;
  }

  @GetMapping("/ldap")
  Mono<LdapResponse> ldap() {
    return reader().then(federation.ldap()).map(LdapResponse::of);
  }

  @PutMapping("/ldap")
  Mono<LdapResponse> saveLdap(@Valid @RequestBody LdapRequest r) {
    return admin()
        .flatMap(
            c ->
                federation.saveLdap(
                    () ->
                        new LdapFederation(
                            r.connectionUrl(),
                            r.usersDn(),
                            r.bindDn(),
                            r.bindCredential(),
                            r.vendor(),
                            r.usernameAttribute(),
                            r.rdnAttribute(),
                            r.uuidAttribute(),
                            r.userObjectClasses(),
                            r.enabled() == null || r.enabled()),
                    c.username()))
        .map(LdapResponse::of);
  }

  @DeleteMapping("/ldap")
  Mono<ResponseEntity<Void>> removeLdap() {
    return admin()
        .flatMap(c -> federation.removeLdap(c.username()))
        .thenReturn(ResponseEntity.noContent().build());
  }

  @GetMapping("/oidc")
  Mono<OidcListResponse> oidc() {
    return reader()
        .then(federation.oidcProviders())
        .map(l -> new OidcListResponse(l.stream().map(OidcResponse::of).toList()));
  }

  @PutMapping("/oidc/{alias}")
  Mono<OidcResponse> saveOidc(@PathVariable String alias, @Valid @RequestBody OidcRequest r) {
    return admin()
        .flatMap(
            c ->
                federation.saveOidc(
                    () ->
                        new OidcProvider(
                            alias,
                            r.displayName(),
                            r.issuer(),
                            r.authorizationUrl(),
                            r.tokenUrl(),
                            r.jwksUrl(),
                            r.userInfoUrl(),
                            r.clientId(),
                            r.clientSecret(),
                            r.defaultScopes(),
                            r.enabled() == null || r.enabled()),
                    c.username()))
        .map(OidcResponse::of);
  }

  @DeleteMapping("/oidc/{alias}")
  Mono<ResponseEntity<Void>> removeOidc(@PathVariable String alias) {
    return admin()
        .flatMap(c -> federation.removeOidc(alias, c.username()))
        .thenReturn(ResponseEntity.noContent().build());
  }

  private static Mono<Caller> admin() {
    return Callers.current().map(c -> c.requirePlatformRole(Caller.PLATFORM_ADMIN));
  }

  private static Mono<Caller> reader() {
    return Callers.current()
        .map(c -> c.requirePlatformRole(Caller.PLATFORM_ADMIN, Caller.PLATFORM_AUDITOR));
  }

  record LdapRequest(
      @Size(max = 500) String connectionUrl,
      @Size(max = 500) String usersDn,
      @Size(max = 500) String bindDn,
      @Size(max = 500) String bindCredential,
      @Size(max = 20) String vendor,
      @Size(max = 100) String usernameAttribute,
      @Size(max = 100) String rdnAttribute,
      @Size(max = 100) String uuidAttribute,
      @Size(max = 200) String userObjectClasses,
      Boolean enabled) {
    @Override
    public String toString() {
      return "LdapRequest[" + connectionUrl + "]";
    }
  }

  record LdapResponse(
      String connectionUrl,
      String usersDn,
      String bindDn,
      String vendor,
      String usernameAttribute,
      String rdnAttribute,
      String uuidAttribute,
      String userObjectClasses,
      String editMode,
      boolean enabled) {
    static LdapResponse of(LdapFederation l) {
      return new LdapResponse(
          l.connectionUrl(),
          l.usersDn(),
          l.bindDn(),
          l.vendor(),
          l.usernameAttribute(),
          l.rdnAttribute(),
          l.uuidAttribute(),
          l.userObjectClasses(),
          "READ_ONLY",
          l.enabled());
    }
  }

  record OidcRequest(
      @Size(max = 100) String displayName,
      @Size(max = 500) String issuer,
      @Size(max = 500) String authorizationUrl,
      @Size(max = 500) String tokenUrl,
      @Size(max = 500) String jwksUrl,
      @Size(max = 500) String userInfoUrl,
      @Size(max = 255) String clientId,
      @Size(max = 500) String clientSecret,
      @Size(max = 500) String defaultScopes,
      Boolean enabled) {
    @Override
    public String toString() {
      return "OidcRequest[" + issuer + "]";
    }
  }

  record OidcResponse(
      String alias,
      String displayName,
      String issuer,
      String authorizationUrl,
      String tokenUrl,
      String jwksUrl,
      String userInfoUrl,
      String clientId,
      String defaultScopes,
      boolean enabled) {
    static OidcResponse of(OidcProvider p) {
      return new OidcResponse(
          p.alias(),
          p.displayName(),
          p.issuer(),
          p.authorizationUrl(),
          p.tokenUrl(),
          p.jwksUrl(),
          p.userInfoUrl(),
          p.clientId(),
          p.defaultScopes(),
          p.enabled());
    }
  }

  record OidcListResponse(List<OidcResponse> items) {}
}
