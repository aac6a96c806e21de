package dev.runnel.health;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

class ManifestsTest {

  @Test
  void readsEveryDocumentSkipsEmptyOnesAndUnfoldsLists() {
    var objects =
        Manifests.parse(
            """
            ---
            apiVersion: v1
            kind: Service
            metadata: {name: a}
            ---
            # only a comment
            ---
            apiVersion: v1
            kind: List
            items:
            - {apiVersion: v1, kind: ConfigMap, metadata: {name: b}}
            - {apiVersion: apps/v1, kind: Deployment, metadata: {name: c}}
            """);
    assertThat(objects)
        .extracting(o -> o.get("kind") + "/" + ((Map<?, ?>) o.get("metadata")).get("name"))
        .containsExactly("Service/a", "ConfigMap/b", "Deployment/c");
  }

  @Test
  void readsJson() {
    assertThat(
            Manifests.parseResources(
                "{\"apiVersion\":\"v1\",\"kind\":\"Pod\",\"metadata\":{\"name\":\"p\"}}"))
        .singleElement()
        .satisfies(r -> assertThat(r.getMetadata().getName()).isEqualTo("p"));
  }

  @Test
  void timestampsStayText() {
    var object =
        Manifests.parseOne(
            "apiVersion: v1\nkind: Pod\nmetadata: {name: p, creationTimestamp: 2018-12-02T10:16:04Z}\n");
    assertThat(((Map<?, ?>) object.get("metadata")).get("creationTimestamp"))
        .isEqualTo("2018-12-02T10:16:04Z");
  }

  @Test
  void saysWhichDocumentIsNotAnObject() {
    assertThatThrownBy(
            () ->
                Manifests.parse(
                    "apiVersion: v1\nkind: Pod\nmetadata: {name: p}\n---\n- just\n- a list\n"))
        .isInstanceOf(ManifestException.class)
        .hasMessage(
            "document 2 is not a Kubernetes object (expected a mapping with apiVersion and kind,"
                + " found a list)");
    assertThatThrownBy(() -> Manifests.parse("metadata: {name: p}\n"))
        .hasMessage("document 1 has no kind");
    assertThatThrownBy(() -> Manifests.parse("kind: Pod\n"))
        .hasMessage("document 1 (Pod) has no apiVersion");
  }

  @Test
  void brokenYamlIsAManifestException() {
    assertThatThrownBy(() -> Manifests.parse("apiVersion: v1\nkind: [Pod\n"))
        .isInstanceOf(ManifestException.class)
        .hasMessageStartingWith("document 1 is not valid YAML or JSON");
  }

  @Test
  void aliasBombIsNotExpanded() {
    StringBuilder bomb = new StringBuilder("a: &a [x,x,x,x,x,x,x,x,x,x]\n");
    for (char c = 'b'; c <= 'k'; c++) {
      char prev = (char) (c - 1);
      bomb.append(c).append(": &").append(c).append(" [");
      bomb.append(("*" + prev + ",").repeat(10));
      bomb.setLength(bomb.length() - 1);
      bomb.append("]\n");
    }
    bomb.append("apiVersion: v1\nkind: Pod\n");
    // Expanded, the aliases would make 10^10 strings; the parser keeps them as references.
    assertThat(Manifests.parse(bomb.toString()))
        .singleElement()
        .satisfies(o -> assertThat(o.toString()).hasSizeLessThan(10_000));
  }
}
