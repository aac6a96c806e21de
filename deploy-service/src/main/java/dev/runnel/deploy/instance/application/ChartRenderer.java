package dev.runnel.deploy.instance.application;

import dev.runnel.deploy.instance.domain.Rendered;
import java.util.UUID;
import reactor.core.publisher.Mono;

/** Renders a chart package into objects and hooks, labelled for the instance. */
public interface ChartRenderer {
  Mono<Rendered> render(
      byte[] chartPackage,
      UUID instanceId,
      String releaseName,
      String namespace,
      String kubeVersion,
      String userValuesYaml);

  /** Parses what a revision stored back into objects and hooks. */
  Rendered parse(String manifest, String hooks);
}
