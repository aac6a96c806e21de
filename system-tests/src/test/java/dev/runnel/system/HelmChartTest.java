package dev.runnel.system;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.marcnuri.helm.Helm;
import com.marcnuri.helm.TemplateCommand;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

/** The chart in helm/ rendered by Helm's own engine, as `helm template` would. */
class HelmChartTest {
  private static final Path CHART = Path.of("..", "helm").toAbsolutePath().normalize();

  private static TemplateCommand template() {
    assertThat(Files.isRegularFile(CHART.resolve("Chart.yaml"))).isTrue();
    return new Helm(CHART)
        .template()
        .withName("runnel")
        .withNamespace("runnel-system")
        .withKubeVersion("v1.31.4+k3s1")
        .set("postgres.host", "postgres.db.svc")
        .set("kafka.bootstrapServers", "kafka.kafka.svc:9092")
        .set("keycloak.internalUrl", "http://keycloak.auth.svc:8080")
        .set("keycloak.issuerUrl", "https://login.example.com/realms/runnel")
        .set("gateway.publicUrl", "https://runnel.example.com");
  }

  @SuppressWarnings("unchecked")
  private static List<Map<String, Object>> objects(String manifest) {
    List<Map<String, Object>> objects = new ArrayList<>();
    StreamSupport.stream(new Yaml().loadAll(manifest).spliterator(), false)
        .filter(o -> o instanceof Map)
        .forEach(o -> objects.add((Map<String, Object>) o));
    return objects;
  }

  private static List<Map<String, Object>> ofKind(List<Map<String, Object>> objects, String kind) {
    return objects.stream().filter(o -> kind.equals(o.get("kind"))).toList();
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> map(Object o, String... path) {
    Object current = o;
    for (String key : path) {
      current = ((Map<String, Object>) current).get(key);
    }
    return (Map<String, Object>) current;
  }

  @Test
  void withAnExistingSecretItRendersSixServicesTheIngressAndTheLocalCluster() {
    List<Map<String, Object>> objects =
        objects(template().set("secrets.existingSecret", "runnel-secrets").call());

    assertThat(ofKind(objects, "Deployment"))
        .extracting(d -> map(d, "metadata").get("name"))
        .containsExactlyInAnyOrder(
            "runnel-gateway",
            "runnel-market-service",
            "runnel-deploy-service",
            "runnel-monitor-service",
            "runnel-audit-service",
            "runnel-identity-service");
    assertThat(ofKind(objects, "Service")).hasSize(6);
    assertThat(ofKind(objects, "Secret")).as("the existing Secret is used").isEmpty();
    assertThat(ofKind(objects, "Ingress"))
        .singleElement()
        .asString()
        .contains("runnel.example.com");
    assertThat(ofKind(objects, "ServiceAccount")).hasSize(1);
    assertThat(ofKind(objects, "ConfigMap"))
        .singleElement()
        .satisfies(
            c ->
                assertThat(map(c, "data").get("kubeconfig").toString())
                    .contains("https://kubernetes.default.svc"));

    Map<String, Object> deploy =
        ofKind(objects, "Deployment").stream()
            .filter(d -> "runnel-deploy-service".equals(map(d, "metadata").get("name")))
            .findFirst()
            .orElseThrow();
    String deployText = deploy.toString();
    assertThat(deployText)
        .contains(
            "RUNNEL_LOCAL_KUBECONFIG",
            "RUNNEL_DEPLOY_SECRET_KEY",
            "r2dbc:postgresql://postgres.db.svc:5432/deploy",
            "http://runnel-market-service:8081",
            "runnel-secrets");
    // Secrets are referenced, never inlined into a Deployment.
    assertThat(objects.toString()).doesNotContain("password=");
  }

  @Test
  void withoutAnExistingSecretEverySecretValueIsRequired() {
    assertThatThrownBy(() -> template().call())
        .hasMessageContaining("secrets.postgresPassword is required");

    List<Map<String, Object>> objects =
        objects(
            template()
                .set("secrets.postgresPassword", "pg")
                .set("secrets.keycloakAdminPassword", "kc")
                .set("secrets.gatewayClientSecret", "gw")
                .set("secrets.secretKey", "a2V5")
                .call());
    assertThat(ofKind(objects, "Secret"))
        .singleElement()
        .satisfies(s -> assertThat(map(s, "stringData")).containsKeys("postgres-password"));
  }

  @Test
  void aMissingServerAddressIsNamed() {
    assertThatThrownBy(
            () ->
                new Helm(CHART)
                    .template()
                    .withName("runnel")
                    .withKubeVersion("v1.31.4+k3s1")
                    .set("secrets.existingSecret", "s")
                    .call())
        .hasMessageContaining("postgres.host is required");
  }
}
