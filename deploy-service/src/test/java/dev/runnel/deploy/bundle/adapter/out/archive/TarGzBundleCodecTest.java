package dev.runnel.deploy.bundle.adapter.out.archive;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.runnel.deploy.bundle.application.BundleProperties;
import dev.runnel.deploy.bundle.domain.Bundle;
import dev.runnel.deploy.bundle.domain.BundleManifest;
import dev.runnel.deploy.bundle.domain.InvalidBundleException;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;
import org.apache.commons.compress.compressors.gzip.GzipCompressorInputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorOutputStream;
import org.junit.jupiter.api.Test;
import org.springframework.util.unit.DataSize;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

class TarGzBundleCodecTest {
  static final JsonMapper JSON = JsonMapper.builder().build();
  final TarGzBundleCodec codec =
      new TarGzBundleCodec(
          JSON, new BundleProperties(DataSize.ofMegabytes(24), DataSize.ofMegabytes(1), 16));

  static byte[] chart() throws IOException {
    Map<String, byte[]> files = new LinkedHashMap<>();
    files.put("demo/Chart.yaml", "name: demo\nversion: 1.0.0\n".getBytes(StandardCharsets.UTF_8));
    files.put("demo/values.schema.json", "{\"type\":\"object\"}".getBytes(StandardCharsets.UTF_8));
    return tgz(files);
  }

  Bundle bundle() throws IOException {
    BundleManifest m =
        new BundleManifest(
            1,
            "web",
            "team-a",
            "fixtures",
            "demo",
            "1.0.0",
            "sha256:" + "0".repeat(64),
            "local",
            "team-a",
            new BundleManifest.RevisionInfo(
                2, Instant.parse("2026-01-01T00:00:00Z"), "alice", "deployed"),
            Instant.parse("2026-01-02T00:00:00Z"),
            "bob");
    return new Bundle(m, "a: 1\n", chart(), null, Map.of(2, "kind: ConfigMap\n"));
  }

  @Test
  void writtenBundlesReadBack() throws IOException {
    Bundle original = bundle();
    Bundle read = codec.read(codec.write(original));
    assertThat(read.manifest()).isEqualTo(original.manifest());
    assertThat(read.valuesYaml()).isEqualTo("a: 1\n");
    assertThat(read.chartPackage()).isEqualTo(original.chartPackage());
    assertThat(read.valuesSchema()).isEqualTo("{\"type\":\"object\"}");
    assertThat(read.manifests()).containsEntry(2, "kind: ConfigMap\n");
  }

  @Test
  void hostileEntriesAreRefusedByName() throws IOException {
    Map<String, byte[]> good = untar(codec.write(bundle()));
    refused("no gzip".getBytes(StandardCharsets.UTF_8), "is not a gzip file");
    refused(new byte[] {0x1f, (byte) 0x8b, 1, 2, 3}, "is not a readable .tar.gz");
    refused(tgz(good, file("a/../../x")), "leaves the bundle with '..'");
    refused(tgz(good, file("/etc/passwd")), "absolute path");
    refused(tgz(good, file("C:\\x")), "absolute path");
    refused(
        tgz(without(good, "values.yaml"), special("values.yaml", TarConstants.LF_SYMLINK)),
        "is a link");
    refused(
        tgz(without(good, "values.yaml"), special("values.yaml", TarConstants.LF_LINK)),
        "is a link");
    refused(tgz(good, special("manifests/revision-9.yaml", TarConstants.LF_CHR)), "device");
    refused(tgz(good, file("extra.sh")), "unknown entry 'extra.sh'");
    refused(tgz(good, file("values.yaml")), "twice");
    refused(tgz(without(good, "bundle.json")), "has no bundle.json");
    refused(tgz(without(good, "chart/demo-1.0.0.tgz")), "has no chart package");
  }

  @Test
  void bombsAndOversizedBundlesAreRefused() throws IOException {
    Map<String, byte[]> good = untar(codec.write(bundle()));
    Map<String, byte[]> many = new LinkedHashMap<>(good);
    for (int i = 3; i < 7; i++) {
      many.put("manifests/revision-" + i + ".yaml", new byte[400 * 1024]);
    }
    refused(tgz(many), "possible zip bomb");
    Map<String, byte[]> entries = new LinkedHashMap<>(good);
    for (int i = 3; i < 40; i++) {
      entries.put("manifests/revision-" + i + ".yaml", new byte[0]);
    }
    refused(tgz(entries), "more than 16 entries");
    TarGzBundleCodec small =
        new TarGzBundleCodec(
            JSON, new BundleProperties(DataSize.ofBytes(100), DataSize.ofMegabytes(1), 16));
    assertThatThrownBy(() -> small.read(codec.write(bundle())))
        .isInstanceOf(InvalidBundleException.class)
        .hasMessageContaining("bundles may be at most 100 bytes");
  }

  @Test
  void bundleJsonIsCheckedFieldByField() throws IOException {
    Map<String, byte[]> good = untar(codec.write(bundle()));
    refused(tgz(with(good, "bundle.json", "[1]".getBytes())), "not a JSON object");
    refused(tgz(with(good, "bundle.json", "{".getBytes())), "not valid JSON");
    refused(tgz(withField(good, "formatVersion", 7)), "format version 7");
    refused(
        tgz(with(good, "values.yaml", "- a\n- b\n".getBytes())), "values.yaml is not a mapping");
    refused(tgz(with(good, "values.yaml", "a: [\n".getBytes())), "values.yaml is not valid YAML");
    refused(
        tgz(with(good, "values.yaml", "a: !!java.io.File x\n".getBytes())),
        "values.yaml is not valid YAML");
    ObjectNode evil = (ObjectNode) JSON.readTree(good.get("bundle.json"));
    ((ObjectNode) evil.get("app")).put("name", "../demo");
    refused(tgz(with(good, "bundle.json", JSON.writeValueAsBytes(evil))), "app.name");
    ObjectNode other = (ObjectNode) JSON.readTree(good.get("bundle.json"));
    ((ObjectNode) other.get("app")).put("version", "2.0.0");
    refused(
        tgz(with(good, "bundle.json", JSON.writeValueAsBytes(other))),
        "has the chart package 'chart/demo-1.0.0.tgz', but bundle.json names demo 2.0.0");
    refused(tgz(withField(good, "chartDigest", "md5:abc")), "chartDigest");
    refused(
        tgz(with(good, "chart/demo-1.0.0.tgz", tgz(Map.of("other/Chart.yaml", new byte[1])))),
        "has no demo/Chart.yaml");
  }

  private void refused(byte[] archive, String message) {
    assertThatThrownBy(() -> codec.read(archive))
        .isInstanceOf(InvalidBundleException.class)
        .hasMessageContaining(message);
  }

  private static Map<String, byte[]> withField(
      Map<String, byte[]> files, String field, Object value) {
    ObjectNode json = (ObjectNode) JSON.readTree(files.get("bundle.json"));
    if (value instanceof Integer i) {
      json.put(field, i);
    } else {
      json.put(field, (String) value);
    }
    return with(files, "bundle.json", JSON.writeValueAsBytes(json));
  }

  private static Map<String, byte[]> with(Map<String, byte[]> files, String name, byte[] data) {
    Map<String, byte[]> copy = new LinkedHashMap<>(files);
    copy.put(name, data);
    return copy;
  }

  private static Map<String, byte[]> without(Map<String, byte[]> files, String name) {
    Map<String, byte[]> copy = new LinkedHashMap<>(files);
    copy.remove(name);
    return copy;
  }

  private static TarArchiveEntry file(String name) {
    return new TarArchiveEntry(name, true);
  }

  private static TarArchiveEntry special(String name, byte type) {
    TarArchiveEntry e = new TarArchiveEntry(name, type);
    if (type == TarConstants.LF_SYMLINK || type == TarConstants.LF_LINK) {
      e.setLinkName("/etc/passwd");
    }
    return e;
  }

  static byte[] tgz(Map<String, byte[]> files, TarArchiveEntry... first) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (TarArchiveOutputStream tar =
        new TarArchiveOutputStream(new GzipCompressorOutputStream(bytes))) {
      tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
      for (TarArchiveEntry e : first) {
        tar.putArchiveEntry(e);
        tar.closeArchiveEntry();
      }
      for (Map.Entry<String, byte[]> f : files.entrySet()) {
        TarArchiveEntry e = new TarArchiveEntry(f.getKey());
        e.setSize(f.getValue().length);
        tar.putArchiveEntry(e);
        tar.write(f.getValue());
        tar.closeArchiveEntry();
      }
    }
    return bytes.toByteArray();
  }

  static Map<String, byte[]> untar(byte[] tgz) throws IOException {
    Map<String, byte[]> files = new LinkedHashMap<>();
    try (TarArchiveInputStream tar =
        new TarArchiveInputStream(new GzipCompressorInputStream(new ByteArrayInputStream(tgz)))) {
      TarArchiveEntry e;
      while ((e = tar.getNextEntry()) != null) {
        files.put(e.getName(), tar.readAllBytes());
      }
    }
    return files;
  }
}
