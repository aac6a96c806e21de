package dev.runnel.sandbox.discovery;

import static org.assertj.core.api.Assertions.assertThat;

import dev.runnel.sandbox.KubeSandbox;
import dev.runnel.sandbox.SandboxOptions;
import io.fabric8.kubernetes.api.model.APIGroup;
import io.fabric8.kubernetes.api.model.APIResource;
import io.fabric8.kubernetes.api.model.APIResourceList;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinitionBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class DiscoveryIT {

  private static KubeSandbox sandbox;
  private static KubernetesClient client;

  @BeforeAll
  static void start() {
    sandbox =
        KubeSandbox.start(SandboxOptions.defaults().withNodes(1).withPodReadyDelay(Duration.ZERO));
    client = sandbox.client();
  }

  @AfterAll
  static void stop() {
    sandbox.close();
  }

  @Test
  void listsTheBuiltInGroups() {
    assertThat(client.getApiGroups().getGroups())
        .extracting(APIGroup::getName)
        .contains(
            "apps",
            "batch",
            "networking.k8s.io",
            "policy",
            "rbac.authorization.k8s.io",
            "autoscaling",
            "storage.k8s.io",
            "metrics.k8s.io",
            "apiextensions.k8s.io");
    assertThat(client.getApiGroup("autoscaling").getPreferredVersion().getVersion())
        .isEqualTo("v2");
  }

  @Test
  void describesResourcesWithKindsScopeVerbsAndShortNames() {
    APIResource deployments = resource("apps/v1", "deployments");
    assertThat(deployments.getKind()).isEqualTo("Deployment");
    assertThat(deployments.getNamespaced()).isTrue();
    assertThat(deployments.getShortNames()).containsExactly("deploy");
    assertThat(deployments.getVerbs()).contains("create", "patch", "watch");
    assertThat(resource("v1", "nodes").getNamespaced()).isFalse();
    assertThat(resource("v1", "pods/log").getVerbs()).containsExactly("get");
    assertThat(resource("metrics.k8s.io/v1beta1", "pods").getKind()).isEqualTo("PodMetrics");
    assertThat(resource("rbac.authorization.k8s.io/v1", "clusterroles").getNamespaced()).isFalse();
  }

  @Test
  void aCreatedCrdJoinsDiscoveryAndItsResourcesBecomeUsable() {
    CustomResourceDefinition crd =
        new CustomResourceDefinitionBuilder()
            .withNewMetadata()
            .withName("widgets.example.runnel.dev")
            .endMetadata()
            .withNewSpec()
            .withGroup("example.runnel.dev")
            .withScope("Namespaced")
            .withNewNames()
            .withPlural("widgets")
            .withSingular("widget")
            .withKind("Widget")
            .withShortNames("wg")
            .endNames()
            .addNewVersion()
            .withName("v1alpha1")
            .withServed(true)
            .withStorage(true)
            .withNewSchema()
            .withNewOpenAPIV3Schema()
            .withType("object")
            .withXKubernetesPreserveUnknownFields(true)
            .endOpenAPIV3Schema()
            .endSchema()
            .endVersion()
            .endSpec()
            .build();
    client.apiextensions().v1().customResourceDefinitions().resource(crd).create();

    APIResource widgets = resource("example.runnel.dev/v1alpha1", "widgets");
    assertThat(widgets.getKind()).isEqualTo("Widget");
    assertThat(widgets.getShortNames()).containsExactly("wg");
    assertThat(client.getApiGroups().getGroups())
        .extracting(APIGroup::getName)
        .contains("example.runnel.dev");

    List<HasMetadata> applied =
        client
            .load(
                new java.io.ByteArrayInputStream(
                    """
                    apiVersion: example.runnel.dev/v1alpha1
                    kind: Widget
                    metadata:
                      name: blue
                      namespace: default
                    spec:
                      size: 3
                    """
                        .getBytes()))
            .serverSideApply();
    assertThat(applied).hasSize(1);
    GenericKubernetesResource stored =
        client
            .genericKubernetesResources(
                new ResourceDefinitionContext.Builder()
                    .withGroup("example.runnel.dev")
                    .withVersion("v1alpha1")
                    .withPlural("widgets")
                    .withKind("Widget")
                    .withNamespaced(true)
                    .build())
            .inNamespace("default")
            .withName("blue")
            .get();
    assertThat(stored.<Integer>get("spec", "size")).isEqualTo(3);

    client
        .apiextensions()
        .v1()
        .customResourceDefinitions()
        .withName(crd.getMetadata().getName())
        .delete();
    assertThat(client.getApiGroups().getGroups())
        .extracting(APIGroup::getName)
        .doesNotContain("example.runnel.dev");
  }

  private static APIResource resource(String groupVersion, String name) {
    APIResourceList list = client.getApiResources(groupVersion);
    return list.getResources().stream()
        .filter(r -> r.getName().equals(name))
        .findFirst()
        .orElseThrow(() -> new AssertionError(name + " not in " + groupVersion));
  }
}
