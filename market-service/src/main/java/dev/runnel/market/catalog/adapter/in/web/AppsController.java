package dev.runnel.market.catalog.adapter.in.web;

import dev.runnel.kit.problem.Problem;
import dev.runnel.kit.security.Callers;
import dev.runnel.market.catalog.application.AppIcons;
import dev.runnel.market.catalog.application.BrowseCatalog;
import dev.runnel.market.catalog.application.CatalogQueries.AppCard;
import dev.runnel.market.catalog.application.CatalogQueries.VersionRow;
import dev.runnel.market.packages.ChartPackages;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.springframework.http.CacheControl;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;

/** {@code /api/market/v1/apps}: the catalog, its icons and packages, for anyone signed in. */
@RestController
@RequestMapping("/api/market/v1/apps")
class AppsController {
  static final String DIGEST_HEADER = "X-Runnel-Chart-Digest";
  private final BrowseCatalog catalog;
  private final AppIcons icons;
  private final ChartPackages packages;

  AppsController(BrowseCatalog catalog, AppIcons icons, ChartPackages packages) {
    this.catalog = catalog;
    this.icons = icons;
    this.packages = packages;
  }

  @GetMapping
  Mono<AppListResponse> search(
      @RequestParam(required = false) String q,
      @RequestParam(required = false) String category,
      @RequestParam(required = false) String repository,
      @RequestParam(required = false) String cursor,
      @RequestParam(defaultValue = "20") int limit) {
    return Callers.current()
        .then(catalog.search(q, category, repository, cursor, limit))
        .map(
            page ->
                new AppListResponse(
                    page.items().stream().map(AppResponse::of).toList(), page.nextCursor()));
  }

  @GetMapping("/{repository}/{name}")
  Mono<AppDetailsResponse> details(@PathVariable String repository, @PathVariable String name) {
    return Callers.current()
        .then(catalog.details(repository, name))
        .map(
            d ->
                new AppDetailsResponse(
                    AppResponse.of(d.app()),
                    d.latestEntry().get("maintainers"),
                    d.latestEntry().get("sources"),
                    d.latestEntry().get("kubeVersion"),
                    d.versions().stream().map(VersionResponse::of).toList()));
  }

  @GetMapping("/{repository}/{name}/icon")
  Mono<ResponseEntity<byte[]>> icon(@PathVariable String repository, @PathVariable String name) {
    return Callers.current()
        .then(icons.icon(repository, name))
        .map(
            icon ->
                ResponseEntity.ok()
                    .contentType(MediaType.parseMediaType(icon.contentType()))
                    .cacheControl(CacheControl.maxAge(Duration.ofDays(1)).cachePrivate())
                    .header("X-Content-Type-Options", "nosniff")
                    // An SVG icon is a document: it must not run scripts if opened directly.
                    .header(
                        "Content-Security-Policy",
                        "default-src 'none'; style-src 'unsafe-inline'; sandbox")
                    .body(icon.bytes()));
  }

  @GetMapping("/{repository}/{name}/versions/{version}/package")
  Mono<ResponseEntity<byte[]>> pkg(
      @PathVariable String repository, @PathVariable String name, @PathVariable String version) {
    return Callers.current()
        .then(packages.fetch(repository, name, version))
        .switchIfEmpty(
            Mono.error(() -> Problem.notFound("Version", repository + "/" + name + " " + version)))
        .map(
            p ->
                ResponseEntity.ok()
                    .contentType(MediaType.parseMediaType("application/gzip"))
                    .header(DIGEST_HEADER, "sha256:" + p.digest())
                    .header(
                        "Content-Disposition",
                        "attachment; filename=\"" + name + "-" + version + ".tgz\"")
                    .body(p.bytes()));
  }

  record AppResponse(
      String repository,
      String name,
      String description,
      List<String> keywords,
      List<String> categories,
      String icon,
      String home,
      String latestVersion,
      String appVersion,
      boolean deprecated,
      boolean library,
      boolean installable,
      int versionCount,
      long installs) {
    static AppResponse of(AppCard a) {
      return new AppResponse(
          a.repository(),
          a.name(),
          a.description(),
          a.keywords(),
          a.categories(),
          a.hasIcon() ? "/api/market/v1/apps/" + a.repository() + "/" + a.name() + "/icon" : null,
          a.home(),
          a.latestVersion(),
          a.appVersion(),
          a.deprecated(),
          a.library(),
          !a.library(),
          a.versionCount(),
          a.installs());
    }
  }

  record AppListResponse(List<AppResponse> items, String nextCursor) {}

  record VersionResponse(
      String version,
      String appVersion,
      String description,
      Instant created,
      String digest,
      boolean prerelease,
      boolean deprecated,
      boolean installable) {
    static VersionResponse of(VersionRow v) {
      return new VersionResponse(
          v.version(),
          v.appVersion(),
          v.description(),
          v.created(),
          v.digest() == null ? null : "sha256:" + v.digest(),
          v.prerelease(),
          v.deprecated(),
          !v.library());
    }
  }

  record AppDetailsResponse(
      AppResponse app,
      Object maintainers,
      Object sources,
      Object kubeVersion,
      List<VersionResponse> versions) {}
}
