package dev.runnel.identity.federation.adapter.out.keycloak;

import dev.runnel.identity.federation.application.FederationDirectory;
import dev.runnel.identity.federation.domain.LdapFederation;
import dev.runnel.identity.federation.domain.OidcProvider;
import dev.runnel.identity.keycloak.KeycloakAdmin;
import dev.runnel.kit.problem.Problem;
import jakarta.ws.rs.BadRequestException;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.core.Response;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.keycloak.admin.client.resource.RealmResource;
import org.keycloak.common.util.MultivaluedHashMap;
import org.keycloak.representations.idm.ComponentRepresentation;
import org.keycloak.representations.idm.IdentityProviderRepresentation;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

/**
 * Federation in the Keycloak realm: one LDAP user-storage component named {@value #LDAP_NAME}
 * (read-only edit mode, users imported on first sign-in) and OIDC identity providers.
 */
@Component
class KeycloakFederationDirectory implements FederationDirectory {
  static final String LDAP_NAME = "runnel-ldap";
  private static final String STORAGE = "org.keycloak.storage.UserStorageProvider";

  private final KeycloakAdmin keycloak;

  KeycloakFederationDirectory(KeycloakAdmin keycloak) {
    this.keycloak = keycloak;
  }

  @Override
  public Mono<LdapFederation> ldap() {
    return keycloak.call(
        realm -> {
          ComponentRepresentation c = findLdap(realm);
          if (c == null) {
            return null;
          }
          MultivaluedHashMap<String, String> cfg = c.getConfig();
          return new LdapFederation(
              cfg.getFirst("connectionUrl"),
              cfg.getFirst("usersDn"),
              cfg.getFirst("bindDn"),
              null,
              cfg.getFirst("vendor"),
              cfg.getFirst("usernameLDAPAttribute"),
              cfg.getFirst("rdnLDAPAttribute"),
              cfg.getFirst("uuidLDAPAttribute"),
              cfg.getFirst("userObjectClasses"),
              !"false".equals(cfg.getFirst("enabled")));
        });
  }

  @Override
  public Mono<Void> saveLdap(LdapFederation ldap) {
    return keycloak.call(
        realm -> {
          ComponentRepresentation existing = findLdap(realm);
          ComponentRepresentation c = existing == null ? new ComponentRepresentation() : existing;
          c.setName(LDAP_NAME);
          c.setProviderId("ldap");
          c.setProviderType(STORAGE);
          c.setParentId(realm.toRepresentation().getId());
          MultivaluedHashMap<String, String> cfg =
              existing == null ? new MultivaluedHashMap<>() : existing.getConfig();
          cfg.putSingle("enabled", String.valueOf(ldap.enabled()));
          cfg.putSingle("priority", "0");
          cfg.putSingle("vendor", ldap.vendor());
          cfg.putSingle("connectionUrl", ldap.connectionUrl());
          cfg.putSingle("usersDn", ldap.usersDn());
          cfg.putSingle("usernameLDAPAttribute", ldap.usernameAttribute());
          cfg.putSingle("rdnLDAPAttribute", ldap.rdnAttribute());
          cfg.putSingle("uuidLDAPAttribute", ldap.uuidAttribute());
          cfg.putSingle("userObjectClasses", ldap.userObjectClasses());
          cfg.putSingle("editMode", "READ_ONLY");
          cfg.putSingle("searchScope", "2");
          cfg.putSingle("importEnabled", "true");
          cfg.putSingle("syncRegistrations", "false");
          cfg.putSingle("pagination", "true");
          if (ldap.bindDn() == null) {
            cfg.putSingle("authType", "none");
            cfg.remove("bindDn");
            cfg.remove("bindCredential");
          } else {
            cfg.putSingle("authType", "simple");
            cfg.putSingle("bindDn", ldap.bindDn());
            if (ldap.bindCredential() != null) {
              cfg.putSingle("bindCredential", ldap.bindCredential());
            }
          }
          c.setConfig(cfg);
          try {
            if (existing == null) {
              try (Response r = realm.components().add(c)) {
                if (r.getStatus() == 400) {
                  throw Problem.invalid("ldap", refused(r));
                }
              }
            } else {
              realm.components().component(existing.getId()).update(c);
            }
          } catch (BadRequestException e) {
            throw Problem.invalid("ldap", refused(e.getResponse()));
          }
          return null;
        });
  }

  @Override
  public Mono<Boolean> removeLdap() {
    return keycloak.call(
        realm -> {
          ComponentRepresentation c = findLdap(realm);
          if (c == null) {
            return false;
          }
          realm.components().component(c.getId()).remove();
          return true;
        });
  }

  @Override
  public Mono<List<OidcProvider>> oidcProviders() {
    return keycloak.call(
        realm ->
            realm.identityProviders().findAll().stream()
                .filter(p -> "oidc".equals(p.getProviderId()))
                .map(KeycloakFederationDirectory::toProvider)
                .toList());
  }

  @Override
  public Mono<Void> saveOidc(OidcProvider p) {
    return keycloak.call(
        realm -> {
          IdentityProviderRepresentation existing;
          try {
            existing = realm.identityProviders().get(p.alias()).toRepresentation();
          } catch (NotFoundException absent) {
            existing = null;
          }
          IdentityProviderRepresentation rep =
              existing == null ? new IdentityProviderRepresentation() : existing;
          rep.setAlias(p.alias());
          rep.setProviderId("oidc");
          rep.setDisplayName(p.displayName());
          rep.setEnabled(p.enabled());
          rep.setTrustEmail(false);
          Map<String, String> cfg =
              new HashMap<>(existing == null ? Map.of() : existing.getConfig());
          cfg.put("authorizationUrl", p.authorizationUrl());
          cfg.put("tokenUrl", p.tokenUrl());
          cfg.put("clientId", p.clientId());
          cfg.put("clientAuthMethod", "client_secret_post");
          cfg.put("defaultScope", p.defaultScopes());
          cfg.put("syncMode", "IMPORT");
          cfg.put("pkceEnabled", "true");
          cfg.put("pkceMethod", "S256");
          putOrRemove(cfg, "issuer", p.issuer());
          putOrRemove(cfg, "userInfoUrl", p.userInfoUrl());
          if (p.jwksUrl() != null) {
            cfg.put("jwksUrl", p.jwksUrl());
            cfg.put("useJwksUrl", "true");
            cfg.put("validateSignature", "true");
          } else {
            cfg.remove("jwksUrl");
            cfg.put("useJwksUrl", "false");
          }
          if (p.clientSecret() != null) {
            cfg.put("clientSecret", p.clientSecret());
          } else if (existing == null) {
            throw Problem.invalid("clientSecret", "is needed to create the provider");
          }
          rep.setConfig(cfg);
          try {
            if (existing == null) {
              try (Response r = realm.identityProviders().create(rep)) {
                if (r.getStatus() == 400) {
                  throw Problem.invalid("provider", refused(r));
                }
                if (r.getStatus() == 409) {
                  throw Problem.conflict("An identity provider '" + p.alias() + "' already exists");
                }
              }
            } else {
              realm.identityProviders().get(p.alias()).update(rep);
            }
          } catch (BadRequestException e) {
            throw Problem.invalid("provider", refused(e.getResponse()));
          }
          return null;
        });
  }

  @Override
  public Mono<Boolean> removeOidc(String alias) {
    return keycloak.call(
        realm -> {
          try {
            IdentityProviderRepresentation p =
                realm.identityProviders().get(alias).toRepresentation();
            if (!"oidc".equals(p.getProviderId())) {
              return false;
            }
            realm.identityProviders().get(alias).remove();
            return true;
          } catch (NotFoundException absent) {
            return false;
          }
        });
  }

  private static ComponentRepresentation findLdap(RealmResource realm) {
    List<ComponentRepresentation> found =
        realm.components().query(realm.toRepresentation().getId(), STORAGE, LDAP_NAME);
    return found.isEmpty() ? null : found.get(0);
  }

  private static void putOrRemove(Map<String, String> cfg, String key, String value) {
    if (value == null) {
      cfg.remove(key);
    } else {
      cfg.put(key, value);
    }
  }

  private static OidcProvider toProvider(IdentityProviderRepresentation p) {
    Map<String, String> cfg = p.getConfig();
    return new OidcProvider(
        p.getAlias(),
        p.getDisplayName(),
        cfg.get("issuer"),
        cfg.get("authorizationUrl"),
        cfg.get("tokenUrl"),
        "true".equals(cfg.get("useJwksUrl")) ? cfg.get("jwksUrl") : null,
        cfg.get("userInfoUrl"),
        cfg.get("clientId"),
        null,
        cfg.get("defaultScope"),
        p.isEnabled());
  }

  private static String refused(Response r) {
    String message = KeycloakAdmin.errorMessage(new jakarta.ws.rs.WebApplicationException(r));
    return "is refused by Keycloak: " + (message == null ? "HTTP " + r.getStatus() : message);
  }
}
