package dev.runnel.deploy.instance.adapter.out.market;

import dev.runnel.deploy.config.DeployProperties;
import dev.runnel.deploy.instance.application.Changelogs;
import dev.runnel.deploy.instance.application.ChartSource;
import dev.runnel.deploy.instance.application.UpgradePreview.ChangeEntry;
import dev.runnel.kit.problem.Problem;
import io.github.resilience4j.reactor.timelimiter.TimeLimiterOperator;
import io.github.resilience4j.timelimiter.TimeLimiter;
import io.github.resilience4j.timelimiter.TimeLimiterConfig;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeoutException;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.stereotype.Component;
import org.springframework.web.reactive.function.client.WebClient;
import org.springframework.web.reactive.function.client.WebClientRequestException;
import reactor.core.publisher.Mono;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Chart packages from market-service: {@code GET
 * /api/market/v1/apps/{repository}/{name}/versions/{version}/package} (gzip, digest in {@code
 * X-Runnel-Chart-Digest}) and the version's details for its values schema, and the changelog
 * entries between two versions ({@code GET /api/market/v1/apps/{repository}/{name}/upgrade}). The
 * caller's token is relayed; each call has the same time limit.
 */
@Component
class MarketChartSource implements ChartSource, Changelogs {
  static final String DIGEST_HEADER = "X-Runnel-Chart-Digest";
  private static final int MAX_PACKAGE = 20 * 1024 * 1024;

  private final WebClient web;
  private final JsonMapper json;
  private final TimeLimiter limiter;

  MarketChartSource(DeployProperties properties, JsonMapper json) {
    this.web =
        WebClient.builder()
            .baseUrl(properties.marketUrl())
            .codecs(c -> c.defaultCodecs().maxInMemorySize(MAX_PACKAGE))
            .build();
    this.json = json;
    this.limiter =
        TimeLimiter.of(
            "market",
            TimeLimiterConfig.custom().timeoutDuration(properties.marketTimeout()).build());
  }

  @Override
  public Mono<ChartPackage> fetch(
      String repository, String chart, String version, String bearerToken) {
    String path = "/api/market/v1/apps/{repository}/{name}/versions/{version}";
    Mono<String> schema =
        web.get()
            .uri(path, repository, chart, version)
            .headers(h -> h.setBearerAuth(bearerToken))
            .accept(MediaType.APPLICATION_JSON)
            .retrieve()
            .onStatus(
                HttpStatusCode::isError,
                r ->
                    r.createException()
                        .map(e -> notFound(repository, chart, version, r.statusCode())))
            .bodyToMono(String.class)
            .mapNotNull(this::valuesSchema);
    Mono<ResponseEntity<byte[]>> pkg =
        web.get()
            .uri(path + "/package", repository, chart, version)
            .headers(h -> h.setBearerAuth(bearerToken))
            .retrieve()
            .onStatus(
                HttpStatusCode::isError,
                r ->
                    r.createException()
                        .map(e -> notFound(repository, chart, version, r.statusCode())))
            .toEntity(byte[].class);
    return Mono.zip(pkg, schema.map(s -> Map.of("schema", s)).defaultIfEmpty(Map.of()))
        .map(t -> verified(t.getT1(), (String) t.getT2().get("schema"), repository, chart, version))
        .transformDeferred(TimeLimiterOperator.of(limiter))
        .onErrorMap(
            TimeoutException.class,
            e -> Problem.unavailable("The app market did not answer in time; try again"))
        .onErrorMap(
            WebClientRequestException.class,
            e ->
                Problem.unavailable(
                    "The app market is unreachable: " + e.getMostSpecificCause().getMessage()));
  }

  @Override
  public Mono<List<ChangeEntry>> between(
      String repository, String chart, String from, String to, String bearerToken) {
    return web.get()
        .uri(
            b ->
                b.path("/api/market/v1/apps/{repository}/{name}/upgrade")
                    .queryParam("from", "{from}")
                    .queryParam("to", "{to}")
                    .build(repository, chart, from, to))
        .headers(h -> h.setBearerAuth(bearerToken))
        .accept(MediaType.APPLICATION_JSON)
        .retrieve()
        .onStatus(
            HttpStatusCode::isError,
            r ->
                r.createException()
                    .map(
                        e ->
                            Problem.unavailable(
                                "The app market answered "
                                    + r.statusCode().value()
                                    + " for the changelog of "
                                    + repository
                                    + "/"
                                    + chart
                                    + " from "
                                    + from
                                    + " to "
                                    + to)))
        .bodyToMono(String.class)
        .map(this::changelog)
        .transformDeferred(TimeLimiterOperator.of(limiter))
        .onErrorMap(
            TimeoutException.class,
            e -> Problem.unavailable("The app market did not answer in time"))
        .onErrorMap(
            WebClientRequestException.class,
            e ->
                Problem.unavailable(
                    "The app market is unreachable: " + e.getMostSpecificCause().getMessage()));
  }

  /** The {@code changelog} array of the market's upgrade information. */
  private List<ChangeEntry> changelog(String body) {
    JsonNode entries = json.readTree(body).path("changelog");
    if (!entries.isArray()) {
      throw Problem.unavailable("The app market's upgrade information has no changelog list");
    }
    List<ChangeEntry> out = new ArrayList<>();
    for (JsonNode e : entries) {
      List<ChangeEntry.Link> links = new ArrayList<>();
      for (JsonNode l : e.path("links")) {
        links.add(new ChangeEntry.Link(text(l, "name"), text(l, "url")));
      }
      out.add(new ChangeEntry(text(e, "version"), text(e, "kind"), text(e, "description"), links));
    }
    return out;
  }

  private static String text(JsonNode node, String field) {
    JsonNode v = node.get(field);
    return v == null || v.isNull() ? null : v.asString();
  }

  private static Throwable notFound(
      String repository, String chart, String version, HttpStatusCode status) {
    if (status.value() == 404) {
      return Problem.invalid(
          "version",
          "the market has no version " + version + " of app " + repository + "/" + chart);
    }
    if (status.value() == 401 || status.value() == 403) {
      return Problem.forbidden("The app market refused access to " + repository + "/" + chart);
    }
    return Problem.unavailable(
        "The app market answered "
            + status.value()
            + " for "
            + repository
            + "/"
            + chart
            + " "
            + version);
  }

  private String valuesSchema(String details) {
    JsonNode node = json.readTree(details);
    JsonNode schema = node.get("valuesSchema");
    if (schema == null || schema.isNull()) {
      return null;
    }
    return schema.isString() ? schema.asString() : json.writeValueAsString(schema);
  }

  private static ChartPackage verified(
      ResponseEntity<byte[]> response,
      String schema,
      String repository,
      String chart,
      String version) {
    byte[] bytes = response.getBody();
    String announced = response.getHeaders().getFirst(DIGEST_HEADER);
    if (bytes == null || bytes.length == 0) {
      throw Problem.unavailable(
          "The app market sent an empty package for " + chart + " " + version);
    }
    String actual = "sha256:" + sha256(bytes);
    if (announced == null || !announced.equalsIgnoreCase(actual)) {
      throw Problem.unavailable(
          "The package of "
              + repository
              + "/"
              + chart
              + " "
              + version
              + " does not match the digest the market announced ("
              + (announced == null ? "none" : announced)
              + "); it was not installed");
    }
    return new ChartPackage(bytes, actual, schema);
  }

  private static String sha256(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
