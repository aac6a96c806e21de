package dev.runnel.deploy.instance.adapter.out.helm;

import java.io.BufferedWriter;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.jar.JarFile;

/**
 * The {@link HelmRenderWorker} child process: started on first use, one render at a time, killed
 * and started again when it fails or exceeds its time limit.
 */
final class RenderWorkerProcess implements AutoCloseable {
  private final Duration timeout;
  private final String heap;
  private final ExecutorService io =
      Executors.newSingleThreadExecutor(
          r -> {
            Thread t = new Thread(r, "helm-render-io");
            t.setDaemon(true);
            return t;
          });
  private Process process;
  private BufferedWriter requests;
  private DataInputStream answers;
  private Path home;

  RenderWorkerProcess(Duration timeout, String heap) {
    this.timeout = timeout;
    this.heap = heap;
  }

  /** The rendered manifest; an {@link IllegalArgumentException} with Helm's message on failure. */
  synchronized String render(
      Path chartDir, String release, String namespace, String kubeVersion, Path valuesFile) {
    ensureStarted();
    String line =
        String.join(
            "\t",
            chartDir.toString(),
            release,
            namespace,
            kubeVersion,
            valuesFile == null ? "" : valuesFile.toString());
    Future<String[]> answer =
        io.submit(
            () -> {
              requests.write(line);
              requests.newLine();
              requests.flush();
              int status = answers.readInt();
              int length = answers.readInt();
              byte[] body = answers.readNBytes(length);
              return new String[] {
                String.valueOf(status), new String(body, StandardCharsets.UTF_8)
              };
            });
    try {
      String[] result = answer.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
      if (!"0".equals(result[0])) {
        throw new IllegalArgumentException(result[1]);
      }
      return result[1];
    } catch (TimeoutException e) {
      answer.cancel(true);
      stop();
      throw new IllegalStateException(
          "Helm did not finish rendering within " + timeout.toSeconds() + " s");
    } catch (ExecutionException e) {
      stop();
      throw new IllegalStateException(
          "the Helm rendering process stopped unexpectedly: " + e.getCause().getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      stop();
      throw new IllegalStateException("rendering was interrupted", e);
    }
  }

  private void ensureStarted() {
    if (process != null && process.isAlive()) {
      return;
    }
    stop();
    try {
      home = Files.createTempDirectory("runnel-helm-");
      ProcessBuilder builder = new ProcessBuilder(command());
      // A private kubeconfig (written by the worker) and Helm state inside the private home: the
      // worker never reads the user's ~/.kube or ~/.config/helm.
      builder.environment().put("KUBECONFIG", home.resolve("kubeconfig").toString());
      builder.environment().put("HELM_CACHE_HOME", home.resolve("cache").toString());
      builder.environment().put("HELM_CONFIG_HOME", home.resolve("config").toString());
      builder.environment().put("HELM_DATA_HOME", home.resolve("data").toString());
      builder.redirectError(ProcessBuilder.Redirect.INHERIT);
      process = builder.start();
      requests =
          new BufferedWriter(
              new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8));
      answers = new DataInputStream(process.getInputStream());
    } catch (IOException e) {
      throw new IllegalStateException("cannot start the Helm rendering process: " + e, e);
    }
  }

  private List<String> command() throws IOException {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    String classpath = System.getProperty("java.class.path");
    List<String> cmd =
        new ArrayList<>(
            List.of(
                java,
                "-Xmx" + heap,
                "-XX:+UseSerialGC",
                "-XX:TieredStopAtLevel=1",
                "-Xshare:auto"));
    if (isBootJar(classpath)) {
      // Running from the executable jar: Boot's launcher resolves the nested jars.
      cmd.addAll(
          List.of(
              "-cp",
              classpath,
              "-Dloader.main=" + HelmRenderWorker.class.getName(),
              "org.springframework.boot.loader.launch.PropertiesLauncher"));
    } else {
      cmd.addAll(List.of("-cp", classpath, HelmRenderWorker.class.getName()));
    }
    return cmd;
  }

  private static boolean isBootJar(String classpath) throws IOException {
    if (classpath.contains(java.io.File.pathSeparator) || !classpath.endsWith(".jar")) {
      return false;
    }
    try (JarFile jar = new JarFile(classpath)) {
      return jar.getEntry("BOOT-INF/") != null;
    }
  }

  private void stop() {
    if (process != null) {
      process.destroyForcibly();
      try {
        process.waitFor(5, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      process = null;
    }
    if (home != null) {
      ChartArchive.deleteTree(home);
      home = null;
    }
  }

  @Override
  public synchronized void close() {
    stop();
    io.shutdownNow();
  }
}
