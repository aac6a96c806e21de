package dev.runnel.identity.team.adapter.out.keycloak;

import dev.runnel.identity.keycloak.KeycloakAdmin;
import dev.runnel.identity.realm.RealmBootstrap;
import dev.runnel.identity.team.application.TeamGroups;
import dev.runnel.identity.team.domain.TeamRules;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.core.Response;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.keycloak.admin.client.CreatedResponseUtil;
import org.keycloak.admin.client.resource.RealmResource;
import org.keycloak.representations.idm.GroupRepresentation;
import org.keycloak.representations.idm.UserRepresentation;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

/**
 * Team membership as Keycloak groups {@code /teams/<team>/<role>}: the group membership mapper puts
 * these paths in the {@code groups} claim, which every service reads (platform-kit Callers).
 */
@Component
class KeycloakTeamGroups implements TeamGroups {
  private static final Logger log = LoggerFactory.getLogger(KeycloakTeamGroups.class);
  private static final int PAGE = 500;

  private final KeycloakAdmin keycloak;

  KeycloakTeamGroups(KeycloakAdmin keycloak) {
    this.keycloak = keycloak;
  }

  @Override
  public Mono<Void> apply(String team, Map<String, Set<String>> usersByRole) {
    return keycloak.call(
        realm -> {
          String teamsId = ensure(realm, "/" + RealmBootstrap.TEAMS_GROUP, null, "teams");
          String teamId = ensure(realm, "/teams/" + team, teamsId, team);
          for (String role : TeamRules.ROLES) {
            String groupId = ensure(realm, "/teams/" + team + "/" + role, teamId, role);
            Set<String> current = members(realm, groupId);
            Set<String> wanted = usersByRole.getOrDefault(role, Set.of());
            for (String userId : wanted) {
              if (!current.contains(userId)) {
                try {
                  realm.users().get(userId).joinGroup(groupId);
                } catch (NotFoundException gone) {
                  log.warn(
                      "user {} of team '{}' no longer exists in Keycloak; not added to {}",
                      userId,
                      team,
                      role);
                }
              }
            }
            for (String userId : current) {
              if (!wanted.contains(userId)) {
                try {
                  realm.users().get(userId).leaveGroup(groupId);
                } catch (NotFoundException gone) {
                  log.debug("user {} left Keycloak before leaving {}", userId, role);
                }
              }
            }
          }
          return null;
        });
  }

  @Override
  public Mono<Void> remove(String team) {
    return keycloak.call(
        realm -> {
          try {
            GroupRepresentation group = realm.getGroupByPath("/teams/" + team);
            realm.groups().group(group.getId()).remove();
          } catch (NotFoundException absent) {
            log.debug("group /teams/{} was already gone", team);
          }
          return null;
        });
  }

  private static Set<String> members(RealmResource realm, String groupId) {
    Set<String> ids = new HashSet<>();
    for (int first = 0; ; first += PAGE) {
      List<UserRepresentation> page = realm.groups().group(groupId).members(first, PAGE, true);
      page.forEach(u -> ids.add(u.getId()));
      if (page.size() < PAGE) {
        return ids;
      }
    }
  }

  /** The group's id, creating it under {@code parentId} (top level when null) when missing. */
  private static String ensure(RealmResource realm, String path, String parentId, String name) {
    try {
      return realm.getGroupByPath(path).getId();
    } catch (NotFoundException absent) {
      GroupRepresentation group = new GroupRepresentation();
      group.setName(name);
      try (Response r =
          parentId == null
              ? realm.groups().add(group)
              : realm.groups().group(parentId).subGroup(group)) {
        if (r.getStatus() == 409) {
          // Created concurrently (another push of the same team); it exists now.
          return realm.getGroupByPath(path).getId();
        }
        return CreatedResponseUtil.getCreatedId(r);
      }
    }
  }
}
