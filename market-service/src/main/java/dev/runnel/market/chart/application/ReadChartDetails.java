package dev.runnel.market.chart.application;

import dev.runnel.kit.problem.Problem;
import dev.runnel.market.chart.domain.ChartArchive;
import dev.runnel.market.chart.domain.ChartArchiveReader;
import dev.runnel.market.chart.domain.ChartDetails;
import dev.runnel.market.chart.domain.ChartYaml;
import dev.runnel.market.chart.domain.InstallForm;
import dev.runnel.market.chart.domain.InvalidChartException;
import dev.runnel.market.chart.domain.SafeYaml;
import dev.runnel.market.chart.domain.UpgradeInfo;
import dev.runnel.market.packages.ChartPackages;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.semver4j.Semver;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Service;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.json.JsonMapper;

/**
 * Details, install form and upgrade information of a chart version in any repository of the
 * catalog. The package is fetched through the catalog ({@link ChartPackages}) on first request,
 * read safely, and its details are cached per package digest, so a republished version is read
 * again.
 */
@Service
public class ReadChartDetails {
  private static final Pattern REPOSITORY = Pattern.compile("[a-z0-9]([a-z0-9-]{0,62})");
  private static final Pattern NAME = Pattern.compile("[a-z0-9]([a-z0-9-]{0,62})");

  private final ObjectProvider<ChartPackages> packages;
  private final ChartDetailsCache cache;
  private final ChartArchiveReader reader;
  private final JsonMapper json;

  public ReadChartDetails(
      ObjectProvider<ChartPackages> packages,
      ChartDetailsCache cache,
      ChartArchiveReader reader,
      JsonMapper json) {
    this.packages = packages;
    this.cache = cache;
    this.reader = reader;
    this.json = json;
  }

  public Mono<ChartDetails> details(String repository, String name, String version) {
    return Mono.defer(
        () -> {
          checkCoordinates(repository, name);
          checkVersion("version", version);
          String what = repository + "/" + name + " " + version;
          // The catalog provides the packages; until it is wired in, say so rather than fail.
          ChartPackages catalog = packages.getIfAvailable();
          if (catalog == null) {
            return Mono.error(
                Problem.unavailable("The catalog cannot fetch chart packages in this deployment"));
          }
          return catalog
              .fetch(repository, name, version)
              .switchIfEmpty(Mono.error(() -> Problem.notFound("App version", what)))
              .flatMap(
                  pkg ->
                      cache
                          .find(repository, name, version, pkg.digest())
                          .switchIfEmpty(
                              Mono.fromCallable(() -> parse(what, name, version, pkg.bytes()))
                                  .subscribeOn(Schedulers.boundedElastic())
                                  .flatMap(d -> cache.save(repository, d).thenReturn(d))));
        });
  }

  public Mono<Form> form(String repository, String name, String version) {
    return details(repository, name, version).map(this::form);
  }

  public Mono<UpgradeInfo> upgrade(String repository, String name, String from, String to) {
    return Mono.defer(
        () -> {
          checkCoordinates(repository, name);
          checkVersion("from", from);
          checkVersion("to", to);
          if (!Semver.parse(to).isGreaterThan(Semver.parse(from))) {
            return Mono.error(Problem.invalid("to", "must be a later version than 'from'"));
          }
          return Mono.zip(details(repository, name, from), details(repository, name, to))
              .map(
                  both ->
                      UpgradeInfo.between(
                          both.getT1(),
                          valuesOrEmpty(both.getT1()),
                          both.getT2(),
                          valuesOrEmpty(both.getT2())));
        });
  }

  /** An install form and what got in the way of a better one. */
  public record Form(InstallForm form, List<String> warnings) {}

  Form form(ChartDetails details) {
    List<String> warnings = new ArrayList<>();
    Map<?, ?> values = null;
    if (details.values() != null) {
      try {
        Object parsed = SafeYaml.load(details.values());
        if (parsed instanceof Map<?, ?> m) {
          values = m;
        } else if (parsed != null) {
          warnings.add("values.yaml is not a mapping of settings; it is ignored");
        }
      } catch (IllegalArgumentException e) {
        warnings.add("values.yaml is not valid YAML (" + e.getMessage() + "); it is ignored");
      }
    }
    Map<?, ?> schema = null;
    if (details.valuesSchema() != null) {
      try {
        Object parsed = json.readValue(details.valuesSchema(), Object.class);
        if (parsed instanceof Map<?, ?> m) {
          schema = m;
        } else {
          warnings.add("values.schema.json is not a JSON object; the form follows values.yaml");
        }
      } catch (JacksonException e) {
        warnings.add("values.schema.json is not valid JSON; the form follows values.yaml");
      }
    }
    return new Form(InstallForm.of(schema, values), warnings);
  }

  private static Map<?, ?> valuesOrEmpty(ChartDetails details) {
    if (details.values() == null) {
      return Map.of();
    }
    try {
      return SafeYaml.load(details.values()) instanceof Map<?, ?> m ? m : Map.of();
    } catch (IllegalArgumentException e) {
      return Map.of();
    }
  }

  private ChartDetails parse(String what, String name, String version, byte[] bytes) {
    ChartArchive archive;
    try {
      archive = reader.read(bytes);
    } catch (InvalidChartException e) {
      throw ChartProblems.unreadablePackage(what, e.getMessage());
    }
    if (!archive.metadata().name().equals(name) || !archive.metadata().version().equals(version)) {
      throw ChartProblems.unreadablePackage(
          what,
          "it holds chart "
              + archive.metadata().name()
              + " "
              + archive.metadata().version()
              + " instead");
    }
    return ChartDetails.of(archive);
  }

  static void checkCoordinates(String repository, String name) {
    if (repository == null || !REPOSITORY.matcher(repository).matches()) {
      throw Problem.invalid("repository", "is not a repository name");
    }
    if (name == null || !NAME.matcher(name).matches()) {
      throw Problem.invalid("name", "is not a chart name");
    }
  }

  static void checkVersion(String field, String version) {
    if (version == null || !ChartYaml.strictSemver(version)) {
      throw Problem.invalid(field, "is not a semantic version (for example 1.4.0)");
    }
  }
}
