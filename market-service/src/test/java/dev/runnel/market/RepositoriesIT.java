package dev.runnel.market;

import static org.assertj.core.api.Assertions.assertThat;

import dev.runnel.testkit.EventSchemas;
import dev.runnel.testkit.TestPostgres;
import dev.runnel.testkit.TestTokens;
import dev.runnel.testkit.TopicRecorder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;

/**
 * Repositories end to end on real PostgreSQL and Kafka, against chart repositories served over
 * loopback HTTP: add, sync, status, events, bad repositories, credentials, authorisation.
 */
class RepositoriesIT extends MarketItSupport {
  @Test
  void anAdminAddsTheFixtureRepositoryItIsSyncedAtOnceAndEveryoneCanBrowseIt() {
    String name = uniqueName("bitnami");
    Map<String, Object> added = addOk(name, server.url("/repo/"));
    assertThat(added.get("url")).isEqualTo(server.url("/repo"));
    assertThat(added.get("auth")).isEqualTo("none");
    @SuppressWarnings("unchecked")
    Map<String, Object> sync = (Map<String, Object>) added.get("sync");
    assertThat(sync).containsEntry("result", "synced").containsEntry("apps", 4);
    assertThat(sync).containsEntry("versions", 4).containsEntry("skipped", 0);

    Map<String, Object> page = get("/api/market/v1/apps?q=nginx&repository=" + name, viewer());
    assertThat(items(page)).isNotEmpty();
    assertThat(items(page).get(0))
        .containsEntry("name", "nginx")
        .containsEntry("installable", true);

    Map<String, Object> common = get("/api/market/v1/apps/" + name + "/common", viewer());
    @SuppressWarnings("unchecked")
    Map<String, Object> app = (Map<String, Object>) common.get("app");
    assertThat(app).containsEntry("library", true).containsEntry("installable", false);
    @SuppressWarnings("unchecked")
    List<Map<String, Object>> versions = (List<Map<String, Object>>) common.get("versions");
    assertThat(versions)
        .singleElement()
        .satisfies(
            v -> {
              assertThat(v).containsEntry("version", "2.31.10").containsEntry("installable", false);
              assertThat((String) v.get("digest")).startsWith("sha256:");
            });

    List<TopicRecorder.Message> published =
        events.awaitCount(
            m ->
                m.subject() != null
                    && (m.subject().equals(name) || m.subject().startsWith(name + "/")),
            6,
            WAIT);
    assertThat(published)
        .extracting(TopicRecorder.Message::type)
        .contains(
            "runnel.market.repository.added.v1",
            "runnel.market.app.version-added.v1",
            "runnel.market.repository.synced.v1");
    published.forEach(m -> EventSchemas.assertValid(m.type(), m.value()));
    assertThat(published).allSatisfy(m -> assertThat(m.header("ce_actor")).isEqualTo("admin"));
  }

  @Test
  void anOnDemandSyncIsAnOperationAndAnUnchangedIndexIsSkipped() {
    String name = uniqueName("again");
    addOk(name, server.url("/repo"));
    Map<String, Object> accepted =
        web.post()
            .uri("/api/market/v1/repositories/{n}/sync", name)
            .headers(h -> h.setBearerAuth(admin()))
            .exchange()
            .expectStatus()
            .isAccepted()
            .expectBody(MAP)
            .returnResult()
            .getResponseBody();
    assertThat(accepted).containsEntry("kind", "repository-sync").containsKey("id");
    Map<String, Object> retried =
        web.post()
            .uri("/api/market/v1/repositories/{n}/sync", name)
            .headers(h -> h.setBearerAuth(admin()))
            .header("Idempotency-Key", "sync-" + name)
            .exchange()
            .expectStatus()
            .isAccepted()
            .expectBody(MAP)
            .returnResult()
            .getResponseBody();
    web.post()
        .uri("/api/market/v1/repositories/{n}/sync", name)
        .headers(h -> h.setBearerAuth(admin()))
        .header("Idempotency-Key", "sync-" + name)
        .exchange()
        .expectStatus()
        .isAccepted()
        .expectBody()
        .jsonPath("$.id")
        .isEqualTo(retried.get("id"));
    assertThat(retried.get("id")).isNotEqualTo(accepted.get("id"));
    Map<String, Object> done = awaitOperation((String) accepted.get("id"));
    assertThat(done).containsEntry("status", "succeeded");
    assertThat((String) done.get("result")).startsWith("unchanged");
    Map<String, Object> repository = get("/api/market/v1/repositories/" + name, viewer());
    assertThat(repository.get("sync")).asString().contains("result=unchanged");
  }

  @Test
  void aResyncAsksWhetherTheIndexChangedAndANotModifiedAnswerChangesNothing() {
    String name = uniqueName("conditional");
    String path = "/" + name + "/index.yaml";
    server.put(path, index("cond", "1.0.0", "1.1.0"));
    addOk(name, server.url("/" + name));
    FixtureRepositoryServer.Seen first = last(path);
    assertThat(first.ifNoneMatch()).isNull();
    assertThat(first.status()).isEqualTo(200);
    Instant syncedAt = lastSyncAt(name);

    Map<String, Object> op = syncNow(name);
    assertThat(op).containsEntry("status", "succeeded");
    assertThat((String) op.get("result")).startsWith("unchanged: 1 apps, 2 versions");
    FixtureRepositoryServer.Seen again = last(path);
    assertThat(again.ifNoneMatch()).startsWith("\"");
    assertThat(again.ifModifiedSince()).isNotBlank();
    assertThat(again.status()).isEqualTo(304);
    assertThat(server.seen(path)).hasSize(2);
    Map<String, Object> repository = get("/api/market/v1/repositories/" + name, viewer());
    assertThat(repository.get("sync").toString())
        .contains("result=unchanged")
        .contains("versions=2");
    assertThat(lastSyncAt(name)).isAfter(syncedAt);
    assertThat(count("select count(*) from catalog_version where repository = '" + name + "'"))
        .isEqualTo(2);

    // A changed index is downloaded in full although the old validator was sent.
    server.put(path, index("cond", "1.0.0", "1.1.0", "1.2.0"));
    assertThat(syncNow(name)).containsEntry("status", "succeeded");
    FixtureRepositoryServer.Seen changed = last(path);
    assertThat(changed.ifNoneMatch()).isEqualTo(again.ifNoneMatch());
    assertThat(changed.status()).isEqualTo(200);
    assertThat(count("select count(*) from catalog_version where repository = '" + name + "'"))
        .isEqualTo(3);
    assertThat(syncNow(name).get("result")).asString().startsWith("unchanged");
    assertThat(last(path).status()).isEqualTo(304);
  }

  @Test
  void aServerWithoutValidatorsIsFoundUnchangedByTheChecksum() {
    String name = uniqueName("plain");
    addOk(name, server.url("/novalidators"));
    Map<String, Object> op = syncNow(name);
    assertThat(op).containsEntry("status", "succeeded");
    assertThat((String) op.get("result")).startsWith("unchanged");
    FixtureRepositoryServer.Seen resync = last("/novalidators/index.yaml");
    assertThat(resync.ifNoneMatch()).isNull();
    assertThat(resync.ifModifiedSince()).isNull();
    assertThat(resync.status()).isEqualTo(200);
  }

  @Test
  void newCredentialsDoNotReuseTheValidatorsObtainedWithTheOldOnes() {
    String name = uniqueName("revalidate");
    String path = "/private/index.yaml";
    add(
            name,
            Map.of(
                "url", server.url("/private"),
                "username", FixtureRepositoryServer.USER,
                "password", FixtureRepositoryServer.PASSWORD))
        .expectStatus()
        .isCreated();
    assertThat(syncNow(name)).containsEntry("status", "succeeded");
    assertThat(last(path).status()).isEqualTo(304);

    web.put()
        .uri("/api/market/v1/repositories/{n}", name)
        .headers(h -> h.setBearerAuth(admin()))
        .bodyValue(
            Map.of(
                "url", server.url("/private"),
                "username", FixtureRepositoryServer.USER,
                "password", FixtureRepositoryServer.PASSWORD))
        .exchange()
        .expectStatus()
        .isOk();
    Map<String, Object> op = syncNow(name);
    assertThat(op).containsEntry("status", "succeeded");
    assertThat((String) op.get("result")).startsWith("unchanged");
    FixtureRepositoryServer.Seen afterEdit = last(path);
    assertThat(afterEdit.ifNoneMatch()).isNull();
    assertThat(afterEdit.ifModifiedSince()).isNull();
    assertThat(afterEdit.status()).isEqualTo(200);

    assertThat(syncNow(name)).containsEntry("status", "succeeded");
    assertThat(last(path).status()).isEqualTo(304);
  }

  @Test
  void textWithTabsBackslashesNewlinesAndQuotesIsStoredAsTheIndexHasIt() {
    String name = uniqueName("escapes");
    server.put(
        "/" + name + "/index.yaml",
        "apiVersion: v1\nentries:\n  odd:\n  - name: odd\n    version: 1.0.0\n"
            + "    description: \"tab\\there, back\\\\slash, new\\nline, \\\"quoted\\\" \\\\N\"\n"
            + "    urls: [\"odd-\\\"1\\\",0.tgz\", \"dir\\\\odd.tgz\"]\n");
    addOk(name, server.url("/" + name));
    String where = " from catalog_version where repository = '" + name + "'";
    assertThat(TestPostgres.get().queryOne(DB, "select description" + where))
        .isEqualTo("tab\there, back\\slash, new\nline, \"quoted\" \\N");
    assertThat(TestPostgres.get().queryOne(DB, "select entry::json ->> 'description'" + where))
        .isEqualTo("tab\there, back\\slash, new\nline, \"quoted\" \\N");
    assertThat(TestPostgres.get().queryOne(DB, "select array_to_string(urls, '|')" + where))
        .isEqualTo("odd-\"1\",0.tgz|dir\\odd.tgz");
    assertThat(TestPostgres.get().queryOne(DB, "select app_version is null" + where))
        .isEqualTo(true);
  }

  private static FixtureRepositoryServer.Seen last(String path) {
    List<FixtureRepositoryServer.Seen> seen = server.seen(path);
    assertThat(seen).isNotEmpty();
    return seen.get(seen.size() - 1);
  }

  private Instant lastSyncAt(String name) {
    @SuppressWarnings("unchecked")
    Map<String, Object> sync =
        (Map<String, Object>) get("/api/market/v1/repositories/" + name, viewer()).get("sync");
    return Instant.parse((String) sync.get("lastSyncAt"));
  }

  @Test
  void aResyncReplacesTheCatalogPublishesTheDifferenceAndAFailedSyncKeepsIt() {
    String name = uniqueName("demo");
    String path = "/" + name + "/index.yaml";
    server.put(path, index("demo", "1.0.0", "1.1.0"));
    addOk(name, server.url("/" + name));

    server.put(path, index("demo", "1.1.0", "2.0.0", "2.1.0-beta.1"));
    Map<String, Object> op = syncNow(name);
    assertThat(op).containsEntry("status", "succeeded");
    Map<String, Object> details = get("/api/market/v1/apps/" + name + "/demo", viewer());
    @SuppressWarnings("unchecked")
    List<Map<String, Object>> versions = (List<Map<String, Object>>) details.get("versions");
    assertThat(versions)
        .extracting(v -> v.get("version"))
        .containsExactly("2.1.0-beta.1", "2.0.0", "1.1.0");
    assertThat(versions).extracting(v -> v.get("prerelease")).containsExactly(true, false, false);
    @SuppressWarnings("unchecked")
    Map<String, Object> app = (Map<String, Object>) details.get("app");
    assertThat(app).containsEntry("latestVersion", "2.0.0");

    TopicRecorder.Message added =
        events.await(
            m ->
                (name + "/demo").equals(m.subject())
                    && m.type().endsWith("version-added.v1")
                    && m.value().contains("2.0.0"),
            WAIT);
    assertThat(added.value()).contains("\"versions\":[\"2.0.0\",\"2.1.0-beta.1\"]");
    TopicRecorder.Message removed =
        events.await(
            m -> (name + "/demo").equals(m.subject()) && m.type().endsWith("version-removed.v1"),
            WAIT);
    assertThat(removed.value()).contains("\"versions\":[\"1.0.0\"]");
    EventSchemas.assertValid(added.type(), added.value());
    EventSchemas.assertValid(removed.type(), removed.value());

    server.put(path, "apiVersion: v1\nentries:\n  demo:\n  - name: \"broken\n");
    Map<String, Object> failed = syncNow(name);
    assertThat(failed).containsEntry("status", "failed");
    assertThat((String) failed.get("error")).contains("not valid YAML").contains("line");
    Map<String, Object> repository = get("/api/market/v1/repositories/" + name, viewer());
    assertThat(repository.get("sync").toString()).contains("result=failed").contains("versions=3");
    assertThat(count("select count(*) from catalog_version where repository = '" + name + "'"))
        .isEqualTo(3);
    TopicRecorder.Message syncFailed =
        events.await(m -> name.equals(m.subject()) && m.type().endsWith("sync-failed.v1"), WAIT);
    EventSchemas.assertValid(syncFailed.type(), syncFailed.value());
  }

  @Test
  void badRepositoriesAreRefusedWithTheCauseAndNothingIsStored() {
    server.put(
        "/html/index.yaml",
        "text/html; charset=utf-8",
        "<!DOCTYPE html><html><body>Welcome</body></html>".getBytes(StandardCharsets.UTF_8));
    server.put(
        "/sniffed/index.yaml",
        "application/octet-stream",
        "\n<html><head><title>Login</title></head></html>".getBytes(StandardCharsets.UTF_8));
    server.put(
        "/malformed/index.yaml", "apiVersion: v1\nentries:\n  a:\n  - {name: a, version: [\n");
    server.put("/notindex/index.yaml", "just: a map\nof: things\n");
    StringBuilder huge = new StringBuilder("apiVersion: v1\nentries:\n  big:\n");
    for (int i = 0; huge.length() < 1_200_000; i++) {
      huge.append("  - name: big\n    version: 1.0.")
          .append(i)
          .append("\n    description: ")
          .append("x".repeat(200))
          .append("\n");
    }
    server.put("/huge/index.yaml", huge.toString());
    long repositoriesBefore = count("select count(*) from chart_repository");
    long versionsBefore = count("select count(*) from catalog_version");

    record Case(String url, String type, String detail) {}
    for (Case c :
        List.of(
            new Case(server.url("/nothing-here"), "not-a-helm-repository", "404"),
            new Case(server.url("/html"), "html-instead-of-index", "HTML page"),
            new Case(server.url("/sniffed"), "html-instead-of-index", "HTML page"),
            new Case(server.url("/malformed"), "not-a-helm-repository", "not valid YAML"),
            new Case(server.url("/notindex"), "not-a-helm-repository", "no apiVersion"),
            new Case(server.url("/huge"), "index-too-large", "larger than the limit of 1 MiB"),
            new Case("http://127.0.0.1:1", "repository-unreachable", "Could not connect"),
            new Case("http://no-such-host.invalid", "repository-unreachable", "Could not"))) {
      add(uniqueName("bad"), Map.of("url", c.url()))
          .expectStatus()
          .isEqualTo(HttpStatus.UNPROCESSABLE_CONTENT)
          .expectHeader()
          .contentType(MediaType.APPLICATION_PROBLEM_JSON)
          .expectBody()
          .jsonPath("$.type")
          .isEqualTo("https://runnel.dev/problems/" + c.type())
          .jsonPath("$.detail")
          .value(d -> assertThat((String) d).as(c.url()).contains(c.detail()));
    }
    add(uniqueName("bad"), Map.of("url", "ftp://example.com/charts"))
        .expectStatus()
        .isBadRequest()
        .expectBody()
        .jsonPath("$.errors[0].field")
        .isEqualTo("url");
    add("Not A Name!", Map.of("url", server.url("/repo")))
        .expectStatus()
        .isBadRequest()
        .expectBody()
        .jsonPath("$.errors[0].field")
        .isEqualTo("name");
    add("local", Map.of("url", server.url("/repo"))).expectStatus().isBadRequest();
    add(uniqueName("bad"), Map.of("url", server.url("/repo"), "caPem", "not a certificate"))
        .expectStatus()
        .isBadRequest()
        .expectBody()
        .jsonPath("$.errors[0].field")
        .isEqualTo("caPem");
    add(uniqueName("bad"), Map.of("url", server.url("/repo"), "syncIntervalSeconds", 5))
        .expectStatus()
        .isBadRequest();

    assertThat(count("select count(*) from chart_repository")).isEqualTo(repositoriesBefore);
    assertThat(count("select count(*) from catalog_version")).isEqualTo(versionsBefore);
    web.get()
        .uri("/actuator/health/readiness")
        .exchange()
        .expectStatus()
        .isOk()
        .expectBody()
        .jsonPath("$.status")
        .isEqualTo("UP");
  }

  @Test
  void badEntriesAreSkippedAndCountedWhileTheRestIsKept() {
    String name = uniqueName("messy");
    server.put(
        "/" + name + "/index.yaml",
        "apiVersion: v1\nentries:\n  ok:\n"
            + "  - {name: ok, version: 1.0.0}\n"
            + "  - {name: ok, version: 1.0.0}\n"
            + "  - {name: ok, version: latest}\n"
            + "  - {name: ok}\n"
            + "  - {version: 2.0.0}\n"
            + "  - {name: ok, version: 1.2.0}\n");
    Map<String, Object> added = addOk(name, server.url("/" + name));
    assertThat(added.get("sync").toString())
        .contains("versions=2")
        .contains("skipped=4")
        .contains("listed twice")
        .contains("not a semantic version");
  }

  @Test
  void credentialsAreUsedStoredEncryptedAndNeverShown() {
    String name = uniqueName("private");
    add(name, Map.of("url", server.url("/private")))
        .expectStatus()
        .isEqualTo(HttpStatus.UNPROCESSABLE_CONTENT)
        .expectBody()
        .jsonPath("$.type")
        .isEqualTo("https://runnel.dev/problems/repository-credentials");
    add(name, Map.of("url", server.url("/private"), "username", "reader", "password", "wrong"))
        .expectStatus()
        .isEqualTo(HttpStatus.UNPROCESSABLE_CONTENT)
        .expectBody()
        .jsonPath("$.detail")
        .value(d -> assertThat((String) d).contains("refused the credentials"));

    String body =
        add(
                name,
                Map.of(
                    "url", server.url("/private"),
                    "username", FixtureRepositoryServer.USER,
                    "password", FixtureRepositoryServer.PASSWORD))
            .expectStatus()
            .isCreated()
            .expectBody(String.class)
            .returnResult()
            .getResponseBody();
    assertThat(body)
        .contains("\"auth\":\"basic\"")
        .contains("\"username\":\"reader\"")
        .doesNotContain(FixtureRepositoryServer.PASSWORD);
    String listed =
        web.get()
            .uri("/api/market/v1/repositories")
            .headers(h -> h.setBearerAuth(admin()))
            .exchange()
            .expectStatus()
            .isOk()
            .expectBody(String.class)
            .returnResult()
            .getResponseBody();
    assertThat(listed).contains(name).doesNotContain(FixtureRepositoryServer.PASSWORD);
    String stored =
        String.valueOf(
            TestPostgres.get()
                .queryOne(
                    DB,
                    "select encode(secret, 'escape') from chart_repository where name = '"
                        + name
                        + "'"));
    assertThat(stored).isNotBlank().doesNotContain(FixtureRepositoryServer.PASSWORD);

    // Changing other settings keeps the stored password; the package comes with the credentials.
    web.put()
        .uri("/api/market/v1/repositories/{n}", name)
        .headers(h -> h.setBearerAuth(admin()))
        .bodyValue(
            Map.of("url", server.url("/private"), "username", "reader", "syncIntervalSeconds", 600))
        .exchange()
        .expectStatus()
        .isOk()
        .expectBody()
        .jsonPath("$.syncIntervalSeconds")
        .isEqualTo(600);
    assertThat(syncNow(name)).containsEntry("status", "succeeded");
    web.get()
        .uri("/api/market/v1/apps/{r}/redis/versions/23.1.1/package", name)
        .headers(h -> h.setBearerAuth(viewer()))
        .exchange()
        .expectStatus()
        .isOk();
    events.messages().stream()
        .filter(m -> name.equals(m.subject()))
        .forEach(m -> assertThat(m.value()).doesNotContain(FixtureRepositoryServer.PASSWORD));
  }

  @Test
  void onlyPlatformAdminsChangeRepositoriesAndTheBuiltInOneStays() {
    web.post()
        .uri("/api/market/v1/repositories")
        .headers(
            h ->
                h.setBearerAuth(TestTokens.get().user("ada").teamRole("acme", "team-admin").mint()))
        .bodyValue(Map.of("name", "sneaky", "url", server.url("/repo")))
        .exchange()
        .expectStatus()
        .isForbidden();
    web.post()
        .uri("/api/market/v1/repositories/local/sync")
        .headers(
            h ->
                h.setBearerAuth(
                    TestTokens.get().user("aud").platformRole("platform-auditor").mint()))
        .exchange()
        .expectStatus()
        .isForbidden();
    web.get().uri("/api/market/v1/repositories").exchange().expectStatus().isUnauthorized();
    web.get().uri("/charts/index.yaml").exchange().expectStatus().isUnauthorized();
    web.delete()
        .uri("/api/market/v1/repositories/local")
        .headers(h -> h.setBearerAuth(admin()))
        .exchange()
        .expectStatus()
        .isEqualTo(HttpStatus.CONFLICT)
        .expectBody()
        .jsonPath("$.detail")
        .isEqualTo("The built-in repository 'local' cannot be removed");
    web.put()
        .uri("/api/market/v1/repositories/local")
        .headers(h -> h.setBearerAuth(admin()))
        .bodyValue(Map.of("url", server.url("/repo")))
        .exchange()
        .expectStatus()
        .isEqualTo(HttpStatus.CONFLICT);
    web.get()
        .uri("/api/market/v1/repositories/nope")
        .headers(h -> h.setBearerAuth(viewer()))
        .exchange()
        .expectStatus()
        .isNotFound();
  }

  @Test
  void removingARepositoryRemovesItsAppsAndSaysSo() {
    String name = uniqueName("gone");
    addOk(name, server.url("/repo"));
    web.delete()
        .uri("/api/market/v1/repositories/{n}", name)
        .headers(h -> h.setBearerAuth(admin()))
        .exchange()
        .expectStatus()
        .isNoContent();
    assertThat(count("select count(*) from catalog_app where repository = '" + name + "'"))
        .isZero();
    web.get()
        .uri("/api/market/v1/apps/{r}/nginx", name)
        .headers(h -> h.setBearerAuth(viewer()))
        .exchange()
        .expectStatus()
        .isNotFound();
    TopicRecorder.Message removed =
        events.await(m -> name.equals(m.subject()) && m.type().endsWith("removed.v1"), WAIT);
    EventSchemas.assertValid(removed.type(), removed.value());
  }

  @Test
  void anIndexWithHundredsOfAppsIsSyncedWithOneEventPerApp() {
    String name = uniqueName("many");
    StringBuilder index = new StringBuilder("apiVersion: v1\nentries:\n");
    for (int app = 0; app < 400; app++) {
      index.append("  app-").append(app).append(":\n");
      for (int v = 0; v < 3; v++) {
        index
            .append("  - {name: app-")
            .append(app)
            .append(", version: 1.")
            .append(v)
            .append(".0, description: generated app ")
            .append(app)
            .append("}\n");
      }
    }
    server.put("/" + name + "/index.yaml", index.toString());
    Map<String, Object> added = addOk(name, server.url("/" + name));
    assertThat(added.get("sync").toString()).contains("apps=400").contains("versions=1200");
    List<TopicRecorder.Message> perApp =
        events.awaitCount(
            m -> m.subject() != null && m.subject().startsWith(name + "/"), 400, WAIT);
    assertThat(perApp)
        .allSatisfy(m -> assertThat(m.type()).isEqualTo("runnel.market.app.version-added.v1"));
    assertThat(count("select count(*) from catalog_version where repository = '" + name + "'"))
        .isEqualTo(1200);
  }
}
