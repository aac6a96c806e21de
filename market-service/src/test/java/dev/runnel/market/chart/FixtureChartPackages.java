package dev.runnel.market.chart;

import dev.runnel.market.chart.domain.ChartArchiveReader;
import dev.runnel.market.packages.ChartPackages;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Primary;
import reactor.core.publisher.Mono;

/**
 * The catalog's package port for tests: repository {@code fixtures} serves the shared real-world
 * packages; any other repository serves what a test {@link #put}s. Primary, so that it also wins
 * over the catalog's own implementation once both are on the classpath.
 */
public final class FixtureChartPackages implements ChartPackages {
  private final Map<String, byte[]> packages = new ConcurrentHashMap<>();
  private final AtomicInteger fetches = new AtomicInteger();

  @Override
  public Mono<ChartPackage> fetch(String repository, String name, String version) {
    return Mono.fromCallable(
        () -> {
          fetches.incrementAndGet();
          byte[] bytes = packages.get(repository + "/" + name + "/" + version);
          if (bytes == null && repository.equals("fixtures")) {
            Path file = Fixtures.helmRepo().resolve(name + "-" + version + ".tgz");
            bytes = Files.isRegularFile(file) ? Files.readAllBytes(file) : null;
          }
          return bytes == null ? null : new ChartPackage(bytes, ChartArchiveReader.sha256(bytes));
        });
  }

  public void put(String repository, String name, String version, byte[] bytes) {
    packages.put(repository + "/" + name + "/" + version, bytes);
  }

  public int fetches() {
    return fetches.get();
  }

  @TestConfiguration(proxyBeanMethods = false)
  public static class Config {
    @Bean
    @Primary
    FixtureChartPackages fixtureChartPackages() {
      return new FixtureChartPackages();
    }
  }
}
