package dev.runnel.identity.realm;

import dev.runnel.identity.keycloak.KeycloakAdmin;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.core.Response;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.keycloak.admin.client.resource.ClientResource;
import org.keycloak.representations.idm.ClientRepresentation;
import org.keycloak.representations.idm.GroupRepresentation;
import org.keycloak.representations.idm.ProtocolMapperRepresentation;
import org.keycloak.representations.idm.RealmRepresentation;
import org.keycloak.representations.idm.RoleRepresentation;
import org.keycloak.representations.userprofile.config.UPAttribute;
import org.keycloak.representations.userprofile.config.UPConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.util.retry.Retry;

/**
 * Makes the realm what the platform needs, by create-or-update, so running it again changes nothing
 * and duplicates nothing: the platform and team roles, the {@code /teams} group, the gateway's
 * confidential client (code flow with PKCE), the CLI's public client (device flow), team membership
 * as full group paths in the {@code groups} claim, the password policy, and optional first and last
 * names in the user profile.
 *
 * <p>It runs in the background after start-up, so the service starts (and serves what does not need
 * Keycloak) while Keycloak is still starting. It first waits for Keycloak outside the admin
 * client's circuit breaker ({@link KeycloakAdmin#awaitable()}): waiting for a Keycloak that starts
 * after this service (as {@code runnel up}'s restart does) is expected and must not leave the
 * breaker open, refusing the first users' calls after Keycloak is up.
 */
public class RealmBootstrap implements AutoCloseable {
  public static final List<String> ROLES =
      List.of("platform-admin", "platform-auditor", "team-admin", "team-member", "team-viewer");
  public static final String TEAMS_GROUP = "teams";
  public static final String GROUPS_MAPPER = "groups";
  public static final List<String> OPTIONAL_PROFILE_ATTRIBUTES = List.of("firstName", "lastName");

  private static final Logger log = LoggerFactory.getLogger(RealmBootstrap.class);

  private final KeycloakAdmin keycloak;
  private final RealmProperties properties;
  private volatile Disposable running;

  public RealmBootstrap(KeycloakAdmin keycloak, RealmProperties properties) {
    this.keycloak = keycloak;
    this.properties = properties;
  }

  @EventListener(ApplicationReadyEvent.class)
  void onStart() {
    if (!properties.bootstrap()) {
      return;
    }
    running =
        keycloak
            .awaitable()
            .retryWhen(
                Retry.backoff(Long.MAX_VALUE, properties.retryDelay())
                    .maxBackoff(properties.retryDelay().multipliedBy(2))
                    .doBeforeRetry(
                        s ->
                            log.info(
                                "waiting for Keycloak at {} ({})",
                                keycloak.properties().url(),
                                s.failure().toString())))
            .then(apply())
            .retryWhen(
                Retry.backoff(Long.MAX_VALUE, properties.retryDelay())
                    .maxBackoff(Duration.ofSeconds(30))
                    .doBeforeRetry(
                        s ->
                            log.warn(
                                "realm '{}' not bootstrapped yet ({}); retrying",
                                keycloak.realmName(),
                                s.failure().getMessage())))
            .subscribe(
                ignored -> {},
                e -> log.error("realm bootstrap gave up", e),
                () -> log.info("realm '{}' is as the platform needs it", keycloak.realmName()));
  }

  /** One pass of create-or-update over the whole realm. */
  public Mono<Void> apply() {
    return realm()
        .thenMany(Flux.fromIterable(ROLES).concatMap(this::role))
        .then(teamsGroup())
        .then(optionalNames())
        .then(client(gatewayClient()))
        .then(client(cliClient()));
  }

  private Mono<Void> realm() {
    String name = keycloak.realmName();
    return keycloak.onKeycloak(
        k -> {
          RealmRepresentation current;
          try {
            current = k.realm(name).toRepresentation();
          } catch (NotFoundException absent) {
            RealmRepresentation created = new RealmRepresentation();
            created.setRealm(name);
            created.setDisplayName("Runnel");
            created.setEnabled(true);
            k.realms().create(created);
            log.info("created realm '{}'", name);
            current = k.realm(name).toRepresentation();
          }
          RealmRepresentation update = new RealmRepresentation();
          boolean changed = false;
          if (!properties.passwordPolicy().equals(current.getPasswordPolicy())) {
            update.setPasswordPolicy(properties.passwordPolicy());
            changed = true;
          }
          if (!Boolean.TRUE.equals(current.isEnabled())) {
            update.setEnabled(true);
            changed = true;
          }
          if (!Boolean.FALSE.equals(current.isRegistrationAllowed())) {
            update.setRegistrationAllowed(false);
            changed = true;
          }
          if (!Boolean.FALSE.equals(current.isDuplicateEmailsAllowed())) {
            update.setDuplicateEmailsAllowed(false);
            changed = true;
          }
          if (!Boolean.TRUE.equals(current.isBruteForceProtected())) {
            update.setBruteForceProtected(true);
            changed = true;
          }
          if (changed) {
            k.realm(name).update(update);
            log.info("updated the settings of realm '{}'", name);
          }
          return null;
        });
  }

  /**
   * The platform's API treats first and last names as optional, but Keycloak's default user profile
   * (24+) requires both: a user created without them could not sign in ("Account is not fully set
   * up"). Only the {@code required} rule of these two attributes is ours; validations, permissions
   * and any attributes an operator added stay as they are.
   */
  private Mono<Void> optionalNames() {
    return keycloak.call(
        realm -> {
          UPConfig profile = realm.users().userProfile().getConfiguration();
          boolean changed = false;
          for (String name : OPTIONAL_PROFILE_ATTRIBUTES) {
            UPAttribute attribute = profile.getAttribute(name);
            if (attribute != null && attribute.getRequired() != null) {
              attribute.setRequired(null);
              changed = true;
            }
          }
          if (changed) {
            realm.users().userProfile().update(profile);
            log.info("made {} optional in the user profile", OPTIONAL_PROFILE_ATTRIBUTES);
          }
          return null;
        });
  }

  private Mono<Void> role(String role) {
    return keycloak.call(
        realm -> {
          try {
            RoleRepresentation current = realm.roles().get(role).toRepresentation();
            if (!describe(role).equals(current.getDescription())) {
              current.setDescription(describe(role));
              realm.roles().get(role).update(current);
            }
          } catch (NotFoundException absent) {
            realm.roles().create(new RoleRepresentation(role, describe(role), false));
            log.info("created role '{}'", role);
          }
          return null;
        });
  }

  private Mono<Void> teamsGroup() {
    return keycloak.call(
        realm -> {
          try {
            realm.getGroupByPath("/" + TEAMS_GROUP);
          } catch (NotFoundException absent) {
            GroupRepresentation group = new GroupRepresentation();
            group.setName(TEAMS_GROUP);
            try (Response r = realm.groups().add(group)) {
              // 409: another instance created it a moment ago; it exists, which is all we need.
              if (r.getStatus() != 201 && r.getStatus() != 409) {
                throw new IllegalStateException(
                    "Keycloak answered " + r.getStatus() + " when creating group /teams");
              }
            }
            log.info("created group /{}", TEAMS_GROUP);
          }
          return null;
        });
  }

  private ClientRepresentation gatewayClient() {
    String base = properties.gatewayBaseUrl().replaceAll("/+$", "");
    ClientRepresentation c = new ClientRepresentation();
    c.setClientId(properties.gatewayClientId());
    c.setName("Runnel console");
    c.setEnabled(true);
    c.setProtocol("openid-connect");
    c.setPublicClient(false);
    c.setStandardFlowEnabled(true);
    c.setDirectAccessGrantsEnabled(false);
    c.setImplicitFlowEnabled(false);
    c.setServiceAccountsEnabled(false);
    c.setRedirectUris(List.of(base + "/*"));
    c.setWebOrigins(List.of(base));
    Map<String, String> attributes = new LinkedHashMap<>();
    attributes.put("pkce.code.challenge.method", "S256");
    attributes.put("post.logout.redirect.uris", base + "/*");
    c.setAttributes(attributes);
    if (properties.gatewayClientSecret() != null && !properties.gatewayClientSecret().isBlank()) {
      c.setSecret(properties.gatewayClientSecret());
    }
    return c;
  }

  private ClientRepresentation cliClient() {
    ClientRepresentation c = new ClientRepresentation();
    c.setClientId(properties.cliClientId());
    c.setName("Runnel CLI");
    c.setEnabled(true);
    c.setProtocol("openid-connect");
    c.setPublicClient(true);
    c.setStandardFlowEnabled(false);
    c.setImplicitFlowEnabled(false);
    c.setDirectAccessGrantsEnabled(properties.cliPasswordGrant());
    c.setAttributes(Map.of("oauth2.device.authorization.grant.enabled", "true"));
    return c;
  }

  /** Creates the client or brings the settings we own up to date, keeping everything else. */
  private Mono<Void> client(ClientRepresentation desired) {
    return keycloak.call(
        realm -> {
          List<ClientRepresentation> found = realm.clients().findByClientId(desired.getClientId());
          String id;
          if (found.isEmpty()) {
            try (Response r = realm.clients().create(desired)) {
              if (r.getStatus() != 201) {
                throw new IllegalStateException(
                    "Keycloak answered "
                        + r.getStatus()
                        + " when creating client "
                        + desired.getClientId());
              }
            }
            id = realm.clients().findByClientId(desired.getClientId()).get(0).getId();
            log.info("created client '{}'", desired.getClientId());
          } else {
            ClientRepresentation current = found.get(0);
            id = current.getId();
            if (merge(current, desired)) {
              realm.clients().get(id).update(current);
              log.info("updated client '{}'", desired.getClientId());
            }
          }
          ensureGroupsMapper(realm.clients().get(id));
          return null;
        });
  }

  /** Copies the settings we own into {@code current}; true when anything differed. */
  private static boolean merge(ClientRepresentation current, ClientRepresentation desired) {
    boolean changed = false;
    if (!Objects.equals(current.getName(), desired.getName())) {
      current.setName(desired.getName());
      changed = true;
    }
    changed |= differs(current.isEnabled(), desired.isEnabled(), current::setEnabled);
    changed |=
        differs(current.isPublicClient(), desired.isPublicClient(), current::setPublicClient);
    changed |=
        differs(
            current.isStandardFlowEnabled(),
            desired.isStandardFlowEnabled(),
            current::setStandardFlowEnabled);
    changed |=
        differs(
            current.isDirectAccessGrantsEnabled(),
            desired.isDirectAccessGrantsEnabled(),
            current::setDirectAccessGrantsEnabled);
    changed |=
        differs(
            current.isImplicitFlowEnabled(),
            desired.isImplicitFlowEnabled(),
            current::setImplicitFlowEnabled);
    if (desired.getRedirectUris() != null
        && !Objects.equals(current.getRedirectUris(), desired.getRedirectUris())) {
      current.setRedirectUris(desired.getRedirectUris());
      changed = true;
    }
    if (desired.getWebOrigins() != null
        && !Objects.equals(current.getWebOrigins(), desired.getWebOrigins())) {
      current.setWebOrigins(desired.getWebOrigins());
      changed = true;
    }
    if (desired.getSecret() != null && !desired.getSecret().equals(current.getSecret())) {
      current.setSecret(desired.getSecret());
      changed = true;
    }
    Map<String, String> attributes =
        new HashMap<>(current.getAttributes() == null ? Map.of() : current.getAttributes());
    for (Map.Entry<String, String> e : desired.getAttributes().entrySet()) {
      if (!e.getValue().equals(attributes.get(e.getKey()))) {
        attributes.put(e.getKey(), e.getValue());
        changed = true;
      }
    }
    current.setAttributes(attributes);
    return changed;
  }

  private static boolean differs(
      Boolean current, Boolean desired, java.util.function.Consumer<Boolean> set) {
    if (desired != null && !desired.equals(current)) {
      set.accept(desired);
      return true;
    }
    return false;
  }

  /** Team roles travel as full group paths in the {@code groups} claim (platform-kit's Callers). */
  public static void ensureGroupsMapper(ClientResource client) {
    List<ProtocolMapperRepresentation> mappers = client.getProtocolMappers().getMappers();
    boolean present =
        mappers != null
            && mappers.stream()
                .anyMatch(
                    m ->
                        "oidc-group-membership-mapper".equals(m.getProtocolMapper())
                            && "groups".equals(m.getConfig().get("claim.name"))
                            && "true".equals(m.getConfig().get("full.path")));
    if (!present) {
      client.getProtocolMappers().createMapper(groupsMapper()).close();
    }
  }

  public static ProtocolMapperRepresentation groupsMapper() {
    ProtocolMapperRepresentation mapper = new ProtocolMapperRepresentation();
    mapper.setName(GROUPS_MAPPER);
    mapper.setProtocol("openid-connect");
    mapper.setProtocolMapper("oidc-group-membership-mapper");
    Map<String, String> config = new LinkedHashMap<>();
    config.put("full.path", "true");
    config.put("claim.name", "groups");
    config.put("access.token.claim", "true");
    config.put("id.token.claim", "true");
    config.put("userinfo.token.claim", "true");
    mapper.setConfig(config);
    return mapper;
  }

  static String describe(String role) {
    return switch (role) {
      case "platform-admin" -> "Manages the whole platform";
      case "platform-auditor" -> "Reads everything, changes nothing";
      case "team-admin" -> "Manages a team, its members and its services";
      case "team-member" -> "Installs and operates the team's services";
      default -> "Reads the team's services";
    };
  }

  @Override
  public void close() {
    Disposable d = running;
    if (d != null) {
      d.dispose();
    }
  }
}
