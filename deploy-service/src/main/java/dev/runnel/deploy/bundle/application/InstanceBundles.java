package dev.runnel.deploy.bundle.application;

import dev.runnel.deploy.bundle.domain.Bundle;
import dev.runnel.deploy.bundle.domain.BundleManifest;
import dev.runnel.deploy.bundle.domain.InvalidBundleException;
import dev.runnel.deploy.instance.application.ChartSource;
import dev.runnel.deploy.instance.application.InstallCommand;
import dev.runnel.deploy.instance.application.InstanceOperations;
import dev.runnel.deploy.instance.application.InstanceQueries;
import dev.runnel.deploy.instance.application.Operations;
import dev.runnel.deploy.instance.application.Revisions;
import dev.runnel.deploy.instance.domain.Instance;
import dev.runnel.deploy.instance.domain.Operation;
import dev.runnel.deploy.instance.domain.Revision;
import dev.runnel.kit.problem.Problem;
import dev.runnel.kit.security.Caller;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.springframework.stereotype.Service;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * Export of an instance as a bundle and import of a bundle as a new instance (a clone).
 *
 * <p>Export needs a role that may change the instance (team member or admin): the user values go
 * into the bundle as they are, passwords included, because a clone without them would not run; the
 * data of rendered Secrets in the manifests is redacted, since import renders again from the chart
 * and values and never applies the bundle's manifests. Import installs through the same path as an
 * install from the market (preflight, render, apply, operation, events), with the chart package
 * from the bundle instead of the market.
 */
@Service
public class InstanceBundles {
  static final String REDACTED = "<redacted>";

  private final InstanceQueries queries;
  private final Revisions revisions;
  private final Operations operations;
  private final ChartSource charts;
  private final InstanceOperations install;
  private final BundleCodec codec;
  private final Clock clock;

  public InstanceBundles(
      InstanceQueries queries,
      Revisions revisions,
      Operations operations,
      ChartSource charts,
      InstanceOperations install,
      BundleCodec codec,
      Clock clock) {
    this.queries = queries;
    this.revisions = revisions;
    this.operations = operations;
    this.charts = charts;
    this.install = install;
    this.codec = codec;
    this.clock = clock;
  }

  /** A bundle ready to download. */
  public record Exported(String fileName, byte[] archive) {}

  public Mono<Exported> export(Caller caller, UUID id, String bearerToken) {
    return queries
        .get(caller, id)
        .doOnNext(i -> caller.requireChange(i.team(), "Instance", id))
        .flatMap(
            i ->
                revisions
                    .find(i.id(), i.revision())
                    .switchIfEmpty(
                        Mono.error(
                            () ->
                                Problem.conflict(
                                    "Instance '"
                                        + i.name()
                                        + "' has no deployed revision to export yet")))
                    .flatMap(r -> exported(caller, i, r, bearerToken)));
  }

  private Mono<Exported> exported(Caller caller, Instance i, Revision r, String bearerToken) {
    Mono<String> actor =
        r.operationId() == null
            ? Mono.just("")
            : operations.find(r.operationId()).map(Operation::actor).defaultIfEmpty("");
    return Mono.zip(actor, charts.fetch(i.repository(), i.chart(), r.chartVersion(), bearerToken))
        .publishOn(Schedulers.boundedElastic())
        .map(
            t -> {
              ChartSource.ChartPackage pkg = t.getT2();
              BundleManifest manifest =
                  new BundleManifest(
                      BundleManifest.FORMAT_VERSION,
                      i.name(),
                      i.team(),
                      i.repository(),
                      i.chart(),
                      r.chartVersion(),
                      pkg.digest(),
                      i.cluster(),
                      i.namespace(),
                      new BundleManifest.RevisionInfo(
                          r.number(), r.createdAt(), t.getT1(), r.status()),
                      clock.instant(),
                      caller.username());
              Bundle bundle =
                  new Bundle(
                      manifest,
                      r.userValues(),
                      pkg.bytes(),
                      pkg.valuesSchema(),
                      Map.of(r.number(), redactSecrets(r.manifest() + r.hooks())));
              return new Exported(
                  i.name() + "-revision-" + r.number() + ".tar.gz", codec.write(bundle));
            });
  }

  /** Checks the bundle, then installs it like an install from the market; {@code 202}. */
  public Mono<Operation> importBundle(ImportCommand c) {
    return Mono.defer(
        () -> {
          if (c.team() == null || c.team().isBlank()) {
            return Mono.error(Problem.invalid("team", "must not be blank"));
          }
          // Refused before the bundle is even read when the caller may not install there.
          c.caller().requireChange(c.team(), "Team", c.team());
          return Mono.fromCallable(() -> checked(c.bundle()))
              .subscribeOn(Schedulers.boundedElastic())
              .flatMap(
                  bundle ->
                      install.install(
                          new InstallCommand(
                              c.cluster(),
                              c.namespace(),
                              c.team(),
                              c.name(),
                              bundle.manifest().repository(),
                              bundle.manifest().chart(),
                              bundle.manifest().version(),
                              values(bundle.valuesYaml()),
                              c.caller(),
                              c.bearerToken(),
                              c.idempotencyKey()),
                          new ChartSource.ChartPackage(
                              bundle.chartPackage(),
                              bundle.manifest().chartDigest(),
                              bundle.valuesSchema())));
        });
  }

  private Bundle checked(byte[] archive) {
    if (archive == null || archive.length == 0) {
      throw Problem.invalid("bundle", "is missing: send the bundle as the file field 'bundle'");
    }
    try {
      Bundle bundle = codec.read(archive);
      String actual = "sha256:" + sha256(bundle.chartPackage());
      if (!actual.equalsIgnoreCase(bundle.manifest().chartDigest())) {
        throw new InvalidBundleException(
            "the chart package "
                + bundle.manifest().chartEntry()
                + " does not match the digest in bundle.json ("
                + bundle.manifest().chartDigest()
                + "); it was changed after export");
      }
      return bundle;
    } catch (InvalidBundleException e) {
      throw Problem.invalid("bundle", e.getMessage());
    }
  }

  private static Map<String, Object> values(String yaml) {
    try {
      return dev.runnel.deploy.instance.application.ValuesCheck.fromYaml(yaml);
    } catch (RuntimeException e) {
      throw Problem.invalid("bundle", "values.yaml is not valid YAML: " + firstLine(e));
    }
  }

  private static String firstLine(Throwable e) {
    String m = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    int nl = m.indexOf('\n');
    return nl < 0 ? m : m.substring(0, nl);
  }

  /** The manifest with every Secret's {@code data} and {@code stringData} values redacted. */
  @SuppressWarnings("unchecked")
  static String redactSecrets(String manifest) {
    org.yaml.snakeyaml.Yaml yaml =
        new org.yaml.snakeyaml.Yaml(
            new org.yaml.snakeyaml.constructor.SafeConstructor(
                new org.yaml.snakeyaml.LoaderOptions()),
            new org.yaml.snakeyaml.representer.Representer(dumper()),
            dumper());
    List<Object> docs = new ArrayList<>();
    for (Object doc : yaml.loadAll(manifest)) {
      if (doc == null) {
        continue;
      }
      if (doc instanceof Map<?, ?> m && "Secret".equals(m.get("kind"))) {
        Map<String, Object> copy = new LinkedHashMap<>((Map<String, Object>) m);
        for (String field : List.of("data", "stringData")) {
          if (copy.get(field) instanceof Map<?, ?> data) {
            Map<String, Object> hidden = new LinkedHashMap<>();
            data.keySet().forEach(k -> hidden.put(String.valueOf(k), REDACTED));
            copy.put(field, hidden);
          }
        }
        doc = copy;
      }
      docs.add(doc);
    }
    return yaml.dumpAll(docs.iterator());
  }

  private static org.yaml.snakeyaml.DumperOptions dumper() {
    org.yaml.snakeyaml.DumperOptions options = new org.yaml.snakeyaml.DumperOptions();
    options.setDefaultFlowStyle(org.yaml.snakeyaml.DumperOptions.FlowStyle.BLOCK);
    options.setExplicitStart(true);
    return options;
  }

  static String sha256(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
