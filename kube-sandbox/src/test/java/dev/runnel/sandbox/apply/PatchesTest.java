package dev.runnel.sandbox.apply;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

class PatchesTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  private static JsonNode json(String text) {
    return JSON.readTree(text.replace('\'', '"'));
  }

  @Test
  void strategicMergeMergesContainersByNameAndKeepsOthers() {
    JsonNode target =
        json(
            "{'spec':{'containers':[{'name':'app','image':'a:1','env':[{'name':'X','value':'1'}]},"
                + "{'name':'sidecar','image':'s:1'}]}}");
    JsonNode patch =
        json(
            "{'spec':{'containers':[{'name':'app','image':'a:2','env':[{'name':'Y','value':'2'}]}]}}");

    JsonNode merged = Patches.strategicMerge(target, patch);

    assertThat(merged.at("/spec/containers").size()).isEqualTo(2);
    assertThat(merged.at("/spec/containers/0/image").asString()).isEqualTo("a:2");
    assertThat(merged.at("/spec/containers/0/env").size()).isEqualTo(2);
    assertThat(merged.at("/spec/containers/1/image").asString()).isEqualTo("s:1");
  }

  @Test
  void strategicMergeHonoursDeleteDirectiveAndNulls() {
    JsonNode target =
        json(
            "{'metadata':{'labels':{'a':'1','b':'2'}},'spec':{'volumes':[{'name':'v1'},{'name':'v2'}]}}");
    JsonNode patch =
        json(
            "{'metadata':{'labels':{'a':null}},'spec':{'volumes':[{'name':'v1','$patch':'delete'}]}}");

    JsonNode merged = Patches.strategicMerge(target, patch);

    assertThat(merged.at("/metadata/labels").has("a")).isFalse();
    assertThat(merged.at("/metadata/labels/b").asString()).isEqualTo("2");
    assertThat(merged.at("/spec/volumes").size()).isEqualTo(1);
    assertThat(merged.at("/spec/volumes/0/name").asString()).isEqualTo("v2");
  }

  @Test
  void servicePortsMergeByPortAndContainerPortsByContainerPort() {
    JsonNode service = json("{'spec':{'ports':[{'port':80,'name':'http'},{'port':443}]}}");
    JsonNode merged =
        Patches.strategicMerge(service, json("{'spec':{'ports':[{'port':80,'name':'web'}]}}"));
    assertThat(merged.at("/spec/ports").size()).isEqualTo(2);
    assertThat(merged.at("/spec/ports/0/name").asString()).isEqualTo("web");
  }

  @Test
  void jsonMergeReplacesLists() {
    JsonNode target = json("{'spec':{'containers':[{'name':'app'},{'name':'sidecar'}]}}");
    JsonNode merged = Patches.jsonMerge(target, json("{'spec':{'containers':[{'name':'only'}]}}"));
    assertThat(merged.at("/spec/containers").size()).isEqualTo(1);
    assertThat(merged.at("/spec/containers/0/name").asString()).isEqualTo("only");
  }

  @Test
  void replaceDirectiveReplacesAMap() {
    JsonNode target = json("{'data':{'a':'1','b':'2'}}");
    JsonNode merged = Patches.strategicMerge(target, json("{'data':{'$patch':'replace','c':'3'}}"));
    assertThat(merged.at("/data").propertyNames()).containsExactly("c");
  }

  @Test
  void removalsDeleteWhatAManagerStoppedApplying() {
    JsonNode before =
        json(
            "{'metadata':{'labels':{'a':'1','b':'2'}},'spec':{'containers':[{'name':'app',"
                + "'env':[{'name':'X'},{'name':'Y'}]},{'name':'sidecar'}]}}");
    JsonNode after =
        json(
            "{'metadata':{'labels':{'a':'1'}},'spec':{'containers':[{'name':'app','env':[{'name':'X'}]}]}}");
    JsonNode stored =
        json(
            "{'metadata':{'labels':{'a':'1','b':'2','c':'3'}},'spec':{'containers':[{'name':'app',"
                + "'env':[{'name':'X'},{'name':'Y'}]},{'name':'sidecar'}]}}");

    JsonNode result = Patches.strategicMerge(stored, Patches.removals(before, after));

    assertThat(result.at("/metadata/labels").propertyNames()).containsExactlyInAnyOrder("a", "c");
    assertThat(result.at("/spec/containers").size()).isEqualTo(1);
    assertThat(result.at("/spec/containers/0/env").size()).isEqualTo(1);
    assertThat(result.at("/spec/containers/0/env/0/name").asString()).isEqualTo("X");
  }
}
