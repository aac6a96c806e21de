package dev.runnel.identity.federation.domain;

import java.util.List;
import java.util.Set;

/**
 * An LDAP directory whose users may sign in (Keycloak's user federation), read-only: the platform
 * never writes to a company directory.
 *
 * @param bindCredential the bind password; null on reads (never shown) and on an update that keeps
 *     the stored one
 */
public record LdapFederation(
    String connectionUrl,
    String usersDn,
    String bindDn,
    String bindCredential,
    String vendor,
    String usernameAttribute,
    String rdnAttribute,
    String uuidAttribute,
    String userObjectClasses,
    boolean enabled) {
  public static final List<String> VENDORS = List.of("other", "ad", "rhds", "tivoli", "edirectory");

  public LdapFederation {
    connectionUrl =
        FederationRules.url("connectionUrl", connectionUrl, Set.of("ldap", "ldaps"), true);
    usersDn = FederationRules.text("usersDn", usersDn, 500, true);
    bindDn = FederationRules.text("bindDn", bindDn, 500, false);
    if (bindCredential != null && bindCredential.length() > 500) {
      throw new InvalidFederationException("bindCredential", "must be at most 500 characters");
    }
    vendor = vendor == null ? "other" : vendor;
    if (!VENDORS.contains(vendor)) {
      throw new InvalidFederationException(
          "vendor", "'" + vendor + "' is not a known vendor; use one of " + VENDORS);
    }
    boolean ad = vendor.equals("ad");
    usernameAttribute =
        orDefault(
            FederationRules.text("usernameAttribute", usernameAttribute, 100, false),
            ad ? "sAMAccountName" : "uid");
    rdnAttribute =
        orDefault(
            FederationRules.text("rdnAttribute", rdnAttribute, 100, false), ad ? "cn" : "uid");
    uuidAttribute =
        orDefault(
            FederationRules.text("uuidAttribute", uuidAttribute, 100, false),
            ad ? "objectGUID" : "entryUUID");
    userObjectClasses =
        orDefault(
            FederationRules.text("userObjectClasses", userObjectClasses, 200, false),
            ad ? "person, organizationalPerson, user" : "inetOrgPerson, organizationalPerson");
  }

  private static String orDefault(String value, String fallback) {
    return value == null ? fallback : value;
  }

  @Override
  public String toString() {
    return "LdapFederation[connectionUrl=" + connectionUrl + ", usersDn=" + usersDn + "]";
  }
}
