package dev.runnel.health;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every case of the shared fixture set ({@code ../shared/fixtures/health}, gitops-engine's own test
 * objects): each file listed in {@code expected.tsv} must be assessed as listed.
 */
class FixturesHealthTest {

  static Stream<Arguments> cases() throws IOException {
    Path folder = fixtures();
    List<Arguments> cases = new ArrayList<>();
    for (String line : Files.readAllLines(folder.resolve("expected.tsv"))) {
      if (line.isBlank() || line.startsWith("#")) {
        continue;
      }
      String[] columns = line.split("\t");
      cases.add(Arguments.of(columns[0], HealthStatus.parse(columns[1].trim())));
    }
    assertThat(cases).as("cases in expected.tsv").isNotEmpty();
    return cases.stream();
  }

  @ParameterizedTest(name = "{0} is {1}")
  @MethodSource("cases")
  void fixtureHasTheExpectedHealth(String file, HealthStatus expected) throws IOException {
    String manifest = Files.readString(fixtures().resolve(file));

    assertThat(HealthAssessor.assess(manifest))
        .as(file)
        .hasValueSatisfying(health -> assertThat(health.status()).isEqualTo(expected));
  }

  private static Path fixtures() {
    String root = System.getProperty("runnel.fixtures");
    Path folder = root == null ? null : Path.of(root, "health");
    boolean present = folder != null && Files.isRegularFile(folder.resolve("expected.tsv"));
    if (!present) {
      String why = "health fixtures not found (system property runnel.fixtures=" + root + ")";
      if ("true".equalsIgnoreCase(System.getenv("CI"))) {
        fail(why);
      }
      assumeTrue(false, why);
    }
    return folder;
  }
}
