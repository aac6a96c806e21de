package dev.runnel.market.repository.adapter.out.index;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.runnel.market.catalog.domain.IndexEntry;
import dev.runnel.market.repository.application.IndexReader;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SnakeYamlIndexReaderTest {
  @TempDir Path dir;
  private final SnakeYamlIndexReader reader = new SnakeYamlIndexReader();

  private List<IndexEntry> readAll(IndexReader.Batches batches) {
    List<IndexEntry> all = new ArrayList<>();
    batches.forEachRemaining(all::addAll);
    return all;
  }

  private Path write(String yaml) throws IOException {
    Path file = Files.createTempFile(dir, "index", ".yaml");
    Files.writeString(file, yaml, StandardCharsets.UTF_8);
    return file;
  }

  @Test
  void readsTheFixtureRepositoryIncludingItsLibraryChart() throws IOException {
    Path fixture =
        Path.of(
            System.getProperty("runnel.fixtures", "../../shared/fixtures"),
            "helm-repo",
            "index.yaml");
    assumeTrue(Files.exists(fixture), "fixtures folder absent: " + fixture);
    try (IndexReader.Batches batches = reader.open(fixture, 2)) {
      List<IndexEntry> all = readAll(batches);
      assertThat(all)
          .extracting(IndexEntry::name)
          .containsExactlyInAnyOrder("common", "nginx", "redis", "wordpress");
      IndexEntry common =
          all.stream().filter(e -> e.name().equals("common")).findFirst().orElseThrow();
      assertThat(common.library()).isTrue();
      assertThat(common.digest()).hasSize(64);
      assertThat(common.keywords()).contains("helper");
      assertThat(batches.skipped()).isZero();
    }
  }

  @Test
  void badEntriesAreSkippedAndCountedAndTheRestKept() throws IOException {
    Path file =
        write(
            """
            apiVersion: v1
            entries:
              good:
              - name: good
                version: 1.0.0
                deprecated: true
                annotations:
                  category: Database
              - name: good
                version: 1.0.0
              - name: good
                version: not-a-version
              - name: good
              - version: 2.0.0
              - name: other
                version: 1.0.0
              - name: good
                version: v2.1
              - name: good
                version: 3.0.0-rc.1
              broken: just a string
            generated: "2026-01-01T00:00:00Z"
            """);
    try (IndexReader.Batches batches = reader.open(file, 100)) {
      List<IndexEntry> all = readAll(batches);
      assertThat(all)
          .extracting(IndexEntry::version)
          .containsExactly("1.0.0", "v2.1", "3.0.0-rc.1");
      assertThat(all.get(0).deprecated()).isTrue();
      assertThat(all.get(0).categories()).containsExactly("database");
      assertThat(all.get(2).prerelease()).isTrue();
      assertThat(batches.skipped()).isEqualTo(6);
      assertThat(batches.skipReasons())
          .anyMatch(r -> r.contains("listed twice"))
          .anyMatch(r -> r.contains("not a semantic version"))
          .anyMatch(r -> r.contains("has no version"))
          .anyMatch(r -> r.contains("has no name"))
          .anyMatch(r -> r.contains("is listed under 'good'"))
          .anyMatch(r -> r.contains("'broken' is not a list"));
    }
  }

  @Test
  void documentsThatAreNotHelmIndexesAreRefusedWithTheReason() throws IOException {
    assertThatThrownBy(
            () ->
                readAll(
                    reader.open(
                        write("apiVersion: v1\nentries:\n  a:\n  - name: \"unterminated\n"), 10)))
        .isInstanceOf(IndexReader.IndexFormatException.class)
        .hasMessageContaining("not valid YAML")
        .hasMessageContaining("line");
    assertThatThrownBy(() -> readAll(reader.open(write("- a\n- b\n"), 10)))
        .hasMessageContaining("not a map");
    assertThatThrownBy(() -> readAll(reader.open(write("apiVersion: v1\nother: 1\n"), 10)))
        .hasMessageContaining("no entries");
    assertThatThrownBy(() -> readAll(reader.open(write("entries: {}\n"), 10)))
        .hasMessageContaining("no apiVersion");
    assertThatThrownBy(() -> readAll(reader.open(write(""), 10))).hasMessageContaining("empty");
    assertThatThrownBy(
            () ->
                readAll(
                    reader.open(
                        write(
                            "apiVersion: v1\nentries:\n  a:\n  - &x {name: a, version: 1.0.0}\n"
                                + "  - *x\n"),
                        10)))
        .hasMessageContaining("aliases");
  }

  @Test
  void theLargeHistoricIndexStreamsInBatches() throws IOException {
    Path gz =
        Path.of(
            System.getProperty("runnel.fixtures", "../../shared/fixtures"),
            "catalog-index",
            "bitnami-history-index.yaml.gz");
    assumeTrue(Files.exists(gz), "fixtures folder absent: " + gz);
    Path file = dir.resolve("big.yaml");
    try (InputStream in = new GZIPInputStream(Files.newInputStream(gz))) {
      Files.copy(in, file);
    }
    int total = 0;
    int batchCount = 0;
    try (IndexReader.Batches batches = reader.open(file, 2000)) {
      while (batches.hasNext()) {
        List<IndexEntry> batch = batches.next();
        assertThat(batch.size()).isLessThanOrEqualTo(2000);
        total += batch.size();
        batchCount++;
      }
      assertThat(total + batches.skipped()).isEqualTo(33_021);
    }
    assertThat(batchCount).isGreaterThan(10);
  }
}
