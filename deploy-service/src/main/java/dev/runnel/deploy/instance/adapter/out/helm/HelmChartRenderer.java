package dev.runnel.deploy.instance.adapter.out.helm;

import dev.runnel.deploy.config.DeployProperties;
import dev.runnel.deploy.instance.application.ChartRenderer;
import dev.runnel.deploy.instance.domain.Hook;
import dev.runnel.deploy.instance.domain.InstanceLabels;
import dev.runnel.deploy.instance.domain.ManifestObject;
import dev.runnel.deploy.instance.domain.Rendered;
import dev.runnel.health.ManifestException;
import dev.runnel.health.Manifests;
import dev.runnel.kit.problem.Problem;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.stereotype.Component;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.Yaml;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * Renders charts with Helm's own engine (helm-java, in {@link RenderWorkerProcess}), client-only,
 * for the target cluster's Kubernetes version. The package is unpacked into a private temporary
 * directory that is always deleted.
 *
 * <p>helm-java 0.0.21's {@code template} leaves hooks out of its output. So that Runnel can run
 * them in their phases, the {@code helm.sh/hook*} annotation keys are renamed in the unpacked chart
 * before rendering (Helm then treats hooks as plain objects) and named back afterwards.
 *
 * <p>The {@code crds/} folders are read apart ({@link ChartCrds}), as Helm does: not templated, and
 * only CustomResourceDefinitions.
 */
@Component
class HelmChartRenderer implements ChartRenderer, DisposableBean {
  static final String HOOK = "helm.sh/hook";
  static final String DISGUISED_HOOK = "runnel.dev/helm-hook";
  private final RenderWorkerProcess worker;

  HelmChartRenderer(DeployProperties properties) {
    this.worker =
        new RenderWorkerProcess(properties.render().timeout(), properties.render().workerHeap());
  }

  @Override
  public Mono<Rendered> render(
      byte[] chartPackage,
      UUID instanceId,
      String releaseName,
      String namespace,
      String kubeVersion,
      String userValuesYaml) {
    return Mono.fromCallable(
            () -> {
              Path dir = Files.createTempDirectory("runnel-chart-");
              try {
                Path chart = ChartArchive.unpack(chartPackage, dir.resolve("chart"));
                List<ManifestObject> crds = ChartCrds.read(chart, instanceId);
                disguiseHooks(chart);
                Path values = null;
                if (userValuesYaml != null && !userValuesYaml.isBlank()) {
                  values = dir.resolve("user-values.yaml");
                  Files.writeString(
                      values, userValuesYaml.replace(HOOK, DISGUISED_HOOK), StandardCharsets.UTF_8);
                }
                String manifest = worker.render(chart, releaseName, namespace, kubeVersion, values);
                return split(manifest, namespace, instanceId).withCrds(crds);
              } finally {
                ChartArchive.deleteTree(dir);
              }
            })
        .subscribeOn(Schedulers.boundedElastic())
        .onErrorMap(
            IllegalArgumentException.class,
            e ->
                Problem.invalid(
                    "values", "the chart cannot be rendered with these values: " + e.getMessage()))
        .onErrorMap(
            IllegalStateException.class,
            e -> Problem.unavailable("Rendering the chart failed: " + e.getMessage()));
  }

  @Override
  public Rendered parse(String manifest, String hooks) {
    List<ManifestObject> objects = new ArrayList<>();
    for (Map<String, Object> body : Manifests.parse(manifest == null ? "" : manifest)) {
      objects.add(object(body, null));
    }
    List<Hook> hookList = new ArrayList<>();
    for (Map<String, Object> body : Manifests.parse(hooks == null ? "" : hooks)) {
      Hook h = hook(object(body, null));
      if (h != null) {
        hookList.add(h);
      }
    }
    return new Rendered(
        objects, hookList, manifest == null ? "" : manifest, hooks == null ? "" : hooks);
  }

  Rendered split(String manifest, String namespace, UUID instanceId) {
    List<Map<String, Object>> docs;
    try {
      docs = Manifests.parse(manifest);
    } catch (ManifestException e) {
      throw new IllegalArgumentException("the chart rendered invalid YAML: " + e.getMessage(), e);
    }
    List<ManifestObject> objects = new ArrayList<>();
    List<Hook> hooks = new ArrayList<>();
    for (Map<String, Object> body : docs) {
      restoreHookAnnotations(body);
      String kind = String.valueOf(body.get("kind"));
      @SuppressWarnings("unchecked")
      Map<String, Object> metadata =
          (Map<String, Object>) body.computeIfAbsent("metadata", k -> new LinkedHashMap<>());
      if (!ManifestObject.CLUSTER_SCOPED_KINDS.contains(kind)
          && metadata.get("namespace") == null) {
        metadata.put("namespace", namespace);
      }
      InstanceLabels.apply(body, instanceId);
      ManifestObject object = object(body, namespace);
      Hook hook = hook(object);
      if (hook != null) {
        if (!hook.phases().contains("test")) {
          hooks.add(hook);
        }
      } else if (isHook(object)) {
        continue;
      } else {
        objects.add(object);
      }
    }
    objects.sort(
        Comparator.comparingInt(ManifestObject::installOrder)
            .thenComparing(ManifestObject::kind)
            .thenComparing(ManifestObject::name));
    hooks.sort(
        Comparator.comparingInt(Hook::weight)
            .thenComparing(h -> h.object().kind())
            .thenComparing(h -> h.object().name()));
    return new Rendered(
        objects,
        hooks,
        yaml(objects.stream().map(ManifestObject::body).toList()),
        yaml(hooks.stream().map(h -> h.object().body()).toList()));
  }

  private static boolean isHook(ManifestObject o) {
    return annotations(o.body()).containsKey(HOOK);
  }

  private static Hook hook(ManifestObject o) {
    Map<String, Object> annotations = annotations(o.body());
    Object phases = annotations.get(HOOK);
    if (phases == null) {
      return null;
    }
    int weight = 0;
    Object w = annotations.get(HOOK + "-weight");
    if (w != null) {
      try {
        weight = Integer.parseInt(String.valueOf(w).trim());
      } catch (NumberFormatException e) {
        weight = 0;
      }
    }
    return new Hook(o, list(phases), weight, list(annotations.get(HOOK + "-delete-policy")));
  }

  private static Set<String> list(Object csv) {
    if (csv == null) {
      return Set.of();
    }
    return Arrays.stream(String.valueOf(csv).split(","))
        .map(String::trim)
        .filter(s -> !s.isEmpty())
        .collect(Collectors.toCollection(LinkedHashSet::new));
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> annotations(Map<String, Object> body) {
    Object metadata = body.get("metadata");
    if (metadata instanceof Map<?, ?> m && m.get("annotations") instanceof Map<?, ?> a) {
      return (Map<String, Object>) a;
    }
    return Map.of();
  }

  private static void restoreHookAnnotations(Map<String, Object> body) {
    Map<String, Object> annotations = annotations(body);
    if (annotations.isEmpty()) {
      return;
    }
    for (String key : new ArrayList<>(annotations.keySet())) {
      if (key.startsWith(DISGUISED_HOOK)) {
        annotations.put(HOOK + key.substring(DISGUISED_HOOK.length()), annotations.remove(key));
      }
    }
  }

  @SuppressWarnings("unchecked")
  private static ManifestObject object(Map<String, Object> body, String defaultNamespace) {
    Map<String, Object> metadata =
        body.get("metadata") instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of();
    Object name = metadata.get("name");
    if (name == null) {
      throw new IllegalArgumentException(
          "the chart rendered a " + body.get("kind") + " without metadata.name");
    }
    Object ns = metadata.get("namespace");
    return new ManifestObject(
        String.valueOf(body.get("apiVersion")),
        String.valueOf(body.get("kind")),
        ns == null ? defaultNamespace : String.valueOf(ns),
        String.valueOf(name),
        body);
  }

  private static String yaml(List<Map<String, Object>> bodies) {
    if (bodies.isEmpty()) {
      return "";
    }
    DumperOptions options = new DumperOptions();
    options.setDefaultFlowStyle(DumperOptions.FlowStyle.BLOCK);
    options.setIndent(2);
    options.setSplitLines(false);
    Yaml yaml = new Yaml(options);
    StringBuilder out = new StringBuilder();
    for (Map<String, Object> body : bodies) {
      out.append("---\n").append(yaml.dump(body));
    }
    return out.toString();
  }

  /** Renames hook annotation keys in templates and values so Helm renders hooks as objects. */
  private static void disguiseHooks(Path chart) throws IOException {
    try (Stream<Path> files = Files.walk(chart)) {
      for (Path f : files.filter(Files::isRegularFile).toList()) {
        String name = f.getFileName().toString();
        boolean template = f.toString().contains("/templates/");
        boolean values = name.equals("values.yaml") || name.equals("values.yml");
        if (!template && !values) {
          continue;
        }
        String text;
        try {
          text = Files.readString(f, StandardCharsets.UTF_8);
        } catch (java.nio.charset.MalformedInputException e) {
          continue;
        }
        if (text.contains(HOOK)) {
          Files.writeString(f, text.replace(HOOK, DISGUISED_HOOK), StandardCharsets.UTF_8);
        }
      }
    } catch (UncheckedIOException e) {
      throw e.getCause();
    }
  }

  @Override
  public void destroy() {
    worker.close();
  }
}
