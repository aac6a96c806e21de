package dev.runnel.market.repository.adapter.out.index;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.runnel.market.catalog.domain.IndexEntry;
import dev.runnel.market.repository.application.IndexReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The fast reader against the SnakeYAML reader it replaces: the same entries (values, types and key
 * order), skip counts and reasons, or the same error, for real indexes, hand-written edge cases,
 * indexes it must hand to SnakeYAML, and hostile input. Each case also says which reader must have
 * done the work, so a scanner that gave up on everything would fail here.
 */
class HelmIndexReaderTest {
  private static final Path FIXTURES =
      Path.of(System.getProperty("runnel.fixtures", "../../shared/fixtures"));

  @TempDir Path dir;
  private final HelmIndexReader fast = new HelmIndexReader();
  private final SnakeYamlIndexReader snake = new SnakeYamlIndexReader();

  /** Everything a sync takes from a reader. */
  record Outcome(
      List<IndexEntry> entries,
      List<String> shown,
      int skipped,
      List<String> reasons,
      String error,
      boolean fellBack) {}

  private static Outcome read(IndexReader reader, Path file, int batchSize) {
    List<IndexEntry> all = new ArrayList<>();
    IndexReader.Batches batches = reader.open(file, batchSize);
    try (batches) {
      while (batches.hasNext()) {
        List<IndexEntry> batch = batches.next();
        assertThat(batch).hasSizeLessThanOrEqualTo(batchSize);
        all.addAll(batch);
      }
    } catch (IndexReader.IndexFormatException e) {
      return new Outcome(List.of(), List.of(), 0, List.of(), e.getMessage(), fellBack(batches));
    }
    // toString shows key order and nesting, equals tells a Boolean from the string "true".
    List<String> shown = all.stream().map(IndexEntry::toString).toList();
    return new Outcome(
        all, shown, batches.skipped(), batches.skipReasons(), null, fellBack(batches));
  }

  private static boolean fellBack(IndexReader.Batches batches) {
    return batches instanceof HelmIndexReader.ScannedBatches s && s.fellBack();
  }

  /** Asserts both readers agree on {@code file}; returns the fast reader's outcome. */
  private Outcome same(Path file, int batchSize) {
    Outcome expected = read(snake, file, batchSize);
    Outcome actual = read(fast, file, batchSize);
    assertThat(actual.error()).isEqualTo(expected.error());
    assertThat(actual.shown()).isEqualTo(expected.shown());
    assertThat(actual.entries()).isEqualTo(expected.entries());
    assertThat(actual.skipped()).isEqualTo(expected.skipped());
    assertThat(actual.reasons()).isEqualTo(expected.reasons());
    return actual;
  }

  private Outcome scanned(String yaml) throws IOException {
    Outcome o = same(write(yaml), 2);
    assertThat(o.fellBack()).as("read without SnakeYAML:\n%s", yaml).isFalse();
    return o;
  }

  private Outcome fellBack(String yaml) throws IOException {
    Outcome o = same(write(yaml), 2);
    assertThat(o.fellBack()).as("left to SnakeYAML:\n%s", yaml).isTrue();
    return o;
  }

  private Path write(String yaml) throws IOException {
    return write(yaml.getBytes(StandardCharsets.UTF_8));
  }

  private Path write(byte[] bytes) throws IOException {
    Path file = Files.createTempFile(dir, "index", ".yaml");
    Files.write(file, bytes);
    return file;
  }

  private Path bigIndex() throws IOException {
    Path gz = FIXTURES.resolve("catalog-index/bitnami-history-index.yaml.gz");
    assumeTrue(Files.exists(gz), "fixtures folder absent: " + gz);
    Path file = dir.resolve("big.yaml");
    if (!Files.exists(file)) {
      try (InputStream in = new GZIPInputStream(Files.newInputStream(gz))) {
        Files.copy(in, file);
      }
    }
    return file;
  }

  @Test
  void theFixtureRepositoryIndexIsReadTheSameWithoutSnakeYaml() {
    Path index = FIXTURES.resolve("helm-repo/index.yaml");
    assumeTrue(Files.exists(index), "fixtures folder absent: " + index);
    Outcome o = same(index, 2);
    assertThat(o.fellBack()).isFalse();
    assertThat(o.entries()).hasSize(4);
  }

  @Test
  void theLargeHistoricIndexIsReadTheSameWithoutSnakeYaml() throws IOException {
    Outcome o = same(bigIndex(), 2000);
    assertThat(o.fellBack()).isFalse();
    assertThat(o.entries().size() + o.skipped()).isEqualTo(33_021);
  }

  @Test
  void theIndexesOfTheOtherTestsAreReadTheSame() throws IOException {
    // SnakeYamlIndexReaderTest's and the integration tests' indexes, block and flow style.
    scanned(
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
    scanned(
        "apiVersion: v1\nentries:\n  odd:\n  - name: odd\n    version: 1.0.0\n"
            + "    description: \"tab\\there, back\\\\slash, new\\nline, \\\"quoted\\\" \\\\N\"\n");
    fellBack(
        "apiVersion: v1\nentries:\n  odd:\n  - name: odd\n    version: 1.0.0\n"
            + "    urls: [\"odd-\\\"1\\\",0.tgz\", \"dir\\\\odd.tgz\"]\n");
    fellBack(
        "apiVersion: v1\nentries:\n  ok:\n  - {name: ok, version: 1.0.0}\n"
            + "  - {name: ok, version: 1.0.0}\n  - {name: ok, version: latest}\n  - {name: ok}\n"
            + "  - {version: 2.0.0}\n  - {name: ok, version: 1.2.0}\n");
    fellBack("apiVersion: v1\nentries:\n  a:\n  - {name: a, version: [\n");
    fellBack("apiVersion: v1\nentries:\n  demo:\n  - name: \"broken\n");
    fellBack("apiVersion: v1\nentries:\n  a:\n  - &x {name: a, version: 1.0.0}\n  - *x\n");
    scanned("just: a map\nof: things\n");
    scanned("apiVersion: v1\nother: 1\n");
    scanned("entries: {}\n");
    fellBack("- a\n- b\n");
    fellBack("");
  }

  @Test
  void scalarsAsHelmAndHandsWriteThem() throws IOException {
    scanned(
        """
        # generated by hand
        ---
        apiVersion: 'v1'
        entries:
          "db:tools":   # a key with a colon, quoted
          - name: 'db:tools'
            version: "1.0.0"
            description: 'it''s "quoted" # not a comment'
            appVersion: 1.0   # a comment
            home: https://example.com/a#b
            icon: a:b
            keywords: []
            maintainers: {}
            sources:
            -
            - ~
            - null
            - NULL
            - True
            - FALSE
            - 'true'
            - "\\x41\\u00e9\\U0001F600 \\t\\"\\\\\\0\\a\\b\\e\\f\\r\\v\\N\\_\\L\\P\\ "
            - plain  with  spaces
            - -1
            - ?x
            - :y
            - 日本語のチャート — ünïcödé 😀
            annotations:
              artifacthub.io/category: "Monitoring-Logging"
              category:
              empty: ""
            deprecated: "true"
            type: library
        generated: 2026-01-01T00:00:00Z
        ...
        this: is not read
        """);
  }

  @Test
  void blockScalarsWithEveryChomping() throws IOException {
    for (String indicator : List.of("|", "|-", "|+", ">", ">-", ">+")) {
      for (String body :
          List.of(
              "  one\n  two\n",
              "  one\n\n  two\n\n\n",
              "\n  one\n    more indented\n  two\n",
              "  one\n  two\n  \n    \n",
              "  # not a comment\n  one: two\n",
              "    deeper first\n    then\n",
              "  folded\n  lines\n\n  and a paragraph\n   with a space\n  end\n",
              "")) {
        scanned(
            "apiVersion: v1\nentries:\n  a:\n  - name: a\n    version: 1.0.0\n    description: "
                + indicator
                + "\n"
                + body.replaceAll("(?m)^(?=.)", "    ")
                + "    home: x\n  b:\n  - name: b\n    version: 1.0.0\n    description: "
                + indicator
                + " # comment\n"
                + body.replaceAll("(?m)^(?=.)", "    ")
                + "generated: now\n");
      }
    }
    // At the end of the file, with and without a last line break.
    scanned("apiVersion: v1\nentries: {}\nnote: |+\n  text\n\n");
    scanned("apiVersion: v1\nentries: {}\nnote: >-\n  text\n  more");
    scanned("apiVersion: v1\nentries: {}\nnote: |\n");
  }

  @Test
  void randomBlockScalarsAndPlainScalarsAgreeWithSnakeYaml() throws IOException {
    // Block scalar edge cases are easy to get subtly wrong; compare many random ones.
    Random random = new Random(42);
    String[] lines = {"", " ", "  ", "text", " lead", "a b", "# hash", "x:  y", "- item", "\""};
    String[] indicators = {"|", "|-", "|+", ">", ">-", ">+"};
    int scannedCount = 0;
    for (int round = 0; round < 400; round++) {
      StringBuilder body = new StringBuilder();
      int n = random.nextInt(6);
      for (int i = 0; i < n; i++) {
        String line = lines[random.nextInt(lines.length)];
        body.append(line.isEmpty() && random.nextBoolean() ? "" : "      ").append(line);
        body.append('\n');
      }
      String yaml =
          "apiVersion: v1\nentries:\n  a:\n  - name: a\n    version: 1.0.0\n    description: "
              + indicators[random.nextInt(indicators.length)]
              + "\n"
              + body
              + (random.nextBoolean() ? "    home: h\n" : "generated: g\n");
      Outcome o = same(write(yaml), 10);
      if (!o.fellBack()) {
        scannedCount++;
      }
    }
    assertThat(scannedCount).isGreaterThan(200);
  }

  @Test
  void quotedScalarsWrappedOverLinesAsHelmsYamlLibraryWritesThem() throws IOException {
    scanned(
        "apiVersion: v1\nentries:\n  a:\n  - name: a\n    version: 1.0.0\n"
            + "    description: \"- name: postgresql\\n  image:\\\n      \\ docker.io/x:1\\n\"\n"
            + "    home: \"folded   \n      over\n\n      three  \\\n\n      lines\"\n"
            + "    icon: 'single\n       quoted '' too'\n");
  }

  @Test
  void commentsBlankLinesAndIndentationStyles() throws IOException {
    scanned(
        """
        apiVersion: v1   # the version

        # charts
        entries:

            nested:
                -   name: nested
                    version: 2.0.0
                    keywords:
                        - a
                        # between items
                        - b
                    maintainers:
                    - name: me
                      email: me@example.com
                    -
                      name: you
                -   name: nested
                    version: 2.1.0
            empty: []
            notalist:
              name: x
            nullchart:
        serverInfo:
          contextPath: /v2
        """);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "apiVersion: v1\nentries:\n  a:\n  - name: a\n    version: 1.0.0\n    keywords: [x, y]\n",
        "apiVersion: v1\nentries:\n  a:\n  - !!map {name: a, version: 1.0.0}\n",
        "apiVersion: v1\nentries:\n  a:\n  - name: !!str a\n    version: 1.0.0\n",
        "apiVersion: v1\nentries:\n  a:\n  - &e\n    name: a\n    version: 1.0.0\n",
        "apiVersion: v1\nentries:\n  a:\n  - name: a\n    version: 1.0.0\n    description: two\n"
            + "      lines\n",
        "apiVersion: v1\nentries:\n  a:\n  - name: a\n    version: 1.0.0\n    description: \"two\n"
            + "    lines at the key's indentation\"\n",
        "apiVersion: v1\nentries:\n  a:\n  - name: a\n    version: 1.0.0\n    description: |2\n"
            + "       indented\n",
        "apiVersion: v1\nentries:\n  a:\n  - name: a\n\tversion: 1.0.0\n",
        "apiVersion: v1\r\nentries:\r\n  a:\r\n  - name: a\r\n    version: 1.0.0\r\n",
        "%YAML 1.1\n---\napiVersion: v1\nentries: {}\n",
        "\uFEFFapiVersion: v1\nentries: {}\n",
        "apiVersion: v1\nentries:\n  a:\n  - ? name\n    : a\n",
        "{apiVersion: v1, entries: {a: [{name: a, version: 1.0.0}]}}\n",
        "apiVersion: v1\nentries:\n  a:\n  - - nested\n",
        "apiVersion: v1\nentries:\n  a:\n  - name: a\n    version: 1.0.0\n   home: x\n",
      })
  void anythingOutsideTheSubsetIsLeftToSnakeYaml(String yaml) throws IOException {
    fellBack(yaml);
  }

  @Test
  void aFallbackAfterBatchesWereHandedOutDoesNotRepeatThem() throws IOException {
    Path big = bigIndex();
    Path file = dir.resolve("anchor-at-the-end.yaml");
    try (OutputStream out = Files.newOutputStream(file)) {
      Files.copy(big, out);
      // "generated" is the last root key; a tag on a value after it is outside the subset.
      out.write("extra: !!str tagged\n".getBytes(StandardCharsets.UTF_8));
    }
    Outcome o = same(file, 2000);
    assertThat(o.fellBack()).isTrue();
    assertThat(o.entries().size() + o.skipped()).isEqualTo(33_021);
  }

  @Test
  void hostileInputGivesTheSameErrors() throws IOException {
    // Aliases, deep nesting, a huge line, a truncated file, garbage.
    assertThat(fellBack("apiVersion: v1\nentries:\n  a:\n  - name: a\n    version: *v\n").error())
        .contains("aliases");
    StringBuilder deep = new StringBuilder("apiVersion: v1\nentries:\n  a:\n  - name: a\n");
    String indent = "    ";
    for (int i = 0; i < 40; i++) {
      deep.append(indent).append("k").append(i).append(":\n");
      indent += "  ";
    }
    deep.append(indent).append("leaf: 1\n");
    assertThat(fellBack(deep.toString()).error()).contains("nests deeper");
    String huge =
        "apiVersion: v1\nentries:\n  a:\n  - name: a\n    version: 1.0.0\n"
            + "    description: "
            + "x".repeat(HelmIndexScanner.MAX_LINE + 10)
            + "\n";
    Outcome longLine = fellBack(huge);
    assertThat(longLine.entries()).hasSize(1);
    Outcome notSoLong =
        scanned(
            "apiVersion: v1\nentries:\n  a:\n  - name: a\n    version: 1.0.0\n    description: "
                + "y".repeat(300_000)
                + "\n");
    assertThat(notSoLong.entries().get(0).description()).hasSize(4096);
    byte[] whole = Files.readAllBytes(FIXTURES.resolve("helm-repo/index.yaml"));
    for (int cut : new int[] {10, 100, 1000, whole.length / 2, whole.length - 3}) {
      byte[] truncated = java.util.Arrays.copyOf(whole, cut);
      same(write(truncated), 2);
    }
    Random random = new Random(7);
    byte[] garbage = new byte[4096];
    random.nextBytes(garbage);
    assertThat(same(write(garbage), 2).error()).isNotNull();
    assertThat(fellBack("apiVersion: v1\nentries:\n  a:\n  - name: a\0\n").error()).isNotNull();
    assertThat(fellBack("\u0000\u0001binary").error()).isNotNull();
  }

  @Test
  void notHelmIndexesAreRefusedWithTheSameReasons() throws IOException {
    assertThat(scanned("apiVersion: v1\nother: 1\n").error()).contains("no entries");
    assertThat(scanned("entries: {}\n").error()).contains("no apiVersion");
    assertThat(fellBack("apiVersion: v2\nentries: {}\n").error()).contains("expected 'v1'");
    assertThat(fellBack("apiVersion: v1\nentries: a string\n").error())
        .contains("not a map of charts")
        .contains("line 2");
    assertThat(fellBack("# only a comment\n").error()).isNotNull();
    assertThat(scanned("apiVersion: v1\nentries:\n").error()).isNull();
    assertThat(scanned("apiVersion: v1\nentries: ~\n").error()).isNull();
  }
}
