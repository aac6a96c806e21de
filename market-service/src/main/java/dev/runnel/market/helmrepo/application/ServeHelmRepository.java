package dev.runnel.market.helmrepo.application;

import dev.runnel.kit.problem.Problem;
import dev.runnel.market.catalog.domain.ChartVersions;
import dev.runnel.market.helmrepo.application.ChartsListing.Listed;
import dev.runnel.market.packages.ChartPackages;
import dev.runnel.market.packages.ChartPackages.ChartPackage;
import dev.runnel.market.shared.PrivateDirectories;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;
import tools.jackson.core.JsonGenerator;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/**
 * The market as one Helm repository over every synced repository.
 *
 * <p>Names: an app keeps its plain name in exactly one repository, the first by precedence ({@code
 * local}, then repositories in the order they were added), so adding a repository never renames a
 * chart users already pull. The same app in any other repository is listed as {@code
 * <repository>-<name>} (left out if that alias is itself some chart's name).
 *
 * <p>The index is written as JSON, which is YAML, to a private file and regenerated only when the
 * catalog changed; it is served from that file, so its size does not weigh on the heap.
 */
@Service
public class ServeHelmRepository {
  private static final Logger log = LoggerFactory.getLogger(ServeHelmRepository.class);
  private final ChartsListing listing;
  private final ChartPackages packages;
  private final JsonMapper json;
  private final Clock clock;
  private final Path dir;
  private final AtomicReference<Generated> current = new AtomicReference<>();

  record Generated(String generation, Path file) {}

  public ServeHelmRepository(
      ChartsListing listing, ChartPackages packages, JsonMapper json, Clock clock)
      throws IOException {
    this.listing = listing;
    this.packages = packages;
    this.json = json;
    this.clock = clock;
    this.dir = PrivateDirectories.create("runnel-charts-");
  }

  /** The index file, regenerated when the catalog changed since it was written. */
  public Mono<Path> index() {
    return listing
        .generation()
        .flatMap(
            generation -> {
              Generated g = current.get();
              if (g != null && g.generation().equals(generation) && Files.exists(g.file())) {
                return Mono.just(g.file());
              }
              return generate(generation);
            });
  }

  private Mono<Path> generate(String generation) {
    return listing
        .appNames()
        .flatMap(
            names ->
                Mono.using(
                    () ->
                        new Writer(Files.createTempFile(dir, "index-", ".yaml"), Set.copyOf(names)),
                    writer ->
                        listing
                            .all()
                            .publishOn(Schedulers.boundedElastic())
                            .doOnNext(writer::write)
                            .then(Mono.fromCallable(writer::finish)),
                    Writer::closeQuietly))
        .map(
            file -> {
              Generated previous = current.getAndSet(new Generated(generation, file));
              if (previous != null && !previous.file().equals(file)) {
                try {
                  Files.deleteIfExists(previous.file());
                } catch (IOException e) {
                  log.warn("could not delete an old index file: {}", e.getMessage());
                }
              }
              return file;
            });
  }

  /** Streams entries into the index file, one app group at a time. */
  private final class Writer {
    private final Path file;
    private final Set<String> appNames;
    private final OutputStream out;
    private final JsonGenerator gen;
    private final Set<String> keysWritten = new HashSet<>();
    private String app;
    private String owner;
    private String key;
    private boolean skipping;

    Writer(Path file, Set<String> appNames) throws IOException {
      this.file = file;
      this.appNames = appNames;
      this.out = Files.newOutputStream(file);
      this.gen = json.createGenerator(out);
      gen.writeStartObject();
      gen.writeStringProperty("apiVersion", "v1");
      gen.writeName("entries");
      gen.writeStartObject();
    }

    void write(Listed row) {
      if (!row.app().equals(app)) {
        app = row.app();
        owner = row.repository();
      }
      String wanted = row.repository().equals(owner) ? app : row.repository() + "-" + app;
      if (!wanted.equals(key)) {
        if (key != null && !skipping) {
          gen.writeEndArray();
        }
        key = wanted;
        skipping =
            (!row.repository().equals(owner) && appNames.contains(wanted))
                || !keysWritten.add(wanted);
        if (!skipping) {
          gen.writeName(wanted);
          gen.writeStartArray();
        }
      }
      if (skipping) {
        return;
      }
      Map<String, Object> entry =
          json.readValue(
              row.entryJson(), new TypeReference<java.util.LinkedHashMap<String, Object>>() {});
      entry.put("name", wanted);
      entry.put("urls", List.of(wanted + "-" + row.version() + ".tgz"));
      gen.writePOJO(entry);
    }

    Path finish() throws IOException {
      if (key != null && !skipping) {
        gen.writeEndArray();
      }
      gen.writeEndObject();
      gen.writeStringProperty("generated", clock.instant().toString());
      gen.writeEndObject();
      gen.close();
      out.close();
      return file;
    }

    void closeQuietly() {
      try {
        gen.close();
        out.close();
      } catch (IOException | RuntimeException e) {
        log.debug("closing the index writer: {}", e.toString());
      }
    }
  }

  /**
   * The package behind {@code <name>-<version>.tgz} as the index lists it. The split between name
   * and version is ambiguous (both may hold dashes), so every split whose right side is a version
   * is tried, shortest name first.
   */
  public Mono<ChartPackage> packageFile(String file) {
    List<String[]> candidates = new ArrayList<>();
    for (int i = file.indexOf('-'); i > 0; i = file.indexOf('-', i + 1)) {
      String version = file.substring(i + 1);
      if (ChartVersions.parse(version) != null) {
        candidates.add(new String[] {file.substring(0, i), version});
      }
    }
    return Flux.fromIterable(candidates)
        .concatMap(c -> resolve(c[0], c[1]))
        .next()
        .flatMap(t -> packages.fetch(t[0], t[1], t[2]))
        .switchIfEmpty(Mono.error(() -> Problem.notFound("Chart package", file + ".tgz")));
  }

  private Mono<String[]> resolve(String name, String version) {
    Mono<String[]> plain =
        listing
            .ownerOf(name)
            .filterWhen(owner -> listing.exists(owner, name, version))
            .map(owner -> new String[] {owner, name, version});
    Mono<String[]> alias =
        listing
            .repositoryNames()
            .filter(r -> name.startsWith(r + "-") && name.length() > r.length() + 1)
            .concatMap(
                r -> {
                  String app = name.substring(r.length() + 1);
                  return listing
                      .ownerOf(app)
                      .filter(owner -> !owner.equals(r))
                      .filterWhen(owner -> listing.exists(r, app, version))
                      .map(owner -> new String[] {r, app, version});
                })
            .next();
    return plain.switchIfEmpty(alias);
  }
}
