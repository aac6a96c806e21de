package dev.runnel.market;

import static dev.runnel.testkit.AccessMatrix.Caller.ANONYMOUS;
import static dev.runnel.testkit.AccessMatrix.Caller.PLATFORM_ADMIN;

import dev.runnel.testkit.AccessMatrix;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Who may call what on market-service: every operation of its OpenAPI document, as every kind of
 * caller. A new endpoint without a row here fails this test. The catalog is readable by everyone
 * signed in; repositories, category mappings and categories change only for platform-admin.
 */
class AccessMatrixIT extends MarketItSupport {
  private static String repository;

  /** A repository serving the fixture charts, added and synced once. */
  private String repository() {
    if (repository == null) {
      String name = uniqueName("matrix");
      addOk(name, server.url("/repo"));
      syncNow(name);
      repository = name;
    }
    return repository;
  }

  private String category() {
    Map<String, Object> created =
        web.post()
            .uri("/api/market/v1/categories")
            .headers(h -> h.setBearerAuth(admin()))
            .bodyValue(Map.of("name", "Matrix " + UUID.randomUUID()))
            .exchange()
            .expectStatus()
            .isCreated()
            .expectBody(MAP)
            .returnResult()
            .getResponseBody();
    return "/api/market/v1/categories/" + created.get("id");
  }

  /** A fresh repository per caller, for the rows that change or remove one. */
  private String freshRepository() {
    String name = uniqueName("matrix-own");
    addOk(name, server.url("/repo"));
    return "/api/market/v1/repositories/" + name;
  }

  private String operation() {
    Map<String, Object> accepted =
        web.post()
            .uri("/api/market/v1/repositories/{n}/sync", repository())
            .headers(h -> h.setBearerAuth(admin()))
            .exchange()
            .expectStatus()
            .isAccepted()
            .expectBody(MAP)
            .returnResult()
            .getResponseBody();
    return "/api/market/v1/operations/" + accepted.get("id");
  }

  private AccessMatrix matrix() {
    AccessMatrix m = new AccessMatrix();
    String app = "/api/market/v1/apps/" + repository() + "/nginx";

    m.row("GET", "/api/market/v1/categories").expect(ANONYMOUS, 401).otherwise(200);
    m.row("POST", "/api/market/v1/categories")
        .body(c -> "{\"name\":\"Matrix " + UUID.randomUUID() + "\"}")
        .expect(PLATFORM_ADMIN, 201)
        .expect(ANONYMOUS, 401)
        .otherwise(403);
    m.row("GET", "/api/market/v1/categories/{id}")
        .path(c -> category())
        .expect(ANONYMOUS, 401)
        .otherwise(200);
    m.row("PUT", "/api/market/v1/categories/{id}")
        .path(c -> category())
        .body(c -> "{\"name\":\"Renamed " + UUID.randomUUID() + "\"}")
        .expect(PLATFORM_ADMIN, 200)
        .expect(ANONYMOUS, 401)
        .otherwise(403);
    m.row("DELETE", "/api/market/v1/categories/{id}")
        .path(c -> category())
        .expect(PLATFORM_ADMIN, 204)
        .expect(ANONYMOUS, 401)
        .otherwise(403);

    m.row("GET", "/api/market/v1/category-mappings").expect(ANONYMOUS, 401).otherwise(200);
    m.row("PUT", "/api/market/v1/category-mappings")
        .body("{\"mappings\":[]}")
        .expect(PLATFORM_ADMIN, 200)
        .expect(ANONYMOUS, 401)
        .otherwise(403);

    m.row("GET", "/api/market/v1/repositories").expect(ANONYMOUS, 401).otherwise(200);
    m.row("POST", "/api/market/v1/repositories")
        .body(
            c ->
                "{\"name\":\""
                    + uniqueName("matrix-new")
                    + "\",\"url\":\""
                    + server.url("/repo")
                    + "\"}")
        .expect(PLATFORM_ADMIN, 201)
        .expect(ANONYMOUS, 401)
        .otherwise(403);
    m.row("GET", "/api/market/v1/repositories/{name}")
        .path("/api/market/v1/repositories/" + repository())
        .expect(ANONYMOUS, 401)
        .otherwise(200);
    m.row("PUT", "/api/market/v1/repositories/{name}")
        .path(c -> freshRepository())
        .body("{\"url\":\"" + server.url("/repo") + "\",\"syncIntervalSeconds\":3600}")
        .expect(PLATFORM_ADMIN, 200)
        .expect(ANONYMOUS, 401)
        .otherwise(403);
    m.row("DELETE", "/api/market/v1/repositories/{name}")
        .path(c -> freshRepository())
        .expect(PLATFORM_ADMIN, 204)
        .expect(ANONYMOUS, 401)
        .otherwise(403);
    m.row("POST", "/api/market/v1/repositories/{name}/sync")
        .path("/api/market/v1/repositories/" + repository() + "/sync")
        .expect(PLATFORM_ADMIN, 202)
        .expect(ANONYMOUS, 401)
        .otherwise(403);
    m.row("GET", "/api/market/v1/operations/{id}")
        .path(c -> operation())
        .expect(ANONYMOUS, 401)
        .otherwise(200);

    m.row("GET", "/api/market/v1/apps").expect(ANONYMOUS, 401).otherwise(200);
    m.row("GET", "/api/market/v1/apps/{repository}/{name}")
        .path(app)
        .expect(ANONYMOUS, 401)
        .otherwise(200);
    m.row("GET", "/api/market/v1/apps/{repository}/{name}/versions/{version}")
        .path(app + "/versions/22.1.1")
        .expect(ANONYMOUS, 401)
        .otherwise(200);
    m.row("GET", "/api/market/v1/apps/{repository}/{name}/versions/{version}/form")
        .path(app + "/versions/22.1.1/form")
        .expect(ANONYMOUS, 401)
        .otherwise(200);
    m.row("GET", "/api/market/v1/apps/{repository}/{name}/versions/{version}/package")
        .path(app + "/versions/22.1.1/package")
        .expect(ANONYMOUS, 401)
        .otherwise(200);
    // The fixture repository has one version per chart, so no upgrade exists: every signed-in
    // caller gets the same validation problem (UpgradeInfo is tested in ChartDetailsIT).
    m.row("GET", "/api/market/v1/apps/{repository}/{name}/upgrade")
        .path(app + "/upgrade?from=22.1.1&to=22.1.1")
        .expect(ANONYMOUS, 401)
        .otherwise(400);
    // The fixture's icon URL is on the internet, which these machines cannot reach: every signed-in
    // caller gets the same answer, the anonymous one is refused first.
    m.row("GET", "/api/market/v1/apps/{repository}/{name}/icon")
        .path(app + "/icon")
        .expect(ANONYMOUS, 401)
        .otherwise(ICON_UNREACHABLE);

    m.row("GET", "/charts/index.yaml").expect(ANONYMOUS, 401).otherwise(200);
    m.row("GET", "/charts/{file}")
        .path("/charts/nginx-22.1.1.tgz")
        .expect(ANONYMOUS, 401)
        .otherwise(200);

    m.row("GET", "/api/market/v1/charts").expect(ANONYMOUS, 401).otherwise(200);
    m.exclude(
        "POST",
        "/api/market/v1/charts",
        "multipart upload; who may publish is tested in PublishChartsIT");
    m.exclude("POST", "/api/charts", "ChartMuseum upload; tested in PublishChartsIT");
    m.exclude(
        "DELETE",
        "/api/market/v1/charts/{name}/{version}",
        "needs a published chart per caller; roles and teams are tested in PublishChartsIT");
    return m;
  }

  /** What a signed-in caller gets for an icon whose host cannot be reached: a bad gateway. */
  private static final int ICON_UNREACHABLE = 502;

  @Test
  void everyOperationHasARow() {
    matrix().assertComplete(web);
  }

  @Test
  void everyRowHoldsAndEveryDenialIsAnEvent() {
    matrix().recordsDenials(events, "market").assertHolds(web);
  }
}
