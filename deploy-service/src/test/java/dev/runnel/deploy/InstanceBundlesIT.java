package dev.runnel.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.runnel.deploy.support.DeployServiceUnderTest;
import dev.runnel.testkit.TestTokens;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.security.MessageDigest;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;
import org.apache.commons.compress.compressors.gzip.GzipCompressorInputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorOutputStream;
import org.junit.jupiter.api.Test;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.http.MediaType;
import org.springframework.http.client.MultipartBodyBuilder;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.springframework.web.reactive.function.BodyInserters;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * Export of an instance as a {@code .tar.gz} bundle and import of it as a new instance in another
 * namespace; hostile bundles are refused with a problem before anything is created; viewers neither
 * export (the bundle holds the user's values) nor import.
 */
class InstanceBundlesIT extends DeployOnSandbox {
  static final String TEAM = "team-bundle";
  static final String CLONES = "team-clones";
  static final JsonMapper JSON = JsonMapper.builder().build();
  private static String instanceId;
  private static byte[] exported;

  static String member() {
    return TestTokens.get()
        .user("bea")
        .teamRole(TEAM, "team-member")
        .teamRole(CLONES, "team-member")
        .mint();
  }

  static String viewer() {
    return TestTokens.get()
        .user("val")
        .teamRole(TEAM, "team-viewer")
        .teamRole(CLONES, "team-viewer")
        .mint();
  }

  static String stranger() {
    return TestTokens.get().user("sam").teamRole("team-elsewhere", "team-admin").mint();
  }

  synchronized String instance() {
    if (instanceId == null) {
      Map<String, Object> body = new HashMap<>();
      body.put("cluster", cluster);
      body.put("namespace", TEAM);
      body.put("team", TEAM);
      body.put("name", "src-" + shortId());
      body.put("repository", "fixtures");
      body.put("chart", "nginx");
      body.put("version", "22.1.1");
      body.put("values", Map.of("replicaCount", 2));
      Map<String, Object> op =
          web.post()
              .uri("/api/deploy/v1/instances")
              .headers(h -> h.setBearerAuth(member()))
              .bodyValue(body)
              .exchange()
              .expectStatus()
              .isAccepted()
              .expectBody(new ParameterizedTypeReference<Map<String, Object>>() {})
              .returnResult()
              .getResponseBody();
      assertThat(awaitFinished((String) op.get("id"), member()).get("status"))
          .isEqualTo("succeeded");
      instanceId = (String) op.get("instanceId");
    }
    return instanceId;
  }

  synchronized byte[] exported() {
    if (exported == null) {
      exported =
          web.get()
              .uri("/api/deploy/v1/instances/{id}/export", instance())
              .headers(h -> h.setBearerAuth(member()))
              .exchange()
              .expectStatus()
              .isOk()
              .expectHeader()
              .contentType("application/gzip")
              .expectHeader()
              .value("Content-Disposition", d -> assertThat(d).contains(".tar.gz"))
              .expectBody(byte[].class)
              .returnResult()
              .getResponseBody();
    }
    return exported;
  }

  @Test
  void theBundleHoldsChartValuesManifestsAndRevision() throws Exception {
    Map<String, byte[]> entries = untar(exported());
    assertThat(entries.keySet())
        .containsExactlyInAnyOrder(
            "bundle.json", "values.yaml", "chart/nginx-22.1.1.tgz", "manifests/revision-1.yaml");
    byte[] chart =
        Files.readAllBytes(DeployServiceUnderTest.fixtureCharts().resolve("nginx-22.1.1.tgz"));
    assertThat(entries.get("chart/nginx-22.1.1.tgz")).isEqualTo(chart);
    assertThat(new String(entries.get("values.yaml"), StandardCharsets.UTF_8))
        .isEqualTo("replicaCount: 2\n");
    JsonNode json = JSON.readTree(entries.get("bundle.json"));
    assertThat(json.get("formatVersion").asInt()).isEqualTo(1);
    assertThat(json.get("app").get("name").asString()).isEqualTo("nginx");
    assertThat(json.get("app").get("version").asString()).isEqualTo("22.1.1");
    assertThat(json.get("chartDigest").asString()).isEqualTo("sha256:" + sha256(chart));
    assertThat(json.get("source").get("namespace").asString()).isEqualTo(TEAM);
    assertThat(json.get("revision").get("number").asInt()).isEqualTo(1);
    assertThat(json.get("revision").get("actor").asString()).isEqualTo("bea");
    assertThat(json.get("revision").get("status").asString()).isEqualTo("deployed");
    String manifest = new String(entries.get("manifests/revision-1.yaml"), StandardCharsets.UTF_8);
    assertThat(manifest).contains("kind: Deployment", "replicas: 2");
  }

  @Test
  void anImportedBundleBecomesAHealthyCloneInAnotherNamespace() {
    String name = "clone-" + shortId();
    Map<String, Object> op =
        importBundle(exported(), CLONES, name, member())
            .expectStatus()
            .isAccepted()
            .expectBody(new ParameterizedTypeReference<Map<String, Object>>() {})
            .returnResult()
            .getResponseBody();
    assertThat(op.get("kind")).isEqualTo("install");
    Map<String, Object> done = awaitFinished((String) op.get("id"), member());
    assertThat(done.get("status")).as("import outcome %s", done).isEqualTo("succeeded");
    String id = (String) op.get("instanceId");
    web.get()
        .uri("/api/deploy/v1/instances/{id}", id)
        .headers(h -> h.setBearerAuth(member()))
        .exchange()
        .expectStatus()
        .isOk()
        .expectBody()
        .jsonPath("$.namespace")
        .isEqualTo(CLONES)
        .jsonPath("$.health")
        .isEqualTo("Healthy")
        .jsonPath("$.chart")
        .isEqualTo("nginx");
    web.get()
        .uri("/api/deploy/v1/instances/{id}/revisions", id)
        .headers(h -> h.setBearerAuth(member()))
        .exchange()
        .expectBody()
        .jsonPath("$.items[0].values")
        .isEqualTo("replicaCount: 2\n");
    assertThat(
            sandbox
                .client()
                .apps()
                .deployments()
                .inNamespace(CLONES)
                .withName(name + "-nginx")
                .get()
                .getSpec()
                .getReplicas())
        .isEqualTo(2);
  }

  @Test
  void viewersNeitherExportNorImportAndOtherTeamsSeeNothing() {
    String id = instance();
    web.get()
        .uri("/api/deploy/v1/instances/{id}/export", id)
        .headers(h -> h.setBearerAuth(viewer()))
        .exchange()
        .expectStatus()
        .isForbidden();
    web.get()
        .uri("/api/deploy/v1/instances/{id}/export", id)
        .headers(h -> h.setBearerAuth(stranger()))
        .exchange()
        .expectStatus()
        .isNotFound();
    String name = "viewer-" + shortId();
    importBundle(exported(), CLONES, name, viewer()).expectStatus().isForbidden();
    importBundle(exported(), CLONES, name, stranger()).expectStatus().isNotFound();
    importBundle(
            exported(),
            CLONES,
            name,
            TestTokens.get().user("aud").platformRole("platform-auditor").mint())
        .expectStatus()
        .isForbidden();
    assertNotCreated(name);
  }

  @Test
  void hostileBundlesAreRefusedAndCreateNothing() throws Exception {
    Map<String, byte[]> good = untar(exported());
    refused("not a gzip".getBytes(StandardCharsets.UTF_8), "is not a gzip file");
    refused(tgz(good, entry("../x", "evil")), "leaves the bundle with '..'");
    refused(tgz(good, entry("/etc/cron.d/x", "evil")), "absolute path");
    TarArchiveEntry link = new TarArchiveEntry("values.yaml", TarConstants.LF_SYMLINK);
    link.setLinkName("/etc/passwd");
    Map<String, byte[]> withoutValues = new LinkedHashMap<>(good);
    withoutValues.remove("values.yaml");
    refused(tgz(withoutValues, new Extra(link, new byte[0])), "is a link");
    refused(tgz(good, entry("notes.txt", "hi")), "unknown entry 'notes.txt'");

    // 120 MB of zeros compress to about 120 kB: past the 96 MB unpacked limit.
    Map<String, byte[]> bomb = new LinkedHashMap<>(good);
    bomb.put("values.yaml", new byte[120 * 1024 * 1024]);
    refused(tgz(bomb), "possible zip bomb");

    Map<String, byte[]> tampered = new LinkedHashMap<>(good);
    ObjectNode json = (ObjectNode) JSON.readTree(good.get("bundle.json"));
    json.put("chartDigest", "sha256:" + sha256("another chart".getBytes(StandardCharsets.UTF_8)));
    tampered.put("bundle.json", JSON.writeValueAsBytes(json));
    refused(tgz(tampered), "does not match the digest in bundle.json");

    Map<String, byte[]> future = new LinkedHashMap<>(good);
    ObjectNode newer = (ObjectNode) JSON.readTree(good.get("bundle.json"));
    newer.put("formatVersion", 2);
    future.put("bundle.json", JSON.writeValueAsBytes(newer));
    refused(tgz(future), "format version 2");
  }

  private void refused(byte[] bundle, String detail) {
    String name = "bad-" + shortId();
    importBundle(bundle, CLONES, name, member())
        .expectStatus()
        .isBadRequest()
        .expectHeader()
        .contentType(MediaType.APPLICATION_PROBLEM_JSON)
        .expectBody()
        .jsonPath("$.detail")
        .value(d -> assertThat((String) d).contains("bundle").contains(detail));
    assertNotCreated(name);
  }

  private void assertNotCreated(String name) {
    web.get()
        .uri("/api/deploy/v1/instances?limit=200")
        .headers(h -> h.setBearerAuth(member()))
        .exchange()
        .expectStatus()
        .isOk()
        .expectBody()
        .jsonPath("$.items[?(@.name == '" + name + "')]")
        .doesNotExist();
    assertThat(
            sandbox
                .client()
                .apps()
                .deployments()
                .inNamespace(CLONES)
                .withName(name + "-nginx")
                .get())
        .isNull();
  }

  private WebTestClient.ResponseSpec importBundle(
      byte[] bundle, String team, String name, String token) {
    MultipartBodyBuilder parts = new MultipartBodyBuilder();
    parts
        .part("bundle", bundle)
        .filename("bundle.tar.gz")
        .contentType(MediaType.parseMediaType("application/gzip"));
    parts.part("cluster", cluster);
    parts.part("namespace", team);
    parts.part("team", team);
    parts.part("name", name);
    return web.post()
        .uri("/api/deploy/v1/instances/import")
        .headers(h -> h.setBearerAuth(token))
        .contentType(MediaType.MULTIPART_FORM_DATA)
        .body(BodyInserters.fromMultipartData(parts.build()))
        .exchange();
  }

  record Extra(TarArchiveEntry entry, byte[] data) {}

  static Extra entry(String name, String text) {
    return new Extra(new TarArchiveEntry(name, true), text.getBytes(StandardCharsets.UTF_8));
  }

  static byte[] tgz(Map<String, byte[]> files, Extra... extras) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (TarArchiveOutputStream tar =
        new TarArchiveOutputStream(new GzipCompressorOutputStream(bytes))) {
      tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
      for (Extra e : extras) {
        e.entry().setSize(e.data().length);
        tar.putArchiveEntry(e.entry());
        tar.write(e.data());
        tar.closeArchiveEntry();
      }
      for (Map.Entry<String, byte[]> f : files.entrySet()) {
        TarArchiveEntry entry = new TarArchiveEntry(f.getKey());
        entry.setSize(f.getValue().length);
        tar.putArchiveEntry(entry);
        tar.write(f.getValue());
        tar.closeArchiveEntry();
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return bytes.toByteArray();
  }

  static Map<String, byte[]> untar(byte[] tgz) throws IOException {
    Map<String, byte[]> files = new LinkedHashMap<>();
    try (TarArchiveInputStream tar =
        new TarArchiveInputStream(new GzipCompressorInputStream(new ByteArrayInputStream(tgz)))) {
      TarArchiveEntry e;
      while ((e = tar.getNextEntry()) != null) {
        if (e.isFile()) {
          files.put(e.getName(), tar.readAllBytes());
        }
      }
    }
    return files;
  }

  static String sha256(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
