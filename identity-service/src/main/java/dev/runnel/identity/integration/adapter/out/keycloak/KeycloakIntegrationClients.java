package dev.runnel.identity.integration.adapter.out.keycloak;

import dev.runnel.identity.integration.application.IntegrationClients;
import dev.runnel.identity.keycloak.KeycloakAdmin;
import dev.runnel.identity.realm.RealmBootstrap;
import dev.runnel.kit.problem.Problem;
import jakarta.ws.rs.core.Response;
import java.util.List;
import java.util.Map;
import org.keycloak.admin.client.CreatedResponseUtil;
import org.keycloak.admin.client.resource.ClientResource;
import org.keycloak.representations.idm.ClientRepresentation;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

/**
 * Integrations as Keycloak confidential clients with a service account and the groups mapper, so a
 * client-credentials token carries {@code /teams/<team>/<role>} in {@code groups}. The client is
 * marked with the attribute {@value #TEAM_ATTRIBUTE} to find a team's clients when it is deleted.
 */
@Component
class KeycloakIntegrationClients implements IntegrationClients {
  static final String TEAM_ATTRIBUTE = "runnel.team";

  private final KeycloakAdmin keycloak;

  KeycloakIntegrationClients(KeycloakAdmin keycloak) {
    this.keycloak = keycloak;
  }

  @Override
  public Mono<CreatedClient> create(String team, String clientId, String description) {
    return keycloak.call(
        realm -> {
          ClientRepresentation c = new ClientRepresentation();
          c.setClientId(clientId);
          c.setName(clientId);
          c.setDescription(description);
          c.setEnabled(true);
          c.setProtocol("openid-connect");
          c.setPublicClient(false);
          c.setServiceAccountsEnabled(true);
          c.setStandardFlowEnabled(false);
          c.setImplicitFlowEnabled(false);
          c.setDirectAccessGrantsEnabled(false);
          c.setClientAuthenticatorType("client-secret");
          c.setAttributes(Map.of(TEAM_ATTRIBUTE, team));
          c.setProtocolMappers(List.of(RealmBootstrap.groupsMapper()));
          String uuid;
          try (Response r = realm.clients().create(c)) {
            if (r.getStatus() == 409) {
              throw Problem.conflict(
                  "Keycloak already has a client '"
                      + clientId
                      + "'; revoke the old integration or choose another name");
            }
            uuid = CreatedResponseUtil.getCreatedId(r);
          }
          ClientResource client = realm.clients().get(uuid);
          return new CreatedClient(
              uuid, client.getServiceAccountUser().getId(), client.getSecret().getValue());
        });
  }

  @Override
  public Mono<Void> delete(String clientUuid) {
    return keycloak.call(
        realm -> {
          try (Response r = realm.clients().delete(clientUuid)) {
            if (r.getStatus() >= 400 && r.getStatus() != 404) {
              throw Problem.unavailable(
                  "Keycloak answered " + r.getStatus() + " when deleting the client; try again");
            }
          }
          return null;
        });
  }

  @Override
  public Mono<Void> deleteAllOf(String team) {
    return keycloak.call(
        realm -> {
          for (ClientRepresentation c : realm.clients().findAll()) {
            if (c.getAttributes() != null && team.equals(c.getAttributes().get(TEAM_ATTRIBUTE))) {
              realm.clients().delete(c.getId()).close();
            }
          }
          return null;
        });
  }
}
