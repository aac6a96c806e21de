package dev.runnel.cli.health;

import static org.assertj.core.api.Assertions.assertThat;

import dev.runnel.cli.Runnel;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class HealthCommandTest {
  @TempDir Path dir;

  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  private int runnel(String... args) {
    CommandLine cli = new CommandLine(new Runnel());
    cli.setOut(new PrintWriter(out));
    cli.setErr(new PrintWriter(err));
    return cli.execute(args);
  }

  private String file(String name, String content) throws IOException {
    Path path = dir.resolve(name);
    Files.writeString(path, content);
    return path.toString();
  }

  private Stream<String> lines() {
    return out.toString().lines();
  }

  private static final String RUNNING_APP =
      """
      apiVersion: v1
      kind: ConfigMap
      metadata: {name: settings}
      data: {a: b}
      ---
      apiVersion: apps/v1
      kind: Deployment
      metadata: {name: web, generation: 1}
      spec: {replicas: 1}
      status: {observedGeneration: 1, replicas: 1, updatedReplicas: 1, availableReplicas: 1}
      ---
      apiVersion: v1
      kind: Service
      metadata: {name: web}
      spec: {type: ClusterIP}
      """;

  @Test
  void healthyObjectsExitZeroWithALinePerObject() throws IOException {
    String app = file("app.yaml", RUNNING_APP);

    assertThat(runnel("health", app)).isZero();
    assertThat(lines())
        .containsExactly(
            app + " ConfigMap/settings -",
            app + " Deployment/web Healthy",
            app + " Service/web Healthy");
    assertThat(err.toString()).isEmpty();
  }

  @Test
  void anObjectThatIsNotHealthyMakesTheExitCodeOneAndSaysWhy() throws IOException {
    String app = file("app.yaml", RUNNING_APP);
    String claim =
        file(
            "claim.json",
            """
            {"apiVersion":"v1","kind":"PersistentVolumeClaim","metadata":{"name":"data"},
             "status":{"phase":"Pending"}}
            """);

    assertThat(runnel("health", app, claim)).isEqualTo(1);
    assertThat(lines())
        .hasSize(4)
        .last()
        .isEqualTo(
            claim + " PersistentVolumeClaim/data Progressing Waiting for a volume to be bound");
  }

  @Test
  void aMissingOrBrokenFileIsReportedTheOthersStillAssessedAndExitIsTwo() throws IOException {
    String app = file("app.yaml", RUNNING_APP);
    String broken = file("broken.yaml", "apiVersion: v1\nkind: [Pod\n");
    String notAManifest = file("list.yaml", "- a\n- b\n");
    String missing = dir.resolve("nope.yaml").toString();

    assertThat(runnel("health", missing, broken, notAManifest, app)).isEqualTo(2);
    assertThat(lines()).hasSize(3);
    assertThat(err.toString().lines())
        .containsExactly(
            "runnel health: " + missing + ": no such file",
            err.toString().lines().toList().get(1),
            "runnel health: "
                + notAManifest
                + ": document 1 is not a Kubernetes object (expected a mapping with apiVersion and"
                + " kind, found a list)");
    assertThat(err.toString().lines().toList().get(1))
        .startsWith("runnel health: " + broken + ": document 1 is not valid YAML or JSON");
  }

  @Test
  void anEmptyFileOrADirectoryIsBadInput() throws IOException {
    String empty = file("empty.yaml", "# nothing rendered\n");

    assertThat(runnel("health", empty, dir.toString())).isEqualTo(2);
    assertThat(err.toString())
        .contains(empty + ": no Kubernetes objects in it")
        .contains(dir + ": is a directory");
  }

  @Test
  void binaryContentIsRefusedWithAReadableMessage() throws IOException {
    Path binary = dir.resolve("chart.tgz");
    Files.write(binary, new byte[] {(byte) 0x1f, (byte) 0x8b, 8, 0, (byte) 0xff, (byte) 0xfe});

    assertThat(runnel("health", binary.toString())).isEqualTo(2);
    assertThat(err.toString()).contains("not UTF-8 text");
  }

  @Test
  void controlCharactersFromTheManifestAreNotPrinted() throws IOException {
    String sneaky =
        file(
            "sneaky.yaml",
            """
            apiVersion: v1
            kind: PersistentVolumeClaim
            metadata: {name: "a\\e[2Jb"}
            status: {phase: Bound}
            """);

    assertThat(runnel("health", sneaky)).isZero();
    assertThat(out.toString())
        .doesNotContain("\u001b")
        .contains("PersistentVolumeClaim/a?[2Jb Healthy");
  }

  @Test
  void withoutFilesItPrintsUsage() {
    assertThat(runnel("health")).isEqualTo(2);
    assertThat(err.toString()).contains("Missing required parameter: 'FILE'");
  }
}
