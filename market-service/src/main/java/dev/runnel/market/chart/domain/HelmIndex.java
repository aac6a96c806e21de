package dev.runnel.market.chart.domain;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.Yaml;

/** Renders published charts as a Helm repository {@code index.yaml} (apiVersion v1). */
public final class HelmIndex {
  private static final DateTimeFormatter RFC3339 =
      DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSSSSSSS'Z'").withZone(ZoneOffset.UTC);

  private HelmIndex() {}

  public static String render(List<PublishedChart> charts, Instant generated) {
    Map<String, List<Map<String, Object>>> entries = new TreeMap<>();
    for (PublishedChart chart : charts) {
      entries.computeIfAbsent(chart.name(), n -> new ArrayList<>()).add(entry(chart));
    }
    Map<String, Object> index = new LinkedHashMap<>();
    index.put("apiVersion", "v1");
    index.put("entries", entries);
    index.put("generated", RFC3339.format(generated));
    DumperOptions options = new DumperOptions();
    options.setDefaultFlowStyle(DumperOptions.FlowStyle.BLOCK);
    options.setIndicatorIndent(0);
    return new Yaml(options).dump(index);
  }

  private static Map<String, Object> entry(PublishedChart chart) {
    ChartMetadata m = chart.metadata();
    Map<String, Object> e = new LinkedHashMap<>();
    e.put("apiVersion", m.apiVersion());
    e.put("name", m.name());
    e.put("version", m.version());
    putIf(e, "appVersion", m.appVersion());
    putIf(e, "description", m.description());
    putIf(e, "home", m.home());
    putIf(e, "icon", m.icon());
    putIf(e, "kubeVersion", m.kubeVersion());
    e.put("type", m.type());
    if (m.deprecated()) {
      e.put("deprecated", true);
    }
    if (!m.keywords().isEmpty()) {
      e.put("keywords", m.keywords());
    }
    if (!m.sources().isEmpty()) {
      e.put("sources", m.sources());
    }
    if (!m.maintainers().isEmpty()) {
      List<Map<String, Object>> maintainers = new ArrayList<>();
      for (ChartMetadata.Maintainer x : m.maintainers()) {
        Map<String, Object> mm = new LinkedHashMap<>();
        putIf(mm, "name", x.name());
        putIf(mm, "email", x.email());
        putIf(mm, "url", x.url());
        maintainers.add(mm);
      }
      e.put("maintainers", maintainers);
    }
    if (!m.dependencies().isEmpty()) {
      List<Map<String, Object>> deps = new ArrayList<>();
      for (ChartMetadata.Dependency d : m.dependencies()) {
        Map<String, Object> dd = new LinkedHashMap<>();
        dd.put("name", d.name());
        putIf(dd, "version", d.version());
        putIf(dd, "repository", d.repository());
        putIf(dd, "condition", d.condition());
        putIf(dd, "alias", d.alias());
        if (!d.tags().isEmpty()) {
          dd.put("tags", d.tags());
        }
        deps.add(dd);
      }
      e.put("dependencies", deps);
    }
    if (!m.annotations().isEmpty()) {
      e.put("annotations", new TreeMap<>(m.annotations()));
    }
    e.put("created", RFC3339.format(chart.publishedAt()));
    e.put("digest", chart.digest());
    e.put("urls", List.of(m.name() + "-" + m.version() + ".tgz"));
    return e;
  }

  private static void putIf(Map<String, Object> map, String key, String value) {
    if (value != null && !value.isEmpty()) {
      map.put(key, value);
    }
  }
}
