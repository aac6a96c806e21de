package dev.runnel.sandbox.apply;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.runnel.sandbox.KubeSandbox;
import dev.runnel.sandbox.SandboxOptions;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class ApplyIT {

  private static KubeSandbox sandbox;
  private static KubernetesClient client;

  @BeforeAll
  static void start() {
    sandbox =
        KubeSandbox.start(SandboxOptions.defaults().withNodes(0).withPodReadyDelay(Duration.ZERO));
    client = sandbox.client();
    client
        .namespaces()
        .resource(new NamespaceBuilder().withNewMetadata().withName("apply").endMetadata().build())
        .create();
  }

  @AfterAll
  static void stop() {
    sandbox.close();
  }

  @Test
  void serverSideApplyCreatesThenMergesWithFieldManager() {
    ConfigMap first =
        new ConfigMapBuilder()
            .withNewMetadata()
            .withName("settings")
            .withNamespace("apply")
            .addToLabels("app.kubernetes.io/instance", "shop")
            .endMetadata()
            .addToData("a", "1")
            .build();
    ConfigMap created =
        client.resource(first).fieldManager("runnel").forceConflicts().serverSideApply();
    assertThat(created.getMetadata().getUid()).isNotBlank();
    assertThat(created.getMetadata().getCreationTimestamp()).isNotBlank();

    // Another manager's apply adds to the object; it does not replace the first one's fields.
    ConfigMap second = new ConfigMapBuilder(first).withData(java.util.Map.of("b", "2")).build();
    ConfigMap merged =
        client.resource(second).fieldManager("helm").forceConflicts().serverSideApply();

    assertThat(merged.getData()).containsEntry("a", "1").containsEntry("b", "2");
    assertThat(merged.getMetadata().getUid()).isEqualTo(created.getMetadata().getUid());
    assertThat(Long.parseLong(merged.getMetadata().getResourceVersion()))
        .isGreaterThan(Long.parseLong(created.getMetadata().getResourceVersion()));
  }

  @Test
  void applyDropsWhatTheSameManagerNoLongerAppliesAndKeepsOtherManagersFields() {
    ConfigMap v1 =
        new ConfigMapBuilder()
            .withNewMetadata()
            .withName("owned")
            .withNamespace("apply")
            .addToLabels("release", "1")
            .endMetadata()
            .addToData("keep", "k")
            .addToData("drop", "d")
            .build();
    client.resource(v1).fieldManager("runnel").forceConflicts().serverSideApply();
    client
        .resource(
            new ConfigMapBuilder()
                .withNewMetadata()
                .withName("owned")
                .withNamespace("apply")
                .addToLabels("team", "blue")
                .endMetadata()
                .build())
        .fieldManager("someone-else")
        .serverSideApply();

    ConfigMap v2 =
        new ConfigMapBuilder()
            .withNewMetadata()
            .withName("owned")
            .withNamespace("apply")
            .endMetadata()
            .addToData("keep", "k2")
            .build();
    ConfigMap result =
        client.resource(v2).fieldManager("runnel").forceConflicts().serverSideApply();

    assertThat(result.getData()).containsOnly(java.util.Map.entry("keep", "k2"));
    assertThat(result.getMetadata().getLabels())
        .containsEntry("team", "blue")
        .doesNotContainKey("release");
  }

  @Test
  void aClusterScopedObjectThatNamesANamespaceIsStoredWithoutOne() {
    // Helm charts often template metadata.namespace into every object; the API server ignores it
    // for cluster-scoped kinds instead of failing the write.
    io.fabric8.kubernetes.api.model.rbac.ClusterRoleBinding binding =
        new io.fabric8.kubernetes.api.model.rbac.ClusterRoleBindingBuilder()
            .withNewMetadata()
            .withName("charted-admin")
            .withNamespace("default")
            .endMetadata()
            .withNewRoleRef("rbac.authorization.k8s.io", "ClusterRole", "view")
            .addNewSubject()
            .withKind("ServiceAccount")
            .withName("default")
            .withNamespace("default")
            .endSubject()
            .build();

    client.resource(binding).fieldManager("runnel").forceConflicts().serverSideApply();

    io.fabric8.kubernetes.api.model.rbac.ClusterRoleBinding stored =
        client.rbac().clusterRoleBindings().withName("charted-admin").get();
    assertThat(stored).isNotNull();
    assertThat(stored.getMetadata().getNamespace()).isNull();
    assertThat(stored.getSubjects().get(0).getNamespace()).isEqualTo("default");
  }

  @Test
  void applyIncrementsGenerationOnlyWhenSpecChanges() {
    Deployment deployment = deployment("web", "nginx:1.27");
    Deployment created = client.resource(deployment).fieldManager("runnel").serverSideApply();
    assertThat(created.getMetadata().getGeneration()).isEqualTo(1L);
    assertThat(created.getSpec().getReplicas()).isEqualTo(1);

    Deployment relabelled =
        client
            .resource(
                new DeploymentBuilder(deployment)
                    .editMetadata()
                    .addToLabels("tier", "front")
                    .endMetadata()
                    .build())
            .fieldManager("runnel")
            .serverSideApply();
    assertThat(relabelled.getMetadata().getGeneration()).isEqualTo(1L);

    Deployment upgraded =
        client.resource(deployment("web", "nginx:1.28")).fieldManager("runnel").serverSideApply();
    assertThat(upgraded.getMetadata().getGeneration()).isEqualTo(2L);
    assertThat(upgraded.getSpec().getTemplate().getSpec().getContainers().get(0).getImage())
        .isEqualTo("nginx:1.28");
  }

  @Test
  void strategicMergePatchMergesContainersByName() {
    Deployment deployment =
        new DeploymentBuilder(deployment("api", "api:1"))
            .editSpec()
            .editTemplate()
            .editSpec()
            .addNewContainer()
            .withName("sidecar")
            .withImage("envoy:1")
            .endContainer()
            .endSpec()
            .endTemplate()
            .endSpec()
            .build();
    client.resource(deployment).create();

    Deployment patched =
        client
            .apps()
            .deployments()
            .inNamespace("apply")
            .withName("api")
            .patch(
                PatchContext.of(PatchType.STRATEGIC_MERGE),
                "{\"spec\":{\"template\":{\"spec\":{\"containers\":[{\"name\":\"api\",\"image\":\"api:2\"}]}}}}");

    assertThat(patched.getSpec().getTemplate().getSpec().getContainers())
        .extracting(c -> c.getName() + "=" + c.getImage())
        .containsExactly("api=api:2", "sidecar=envoy:1");
  }

  @Test
  void secretStringDataIsFoldedIntoData() {
    Secret secret =
        client
            .resource(
                new SecretBuilder()
                    .withNewMetadata()
                    .withName("db")
                    .withNamespace("apply")
                    .endMetadata()
                    .addToStringData("password", "s3cret")
                    .build())
            .create();

    assertThat(secret.getStringData()).isNullOrEmpty();
    assertThat(secret.getType()).isEqualTo("Opaque");
    assertThat(
            new String(
                Base64.getDecoder().decode(secret.getData().get("password")),
                StandardCharsets.UTF_8))
        .isEqualTo("s3cret");
    Secret stored = client.secrets().inNamespace("apply").withName("db").get();
    assertThat(stored.getData()).containsKey("password");
  }

  @Test
  void servicesGetClusterIpsFromTheK3sRangeAndLoadBalancersGetNodePorts() {
    Service a = client.resource(service("a", "ClusterIP")).create();
    Service b = client.resource(service("b", "LoadBalancer")).create();

    assertThat(a.getSpec().getClusterIP()).startsWith("10.43.").isNotEqualTo("10.43.0.1");
    assertThat(b.getSpec().getClusterIP())
        .startsWith("10.43.")
        .isNotEqualTo(a.getSpec().getClusterIP());
    assertThat(b.getSpec().getPorts().get(0).getNodePort()).isBetween(30000, 32767);

    Service reapplied =
        client.resource(service("a", "ClusterIP")).fieldManager("runnel").serverSideApply();
    assertThat(reapplied.getSpec().getClusterIP()).isEqualTo(a.getSpec().getClusterIP());
  }

  @Test
  void objectsInAMissingNamespaceAreRefusedWithNotFound() {
    ConfigMap orphan =
        new ConfigMapBuilder()
            .withNewMetadata()
            .withName("x")
            .withNamespace("nowhere")
            .endMetadata()
            .build();
    assertThatThrownBy(() -> client.resource(orphan).create())
        .isInstanceOfSatisfying(
            KubernetesClientException.class,
            e -> {
              assertThat(e.getCode()).isEqualTo(404);
              assertThat(e.getStatus().getReason()).isEqualTo("NotFound");
              assertThat(e.getStatus().getMessage()).contains("namespaces \"nowhere\" not found");
            });
    assertThatThrownBy(() -> client.resource(orphan).serverSideApply())
        .isInstanceOfSatisfying(
            KubernetesClientException.class, e -> assertThat(e.getCode()).isEqualTo(404));
  }

  @Test
  void generateNameGivesAShortRandomSuffixAndDuplicatesConflict() {
    ConfigMap generated =
        client
            .resource(
                new ConfigMapBuilder()
                    .withNewMetadata()
                    .withGenerateName("job-")
                    .withNamespace("apply")
                    .endMetadata()
                    .build())
            .create();
    assertThat(generated.getMetadata().getName()).matches("job-[a-z0-9]{5}");

    ConfigMap named =
        new ConfigMapBuilder()
            .withNewMetadata()
            .withName("dup")
            .withNamespace("apply")
            .endMetadata()
            .build();
    client.resource(named).create();
    assertThatThrownBy(() -> client.resource(named).create())
        .isInstanceOfSatisfying(
            KubernetesClientException.class, e -> assertThat(e.getCode()).isEqualTo(409));
  }

  @Test
  void deletingANamespaceDeletesItsObjects() {
    client
        .namespaces()
        .resource(new NamespaceBuilder().withNewMetadata().withName("doomed").endMetadata().build())
        .create();
    client
        .resource(
            new ConfigMapBuilder()
                .withNewMetadata()
                .withName("c")
                .withNamespace("doomed")
                .endMetadata()
                .build())
        .create();

    client.namespaces().withName("doomed").delete();

    assertThat(client.configMaps().inNamespace("doomed").list().getItems()).isEmpty();
    assertThat(client.namespaces().withName("doomed").get()).isNull();
  }

  private static Deployment deployment(String name, String image) {
    return new DeploymentBuilder()
        .withNewMetadata()
        .withName(name)
        .withNamespace("apply")
        .endMetadata()
        .withNewSpec()
        .withNewSelector()
        .addToMatchLabels("app", name)
        .endSelector()
        .withNewTemplate()
        .withNewMetadata()
        .addToLabels("app", name)
        .endMetadata()
        .withNewSpec()
        .addNewContainer()
        .withName(name)
        .withImage(image)
        .endContainer()
        .endSpec()
        .endTemplate()
        .endSpec()
        .build();
  }

  private static Service service(String name, String type) {
    return new ServiceBuilder()
        .withNewMetadata()
        .withName(name)
        .withNamespace("apply")
        .endMetadata()
        .withNewSpec()
        .withType(type)
        .addToSelector("app", name)
        .addNewPort()
        .withPort(80)
        .endPort()
        .endSpec()
        .build();
  }
}
