package dev.runnel.sandbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real {@code kubectl} against the sandbox's kubeconfig: get, describe, scale, delete. Runs
 * where kubectl is installed (on PATH or {@code KUBECTL}); elsewhere it is skipped and says so.
 */
class KubectlIT {
  private static KubeSandbox sandbox;
  private static Path kubeconfig;
  private static String kubectl;

  @BeforeAll
  static void start(@TempDir Path dir) {
    kubectl = findKubectl();
    assumeTrue(kubectl != null, "kubectl is not installed (PATH or KUBECTL): skipped");
    sandbox =
        KubeSandbox.start(SandboxOptions.defaults().withNodes(2).withPodReadyDelay(Duration.ZERO));
    kubeconfig = sandbox.writeKubeconfig(dir.resolve("kubeconfig"));
  }

  @AfterAll
  static void stop() {
    if (sandbox != null) {
      sandbox.close();
    }
  }

  private static String findKubectl() {
    String explicit = System.getenv("KUBECTL");
    if (explicit != null && Files.isExecutable(Path.of(explicit))) {
      return explicit;
    }
    for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
      Path candidate = Path.of(dir, "kubectl");
      if (!dir.isEmpty() && Files.isExecutable(candidate)) {
        return candidate.toString();
      }
    }
    return null;
  }

  private record Result(int exit, String out) {}

  private static Result kubectl(String... args) {
    List<String> command = new ArrayList<>(List.of(kubectl, "--kubeconfig", kubeconfig.toString()));
    command.addAll(List.of(args));
    try {
      Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!p.waitFor(60, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new AssertionError("kubectl " + String.join(" ", args) + " did not finish");
      }
      return new Result(p.exitValue(), out);
    } catch (IOException e) {
      throw new AssertionError("could not run kubectl", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted", e);
    }
  }

  private static String ok(String... args) {
    Result r = kubectl(args);
    assertThat(r.exit()).as("kubectl %s: %s", String.join(" ", args), r.out()).isZero();
    return r.out();
  }

  @Test
  void getNodesShowsTheSimulatedNodesReady() {
    String out = ok("get", "nodes", "-L", "runnel.dev/simulated");
    assertThat(out).contains("sandbox-node-0", "sandbox-node-1", "Ready", "control-plane");
    assertThat(out.lines().filter(l -> l.startsWith("sandbox-node-")))
        .allSatisfy(l -> assertThat(l).endsWith("true"));
  }

  @Test
  void createScaleDescribeAndDeleteADeployment() {
    ok("create", "namespace", "kubectl-it");
    ok("-n", "kubectl-it", "create", "deployment", "web", "--image=nginx", "--replicas=2");
    Await.until(
        () -> ok("-n", "kubectl-it", "get", "pods", "-l", "app=web", "--no-headers"),
        out -> out.lines().filter(l -> l.contains("Running")).count() == 2);

    ok("-n", "kubectl-it", "scale", "deployment", "web", "--replicas=3");
    Await.until(
        () -> ok("-n", "kubectl-it", "get", "deployment", "web", "--no-headers"),
        out -> out.contains("3/3"));

    String described = ok("-n", "kubectl-it", "describe", "deployment", "web");
    assertThat(described)
        .contains("Replicas:", "3 desired", "RollingUpdate", "25% max unavailable", "Image:");

    ok("-n", "kubectl-it", "delete", "deployment", "web");
    Await.until(
        () -> kubectl("-n", "kubectl-it", "get", "pods", "--no-headers").out(),
        out -> out.isBlank() || out.contains("No resources found"));
    Result gone = kubectl("-n", "kubectl-it", "get", "deployment", "web");
    assertThat(gone.exit()).isNotZero();
    assertThat(gone.out()).contains("NotFound");
  }

  @Test
  void anUnknownResourceIsAClearError() {
    Result r = kubectl("get", "frobnicators");
    assertThat(r.exit()).isNotZero();
    assertThat(r.out()).contains("frobnicators");
  }
}
