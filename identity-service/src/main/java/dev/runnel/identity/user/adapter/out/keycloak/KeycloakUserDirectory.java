package dev.runnel.identity.user.adapter.out.keycloak;

import dev.runnel.identity.keycloak.KeycloakAdmin;
import dev.runnel.identity.user.application.UserDirectory;
import dev.runnel.identity.user.domain.NewUser;
import dev.runnel.identity.user.domain.User;
import dev.runnel.identity.user.domain.UserRules;
import dev.runnel.kit.problem.Problem;
import jakarta.ws.rs.BadRequestException;
import jakarta.ws.rs.ClientErrorException;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.core.Response;
import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.keycloak.admin.client.CreatedResponseUtil;
import org.keycloak.admin.client.resource.RealmResource;
import org.keycloak.admin.client.resource.UserResource;
import org.keycloak.representations.idm.CredentialRepresentation;
import org.keycloak.representations.idm.RoleRepresentation;
import org.keycloak.representations.idm.UserRepresentation;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.MediaType;
import org.springframework.stereotype.Component;
import org.springframework.web.reactive.function.BodyInserters;
import org.springframework.web.reactive.function.client.WebClient;
import org.springframework.web.reactive.function.client.WebClientRequestException;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/** Users in Keycloak's realm, through the admin API. */
@Component
class KeycloakUserDirectory implements UserDirectory {
  private static final Logger log = LoggerFactory.getLogger(KeycloakUserDirectory.class);

  private final KeycloakAdmin keycloak;
  private final WebClient http;

  KeycloakUserDirectory(KeycloakAdmin keycloak) {
    this.keycloak = keycloak;
    // A plain client: the password check talks to Keycloak's token endpoint only.
    this.http = WebClient.create();
  }

  @Override
  public Mono<String> create(NewUser user) {
    return keycloak.call(
        realm -> {
          UserRepresentation rep = new UserRepresentation();
          rep.setUsername(user.username());
          rep.setEmail(user.email());
          rep.setFirstName(user.firstName());
          rep.setLastName(user.lastName());
          rep.setEnabled(true);
          rep.setEmailVerified(false);
          if (user.password() == null) {
            rep.setRequiredActions(List.of("UPDATE_PASSWORD"));
          }
          String id;
          try (Response r = realm.users().create(rep)) {
            if (r.getStatus() == 409) {
              throw duplicate(r, user.username(), user.email());
            }
            if (r.getStatus() == 400) {
              throw Problem.invalid("user", describe(r));
            }
            id = CreatedResponseUtil.getCreatedId(r);
          }
          try {
            // Set apart from the creation so that a refused password names the policy rule; the
            // user is removed again when it is refused, so a failed creation leaves nothing.
            if (user.password() != null) {
              setPassword(realm, id, user.password(), user.temporaryPassword(), "password");
            }
            if (!user.platformRoles().isEmpty()) {
              realm.users().get(id).roles().realmLevel().add(roles(realm, user.platformRoles()));
            }
          } catch (RuntimeException e) {
            realm.users().delete(id).close();
            throw e;
          }
          return id;
        });
  }

  @Override
  public Mono<User> find(String id) {
    return keycloak.call(
        realm -> {
          try {
            UserResource resource = realm.users().get(id);
            return toUser(resource.toRepresentation(), platformRoles(resource));
          } catch (NotFoundException absent) {
            return null;
          }
        });
  }

  @Override
  public Mono<User> findByUsername(String username) {
    return keycloak.call(
        realm -> {
          List<UserRepresentation> found = realm.users().searchByUsername(username, true);
          if (found.isEmpty()) {
            return null;
          }
          UserRepresentation rep = found.get(0);
          return toUser(rep, platformRoles(realm.users().get(rep.getId())));
        });
  }

  @Override
  public Flux<User> search(String query, int first, int max) {
    return keycloak
        .call(
            realm ->
                query == null
                    ? realm.users().list(first, max)
                    : realm.users().search(query, first, max, true))
        .flatMapIterable(list -> list)
        .map(rep -> toUser(rep, null));
  }

  @Override
  public Mono<Void> setEnabled(String id, boolean enabled) {
    return keycloak.call(
        realm -> {
          UserResource resource = realm.users().get(id);
          UserRepresentation rep = resource.toRepresentation();
          rep.setEnabled(enabled);
          resource.update(rep);
          return null;
        });
  }

  @Override
  public Mono<Void> delete(String id) {
    return keycloak.call(
        realm -> {
          try (Response r = realm.users().delete(id)) {
            if (r.getStatus() >= 400 && r.getStatus() != 404) {
              throw Problem.unavailable(
                  "Keycloak answered " + r.getStatus() + " when deleting the user; try again");
            }
          }
          return null;
        });
  }

  @Override
  public Mono<Void> resetPassword(String id, String password, boolean temporary, String field) {
    return keycloak.call(
        realm -> {
          setPassword(realm, id, password, temporary, field);
          return null;
        });
  }

  @Override
  public Mono<Void> setPlatformRoles(String id, Set<String> wanted) {
    return keycloak.call(
        realm -> {
          UserResource resource = realm.users().get(id);
          Set<String> held = platformRoles(resource);
          Set<String> add = new LinkedHashSet<>(wanted);
          add.removeAll(held);
          Set<String> remove = new LinkedHashSet<>(held);
          remove.removeAll(wanted);
          if (!add.isEmpty()) {
            resource.roles().realmLevel().add(roles(realm, add));
          }
          if (!remove.isEmpty()) {
            resource.roles().realmLevel().remove(roles(realm, remove));
          }
          return null;
        });
  }

  @Override
  public Mono<Void> updateProfile(String id, String email, String firstName, String lastName) {
    return keycloak.call(
        realm -> {
          UserResource resource = realm.users().get(id);
          UserRepresentation rep = resource.toRepresentation();
          boolean emailChanged = !email.equalsIgnoreCase(String.valueOf(rep.getEmail()));
          rep.setEmail(email);
          rep.setFirstName(firstName);
          rep.setLastName(lastName);
          if (emailChanged) {
            rep.setEmailVerified(false);
          }
          try {
            resource.update(rep);
          } catch (ClientErrorException e) {
            if (e.getResponse().getStatus() == 409) {
              throw Problem.conflict("Another user already has the email address '" + email + "'");
            }
            if (e.getResponse().getStatus() == 400) {
              throw Problem.invalid("email", describe(e.getResponse()));
            }
            throw e;
          }
          return null;
        });
  }

  @Override
  public Mono<List<User>> platformAdmins() {
    return keycloak.call(
        realm ->
            realm.roles().get("platform-admin").getUserMembers(0, 10_000).stream()
                .map(rep -> toUser(rep, Set.of("platform-admin")))
                .toList());
  }

  @Override
  public Mono<Boolean> checkPassword(String username, String password) {
    String tokenUrl =
        keycloak.properties().url().replaceAll("/+$", "")
            + "/realms/"
            + keycloak.realmName()
            + "/protocol/openid-connect/token";
    return http.post()
        .uri(tokenUrl)
        .contentType(MediaType.APPLICATION_FORM_URLENCODED)
        .body(
            BodyInserters.fromFormData("grant_type", "password")
                .with("client_id", keycloak.properties().passwordCheckClient())
                .with("username", username)
                .with("password", password))
        .exchangeToMono(
            r -> {
              int status = r.statusCode().value();
              if (status == 200) {
                return r.releaseBody().thenReturn(true);
              }
              if (status == 400 || status == 401) {
                return r.releaseBody().thenReturn(false);
              }
              return r.releaseBody()
                  .then(
                      Mono.<Boolean>error(
                          Problem.unavailable(
                              "Keycloak could not check the password (HTTP "
                                  + status
                                  + "); try again in a few seconds")));
            })
        .timeout(keycloak.properties().callTimeout())
        .onErrorMap(
            e ->
                e instanceof WebClientRequestException
                    || e instanceof java.util.concurrent.TimeoutException,
            e -> {
              log.warn("Keycloak did not answer the password check: {}", e.toString());
              return Problem.unavailable(
                  "Keycloak, the identity provider, is not answering; try again in a few seconds");
            });
  }

  private static void setPassword(
      RealmResource realm, String id, String password, boolean temporary, String field) {
    CredentialRepresentation credential = new CredentialRepresentation();
    credential.setType(CredentialRepresentation.PASSWORD);
    credential.setValue(password);
    credential.setTemporary(temporary);
    try {
      realm.users().get(id).resetPassword(credential);
    } catch (BadRequestException e) {
      String reason = describe(e.getResponse());
      throw Problem.invalid(field, "is refused by the password policy: " + reason);
    } catch (NotFoundException e) {
      throw Problem.notFound("User", id);
    }
  }

  private static List<RoleRepresentation> roles(RealmResource realm, Set<String> names) {
    return names.stream().map(n -> realm.roles().get(n).toRepresentation()).toList();
  }

  private static Set<String> platformRoles(UserResource user) {
    return user.roles().realmLevel().listAll().stream()
        .map(RoleRepresentation::getName)
        .filter(UserRules.PLATFORM_ROLES::contains)
        .collect(Collectors.toCollection(java.util.TreeSet::new));
  }

  private static Problem duplicate(Response r, String username, String email) {
    String message = describe(r);
    if (message != null && message.toLowerCase(java.util.Locale.ROOT).contains("email")) {
      return Problem.conflict("A user with the email address '" + email + "' already exists");
    }
    return Problem.conflict("A user named '" + username + "' already exists");
  }

  private static String describe(Response r) {
    String message = KeycloakAdmin.errorMessage(new jakarta.ws.rs.WebApplicationException(r));
    return message == null ? "Keycloak refused it (HTTP " + r.getStatus() + ")" : message;
  }

  static User toUser(UserRepresentation rep, Set<String> platformRoles) {
    return new User(
        rep.getId(),
        rep.getUsername(),
        rep.getEmail(),
        rep.getFirstName() == null ? "" : rep.getFirstName(),
        rep.getLastName() == null ? "" : rep.getLastName(),
        Boolean.TRUE.equals(rep.isEnabled()),
        rep.getCreatedTimestamp() == null ? null : Instant.ofEpochMilli(rep.getCreatedTimestamp()),
        platformRoles);
  }
}
