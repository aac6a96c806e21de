package dev.runnel.market.chart.adapter.in.web;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import dev.runnel.kit.security.Callers;
import dev.runnel.market.chart.application.ReadChartDetails;
import dev.runnel.market.chart.domain.ChangeEntry;
import dev.runnel.market.chart.domain.ChartDetails;
import dev.runnel.market.chart.domain.ChartMetadata;
import dev.runnel.market.chart.domain.FormField;
import dev.runnel.market.chart.domain.UpgradeInfo;
import java.util.List;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;

/**
 * {@code /api/market/v1/apps/{repository}/{name}}: details, install form and upgrade information of
 * chart versions. Anyone signed in reads the market.
 */
@RestController
@RequestMapping("/api/market/v1/apps/{repository}/{name}")
class ChartDetailsController {
  private final ReadChartDetails details;

  ChartDetailsController(ReadChartDetails details) {
    this.details = details;
  }

  @GetMapping("/versions/{version}")
  Mono<DetailsResponse> details(
      @PathVariable String repository, @PathVariable String name, @PathVariable String version) {
    return Callers.current()
        .then(details.details(repository, name, version))
        .map(d -> DetailsResponse.of(repository, d));
  }

  @GetMapping("/versions/{version}/form")
  Mono<FormResponse> form(
      @PathVariable String repository, @PathVariable String name, @PathVariable String version) {
    return Callers.current()
        .then(details.form(repository, name, version))
        .map(
            f ->
                new FormResponse(
                    repository,
                    name,
                    version,
                    f.form().source(),
                    f.form().fields().stream().map(FieldResponse::of).toList(),
                    f.warnings()));
  }

  @GetMapping("/upgrade")
  Mono<UpgradeResponse> upgrade(
      @PathVariable String repository,
      @PathVariable String name,
      @RequestParam String from,
      @RequestParam String to) {
    return Callers.current()
        .then(details.upgrade(repository, name, from, to))
        .map(u -> UpgradeResponse.of(repository, name, u));
  }

  record DetailsResponse(
      String repository,
      String name,
      String version,
      String appVersion,
      String description,
      String type,
      boolean installable,
      boolean deprecated,
      String home,
      String icon,
      String kubeVersion,
      List<String> keywords,
      List<String> sources,
      List<ChartMetadata.Maintainer> maintainers,
      List<ChartMetadata.Dependency> dependencies,
      List<ChartDetails.Image> images,
      List<ChangeEntry> changelog,
      String readme,
      String values,
      String valuesSchema,
      String digest) {
    static DetailsResponse of(String repository, ChartDetails d) {
      return new DetailsResponse(
          repository,
          d.name(),
          d.version(),
          d.appVersion(),
          d.description(),
          d.type(),
          !"library".equals(d.type()),
          d.deprecated(),
          d.home(),
          d.icon(),
          d.kubeVersion(),
          d.keywords(),
          d.sources(),
          d.maintainers(),
          d.dependencies(),
          d.images(),
          d.changelog(),
          d.readme(),
          d.values(),
          d.valuesSchema(),
          d.digest());
    }
  }

  record FormResponse(
      String repository,
      String name,
      String version,
      String source,
      List<FieldResponse> fields,
      List<String> warnings) {}

  @JsonInclude(JsonInclude.Include.NON_NULL)
  record FieldResponse(
      String path,
      String key,
      String type,
      String title,
      String description,
      @JsonProperty("default") Object defaultValue,
      @JsonProperty("enum") List<Object> enumValues,
      boolean required,
      Number minimum,
      Number maximum,
      Integer minLength,
      Integer maxLength,
      String pattern,
      String items,
      List<FieldResponse> fields) {
    static FieldResponse of(FormField f) {
      return new FieldResponse(
          f.path(),
          f.key(),
          f.type(),
          f.title(),
          f.description(),
          f.defaultValue(),
          f.enumValues(),
          f.required(),
          f.minimum(),
          f.maximum(),
          f.minLength(),
          f.maxLength(),
          f.pattern(),
          f.items(),
          f.fields().isEmpty() ? null : f.fields().stream().map(FieldResponse::of).toList());
    }
  }

  record UpgradeResponse(
      String repository,
      String name,
      String from,
      String to,
      List<ChangeEntry> changelog,
      List<String> valuesAdded,
      List<String> valuesRemoved) {
    static UpgradeResponse of(String repository, String name, UpgradeInfo u) {
      return new UpgradeResponse(
          repository, name, u.from(), u.to(), u.changelog(), u.valuesAdded(), u.valuesRemoved());
    }
  }
}
