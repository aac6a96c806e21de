package dev.runnel.market.chart.adapter.out.helm;

import com.marcnuri.helm.DryRun;
import com.marcnuri.helm.Helm;
import dev.runnel.market.chart.application.ChartRenderer;
import dev.runnel.market.chart.application.ChartsProperties;
import dev.runnel.market.chart.domain.ChartArchive;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Comparator;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * Renders a chart through the real Helm engine (helm-java), client-only: a dry-run install against
 * an explicit kubeconfig that points nowhere, so no cluster is contacted (Helm's {@code lookup}
 * returns an empty map, as in {@code helm template}) and the user's default kubeconfig is never
 * read. helm-java loads charts from disk: the already-validated package is written into a private
 * temporary directory that is deleted afterwards, whatever happens.
 */
@Component
class HelmChartRenderer implements ChartRenderer {
  private static final Logger log = LoggerFactory.getLogger(HelmChartRenderer.class);
  private static final int MAX_MESSAGE = 1_500;
  private static final String KUBECONFIG =
      """
      apiVersion: v1
      kind: Config
      clusters:
      - name: none
        cluster:
          server: https://127.0.0.1:1
      contexts:
      - name: none
        context:
          cluster: none
          user: none
      current-context: none
      users:
      - name: none
        user: {}
      """;

  private final ChartsProperties properties;

  HelmChartRenderer(ChartsProperties properties) {
    this.properties = properties;
  }

  @Override
  public Mono<Void> render(ChartArchive chart, byte[] pkg) {
    return Mono.<Void>fromRunnable(() -> renderBlocking(chart, pkg))
        .subscribeOn(Schedulers.boundedElastic())
        .timeout(
            properties.renderTimeout(),
            Mono.error(
                () ->
                    new RenderFailedException(
                        "rendering took longer than "
                            + properties.renderTimeout().toSeconds()
                            + " s")));
  }

  private void renderBlocking(ChartArchive chart, byte[] pkg) {
    Path dir = null;
    try {
      dir =
          Files.createTempDirectory(
              "runnel-render-",
              PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
      Path archive = dir.resolve("chart.tgz");
      Files.write(archive, pkg);
      Path kubeconfig = dir.resolve("kubeconfig");
      Files.writeString(kubeconfig, KUBECONFIG);
      String kubeVersion = properties.renderKubeVersion();
      try {
        Helm.install(archive.toString())
            .withName("render-check")
            .withNamespace("default")
            .clientOnly()
            .withDryRunOption(DryRun.CLIENT)
            .withKubeVersion(kubeVersion.startsWith("v") ? kubeVersion : "v" + kubeVersion)
            .withKubeConfig(kubeconfig)
            .call();
      } catch (RuntimeException e) {
        throw new RenderFailedException(trim(e.getMessage(), dir));
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot prepare a private directory to render a chart", e);
    } finally {
      delete(dir);
    }
  }

  /** Helm's message without our temporary paths, on one line, short enough to show a user. */
  static String trim(String message, Path dir) {
    if (message == null || message.isBlank()) {
      return "Helm reported an error without a message";
    }
    String m = message;
    if (dir != null) {
      m = m.replace(dir.resolve("chart.tgz").toString(), "chart").replace(dir.toString(), "");
    }
    m = m.replaceAll("\\s+", " ").strip();
    return m.length() > MAX_MESSAGE ? m.substring(0, MAX_MESSAGE) + "…" : m;
  }

  private static void delete(Path dir) {
    if (dir == null) {
      return;
    }
    try (Stream<Path> paths = Files.walk(dir)) {
      paths.sorted(Comparator.reverseOrder()).forEach(HelmChartRenderer::deleteQuietly);
    } catch (IOException e) {
      log.warn("could not clean up the render directory {}: {}", dir, e.toString());
    }
  }

  private static void deleteQuietly(Path p) {
    try {
      Files.deleteIfExists(p);
    } catch (IOException e) {
      log.warn("could not delete {}: {}", p, e.toString());
    }
  }
}
