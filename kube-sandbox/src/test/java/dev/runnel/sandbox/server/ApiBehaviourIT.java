package dev.runnel.sandbox.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.runnel.sandbox.Fixtures;
import dev.runnel.sandbox.KubeSandbox;
import dev.runnel.sandbox.SandboxOptions;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.Endpoints;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class ApiBehaviourIT {

  private static final String NS = "api";
  private static KubeSandbox sandbox;
  private static KubernetesClient client;
  private static final HttpClient HTTP =
      HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

  @BeforeAll
  static void start() {
    sandbox =
        KubeSandbox.start(SandboxOptions.defaults().withNodes(2).withPodReadyDelay(Duration.ZERO));
    client = sandbox.client();
    Fixtures.namespace(client, NS);
  }

  @AfterAll
  static void stop() {
    sandbox.close();
  }

  @Test
  void fabric8WatchesSeeControllersBringADeploymentUp() {
    client.resource(Fixtures.deployment(NS, "watched", 2, "nginx:1")).create();

    Deployment ready =
        client
            .apps()
            .deployments()
            .inNamespace(NS)
            .withName("watched")
            .waitUntilCondition(
                d ->
                    d != null
                        && d.getStatus() != null
                        && Integer.valueOf(2).equals(d.getStatus().getReadyReplicas()),
                20,
                TimeUnit.SECONDS);

    assertThat(ready.getStatus().getAvailableReplicas()).isEqualTo(2);
  }

  @Test
  void replacingAnObjectKeepsTheStatusItsControllerWrote() {
    client.resource(Fixtures.deployment(NS, "kept", 1, "nginx:1")).create();
    Deployment ready =
        client
            .apps()
            .deployments()
            .inNamespace(NS)
            .withName("kept")
            .waitUntilCondition(
                d ->
                    d.getStatus() != null
                        && Integer.valueOf(1).equals(d.getStatus().getReadyReplicas()),
                20,
                TimeUnit.SECONDS);

    ready.setStatus(null);
    ready.getMetadata().getLabels().put("touched", "yes");
    Deployment replaced = client.resource(ready).update();

    assertThat(replaced.getMetadata().getLabels()).containsEntry("touched", "yes");
    assertThat(replaced.getStatus().getReadyReplicas()).isEqualTo(1);
  }

  @Test
  void servicesGetEndpointsForTheirReadyPods() {
    client.resource(Fixtures.deployment(NS, "backend", 2, "backend:1")).create();
    client
        .resource(
            new ServiceBuilder()
                .withNewMetadata()
                .withName("backend")
                .withNamespace(NS)
                .endMetadata()
                .withNewSpec()
                .addToSelector("app", "backend")
                .addNewPort()
                .withPort(80)
                .withNewTargetPort(8080)
                .endPort()
                .endSpec()
                .build())
        .create();

    Endpoints endpoints =
        client
            .endpoints()
            .inNamespace(NS)
            .withName("backend")
            .waitUntilCondition(
                e ->
                    e != null
                        && e.getSubsets() != null
                        && !e.getSubsets().isEmpty()
                        && e.getSubsets().get(0).getAddresses().size() == 2,
                20,
                TimeUnit.SECONDS);

    assertThat(endpoints.getSubsets().get(0).getPorts().get(0).getPort()).isEqualTo(8080);
    assertThat(endpoints.getSubsets().get(0).getAddresses())
        .allSatisfy(a -> assertThat(a.getIp()).startsWith("10.42."));
  }

  @Test
  void plainHttpWatchesReturnChangesSinceTheRequestedVersion() throws Exception {
    String version = client.configMaps().inNamespace(NS).list().getMetadata().getResourceVersion();
    client
        .resource(
            new ConfigMapBuilder()
                .withNewMetadata()
                .withName("streamed")
                .withNamespace(NS)
                .endMetadata()
                .build())
        .create();

    HttpResponse<String> response =
        HTTP.send(
            HttpRequest.newBuilder(
                    URI.create(
                        sandbox.baseUrl()
                            + "/api/v1/namespaces/"
                            + NS
                            + "/configmaps?watch=true&resourceVersion="
                            + (version == null ? "0" : version)))
                .timeout(Duration.ofSeconds(10))
                .build(),
            HttpResponse.BodyHandlers.ofString());

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.body()).contains("\"streamed\"").contains("\"type\":");
  }

  @Test
  void kubectlStyleTableRequestsGetPrintedColumns() throws Exception {
    HttpResponse<String> response =
        HTTP.send(
            HttpRequest.newBuilder(URI.create(sandbox.baseUrl() + "/api/v1/nodes"))
                .header("Accept", "application/json;as=Table;v=v1;g=meta.k8s.io,application/json")
                .build(),
            HttpResponse.BodyHandlers.ofString());

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.body())
        .contains("\"kind\":\"Table\"")
        .contains("\"name\":\"Roles\"")
        .contains("\"control-plane,master\"")
        .contains("\"v1.31.4+k3s1\"");
  }

  @Test
  void openApiIsAbsentRatherThanGarbage() throws Exception {
    HttpResponse<String> response =
        HTTP.send(
            HttpRequest.newBuilder(URI.create(sandbox.baseUrl() + "/openapi/v2")).build(),
            HttpResponse.BodyHandlers.ofString());

    assertThat(response.statusCode()).isEqualTo(404);
    assertThat(response.body()).contains("\"kind\":\"Status\"");
  }
}
