package dev.runnel.market.chart.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.runnel.market.chart.Fixtures;
import dev.runnel.market.chart.Tgz;
import dev.runnel.market.chart.domain.InvalidChartException.Reason;
import java.nio.charset.StandardCharsets;
import org.assertj.core.api.AbstractThrowableAssert;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ChartArchiveReaderTest {
  private final ChartArchiveReader reader = new ChartArchiveReader(ChartLimits.DEFAULTS);

  private AbstractThrowableAssert<?, ? extends Throwable> refused(byte[] pkg, Reason reason) {
    return assertThatThrownBy(() -> reader.read(pkg))
        .isInstanceOf(InvalidChartException.class)
        .satisfies(e -> assertThat(((InvalidChartException) e).reason()).isEqualTo(reason));
  }

  @Test
  void readsAWellFormedChartInMemory() {
    ChartArchive chart = reader.read(Tgz.chart("hello", "1.2.3").bytes());
    assertThat(chart.folder()).isEqualTo("hello");
    assertThat(chart.metadata().name()).isEqualTo("hello");
    assertThat(chart.metadata().version()).isEqualTo("1.2.3");
    assertThat(chart.metadata().type()).isEqualTo("application");
    assertThat(chart.paths()).contains("Chart.yaml", "values.yaml", "templates/configmap.yaml");
    assertThat(chart.text("values.yaml")).startsWith("replicaCount: 1");
    assertThat(chart.digest()).hasSize(64).matches("[0-9a-f]+");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "nginx-22.1.1.tgz",
        "redis-23.1.1.tgz",
        "wordpress-27.0.0.tgz",
        "common-2.31.10.tgz"
      })
  void readsTheRealBitnamiCharts(String file) {
    ChartArchive chart = reader.read(Fixtures.chart(file));
    String expected = file.substring(0, file.lastIndexOf('-'));
    assertThat(chart.metadata().name()).isEqualTo(expected);
    assertThat(file).isEqualTo(expected + "-" + chart.metadata().version() + ".tgz");
    assertThat(chart.metadata().type())
        .isEqualTo(file.startsWith("common") ? "library" : "application");
    assertThat(chart.paths()).contains("Chart.yaml", "values.yaml");
  }

  @Test
  void theDigestIsTheSha256OfThePackage() {
    byte[] pkg = Fixtures.chart("nginx-22.1.1.tgz");
    assertThat(reader.read(pkg).digest()).isEqualTo(ChartArchiveReader.sha256(pkg));
  }

  @Test
  void refusesPathTraversal() {
    refused(
            Tgz.chart("evil", "1.0.0").file("evil/../../etc/cron.d/x", "boom").bytes(),
            Reason.PATH_TRAVERSAL)
        .hasMessageContaining("climbs out of its folder");
    refused(
        Tgz.chart("evil", "1.0.0").file("evil/templates/../../x", "boom").bytes(),
        Reason.PATH_TRAVERSAL);
  }

  @Test
  void refusesAbsolutePaths() {
    refused(Tgz.chart("evil", "1.0.0").file("/etc/passwd", "root").bytes(), Reason.ABSOLUTE_PATH)
        .hasMessageContaining("'/etc/passwd'");
    refused(Tgz.chart("evil", "1.0.0").file("C:/Windows/x", "root").bytes(), Reason.ABSOLUTE_PATH);
  }

  @Test
  void refusesBackslashesAndNulInNames() {
    refused(Tgz.chart("evil", "1.0.0").file("evil\\..\\x", "x").bytes(), Reason.BAD_ENTRY_NAME);
  }

  @Test
  void refusesSymlinksHardlinksAndDevices() {
    refused(
            Tgz.chart("evil", "1.0.0").symlink("evil/templates/x.yaml", "/etc/shadow").bytes(),
            Reason.LINK)
        .hasMessageContaining("link");
    refused(
        Tgz.chart("evil", "1.0.0").hardlink("evil/templates/y.yaml", "/etc/shadow").bytes(),
        Reason.LINK);
    refused(Tgz.chart("evil", "1.0.0").device("evil/null").bytes(), Reason.SPECIAL_FILE)
        .hasMessageContaining("device");
  }

  @Test
  void refusesADecompressionBomb() {
    byte[] bomb = Tgz.chart("bomb", "1.0.0").zeros("bomb/big.bin", 256L << 20).bytes();
    assertThat(bomb.length).isLessThan(1 << 20);
    refused(bomb, Reason.FILE_TOO_LARGE).hasMessageContaining("larger than 5 MiB");
  }

  @Test
  void refusesManyFilesThatTogetherExceedTheTotal() {
    Tgz many = Tgz.chart("many", "1.0.0");
    for (int i = 0; i < 10; i++) {
      many.zeros("many/files/f" + i, 4L << 20);
    }
    refused(many.bytes(), Reason.TOO_LARGE).hasMessageContaining("larger than 32 MiB");
  }

  @Test
  void refusesAHugeEntryCount() {
    Tgz many = Tgz.chart("many", "1.0.0");
    for (int i = 0; i < 5_001; i++) {
      many.file("many/files/f" + i, "");
    }
    refused(many.bytes(), Reason.TOO_MANY_ENTRIES).hasMessageContaining("more than 5000 entries");
  }

  @Test
  void stopsADecompressorThatProducesMoreThanTheLimitOutsideFiles() {
    // A tar with a valid chart followed by a gigabyte of padding after the end-of-archive marker
    // is read no further than the marker; one whose header lies about a size past the limit
    // is stopped by the per-file check before any content is read.
    ChartArchiveReader tight = new ChartArchiveReader(new ChartLimits(100, 64 * 1024, 32 * 1024));
    byte[] pkg = Tgz.chart("pad", "1.0.0").zeros("pad/fill", 60 * 1024).bytes();
    assertThatThrownBy(() -> tight.read(pkg))
        .isInstanceOf(InvalidChartException.class)
        .satisfies(e -> assertThat(((InvalidChartException) e).reason().tooLarge()).isTrue());
  }

  @Test
  void refusesWhatIsNotAGzipTar() {
    refused("just text".getBytes(StandardCharsets.UTF_8), Reason.NOT_GZIP)
        .hasMessageContaining("not gzip-compressed");
    refused(new byte[0], Reason.EMPTY).hasMessage("The chart package is empty");
    refused(
            Tgz.gzip("not a tar archive, only text".repeat(40).getBytes(StandardCharsets.UTF_8)),
            Reason.NOT_TAR)
        .hasMessageContaining("not a readable tar archive");
    refused(Tgz.gzip(new byte[0]), Reason.EMPTY);
    refused(Tgz.empty().bytes(), Reason.EMPTY).hasMessage("The chart package holds no files");
    byte[] truncated = Tgz.chart("cut", "1.0.0").bytes();
    refused(java.util.Arrays.copyOf(truncated, truncated.length / 2), Reason.NOT_TAR);
  }

  @Test
  void refusesTwoTopLevelFoldersAndLooseFiles() {
    refused(
            Tgz.chart("one", "1.0.0").file("two/values.yaml", "a: 1").bytes(),
            Reason.NOT_IN_ONE_FOLDER)
        .hasMessageContaining("'one' and 'two'");
    refused(Tgz.chart("one", "1.0.0").file("loose.yaml", "a: 1").bytes(), Reason.NOT_IN_ONE_FOLDER);
  }

  @Test
  void refusesDuplicateEntries() {
    refused(
        Tgz.chart("dup", "1.0.0").file("dup/values.yaml", "b: 2").bytes(), Reason.DUPLICATE_ENTRY);
    refused(
        Tgz.chart("dup", "1.0.0").file("dup/./values.yaml", "b: 2").bytes(),
        Reason.DUPLICATE_ENTRY);
  }

  @Test
  void refusesAMissingChartYaml() {
    refused(new Tgz().file("nochart/values.yaml", "a: 1").bytes(), Reason.MISSING_CHART_YAML)
        .hasMessageContaining("no Chart.yaml");
    refused(
        new Tgz().file("nochart/sub/Chart.yaml", "apiVersion: v2").bytes(),
        Reason.MISSING_CHART_YAML);
  }

  @Test
  void acceptsDirectoryEntriesAndDotSegments() {
    ChartArchive chart =
        reader.read(
            new Tgz()
                .dir("ok")
                .dir("ok/templates")
                .file("./ok/Chart.yaml", "apiVersion: v2\nname: ok\nversion: 0.1.0\n")
                .bytes());
    assertThat(chart.metadata().name()).isEqualTo("ok");
    assertThat(chart.paths()).containsExactly("Chart.yaml");
  }
}
