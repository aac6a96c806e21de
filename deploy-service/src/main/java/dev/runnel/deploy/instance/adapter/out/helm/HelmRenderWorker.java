package dev.runnel.deploy.instance.adapter.out.helm;

import com.marcnuri.helm.Helm;
import java.io.BufferedReader;
import java.io.DataOutputStream;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The child process that runs Helm's template engine for {@link HelmChartRenderer}.
 *
 * <p>Why a separate JVM: helm-java 0.0.21 returns rendered manifests only from {@code template},
 * and {@code template} builds a Kubernetes client from the {@code KUBECONFIG} the process was
 * <em>started</em> with (Go copies the environment at load; {@code setenv} later is not seen).
 * Without one it dials {@code localhost:8080}, which may be one of our own services. This process
 * is started with {@code KUBECONFIG} naming a file it writes itself, pointing at {@link
 * EmptyClusterApi}: an API that knows the common kinds and holds no objects, so {@code lookup}
 * returns empty, as {@code helm template} does. The native library is also kept out of the
 * service's JVM (it blocks JVM self-attach).
 *
 * <p>Protocol on stdin/stdout: one request per line, {@code chartDir \t releaseName \t namespace \t
 * kubeVersion \t valuesFile}; the answer is a 4-byte status (0 ok, 1 error), a 4-byte length and
 * that many UTF-8 bytes (the manifest, or the error message).
 */
final class HelmRenderWorker {
  private HelmRenderWorker() {}

  public static void main(String[] args) throws Exception {
    // The protocol owns the real stdout; anything else printed goes to stderr.
    DataOutputStream out =
        new DataOutputStream(
            new java.io.BufferedOutputStream(new FileOutputStream(FileDescriptor.out)));
    System.setOut(new PrintStream(new FileOutputStream(FileDescriptor.err), true));
    String kubeconfig = System.getenv("KUBECONFIG");
    if (kubeconfig == null || kubeconfig.isBlank()) {
      throw new IllegalStateException("the render worker needs KUBECONFIG naming its own file");
    }
    EmptyClusterApi api = EmptyClusterApi.start();
    Files.writeString(Path.of(kubeconfig), api.kubeconfig(), StandardCharsets.UTF_8);
    BufferedReader in =
        new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
    String line;
    while ((line = in.readLine()) != null) {
      String[] f = line.split("\t", -1);
      int status;
      String body;
      try {
        if (f.length != 5) {
          throw new IllegalArgumentException("expected 5 fields, got " + f.length);
        }
        var template =
            new Helm(Path.of(f[0]))
                .template()
                .withName(f[1])
                .withNamespace(f[2])
                .withKubeVersion(f[3]);
        if (!f[4].isEmpty()) {
          template = template.withValuesFile(Path.of(f[4]));
        }
        body = template.call();
        status = 0;
      } catch (RuntimeException e) {
        status = 1;
        body = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
      }
      byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
      out.writeInt(status);
      out.writeInt(bytes.length);
      out.write(bytes);
      out.flush();
    }
    api.stop();
  }
}
