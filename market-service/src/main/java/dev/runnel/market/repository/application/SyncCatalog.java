package dev.runnel.market.repository.application;

import dev.runnel.market.MarketProperties;
import dev.runnel.market.catalog.domain.AppSummary;
import dev.runnel.market.catalog.domain.IndexEntry;
import dev.runnel.market.local.LocalCharts;
import dev.runnel.market.repository.application.RemoteFiles.Download;
import dev.runnel.market.repository.application.RemoteFiles.RemoteFileException;
import dev.runnel.market.repository.domain.ChartRepository;
import dev.runnel.market.repository.domain.IndexValidators;
import dev.runnel.market.repository.domain.RepositoryAuth;
import dev.runnel.market.repository.domain.RepositoryEvent;
import dev.runnel.market.repository.domain.SyncStatus;
import dev.runnel.market.shared.MarketProblem;
import dev.runnel.market.shared.PrivateDirectories;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Service;
import org.springframework.transaction.reactive.TransactionalOperator;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * Syncs a repository's catalog from its index: download (size- and time-limited) into a private
 * file, skip when its sha256 is unchanged, otherwise stream-parse it and replace the repository's
 * catalog in one transaction together with the status and the events. A failed sync leaves the
 * previous catalog as it was and records why.
 */
@Service
public class SyncCatalog {
  private static final Logger log = LoggerFactory.getLogger(SyncCatalog.class);
  private static final byte[] EMPTY_INDEX =
      "apiVersion: v1\nentries: {}\n".getBytes(StandardCharsets.UTF_8);

  private final Repositories repositories;
  private final CatalogStore catalog;
  private final IndexReader reader;
  private final RemoteFiles remote;
  private final RepositoryEvents events;
  private final CredentialCipher cipher;
  private final ObjectProvider<LocalCharts> localCharts;
  private final TransactionalOperator tx;
  private final MarketProperties properties;
  private final Clock clock;
  private final Path workDir;

  public SyncCatalog(
      Repositories repositories,
      CatalogStore catalog,
      IndexReader reader,
      RemoteFiles remote,
      RepositoryEvents events,
      CredentialCipher cipher,
      ObjectProvider<LocalCharts> localCharts,
      TransactionalOperator tx,
      MarketProperties properties,
      Clock clock)
      throws IOException {
    this.repositories = repositories;
    this.catalog = catalog;
    this.reader = reader;
    this.remote = remote;
    this.events = events;
    this.cipher = cipher;
    this.localCharts = localCharts;
    this.tx = tx;
    this.properties = properties;
    this.clock = clock;
    this.workDir = PrivateDirectories.create("runnel-market-");
  }

  /** The outcome of one sync. */
  public record Result(String repository, SyncStatus status, boolean changed) {}

  /**
   * Adds a repository: its first sync must succeed, and the repository, its catalog and the events
   * are stored together; when it fails, the problem says why and nothing is stored.
   */
  public Mono<Result> add(ChartRepository repository, String actor) {
    return run(repository, true, actor);
  }

  /** Syncs a stored repository; a failure is recorded in its status and returned as a problem. */
  public Mono<Result> sync(String name, String actor) {
    return repositories
        .find(name)
        .switchIfEmpty(
            Mono.error(() -> dev.runnel.kit.problem.Problem.notFound("Repository", name)))
        .flatMap(repository -> run(repository, false, actor));
  }

  private Mono<Result> run(ChartRepository repository, boolean adding, String actor) {
    Path file = workDir.resolve(repository.name() + "-" + UUID.randomUUID() + ".yaml");
    long started = System.nanoTime();
    return Mono.usingWhen(
            download(repository, file, adding),
            index -> replace(repository, index, adding, actor),
            index -> delete(file),
            (index, error) -> delete(file),
            index -> delete(file))
        .onErrorResume(error -> Mono.defer(() -> failed(repository, adding, actor, error, file)))
        .doOnNext(
            r ->
                log.info(
                    "repository '{}' sync {}: {} apps, {} versions, {} skipped in {} ms",
                    r.repository(),
                    r.status().result(),
                    r.status().apps(),
                    r.status().versions(),
                    r.status().skipped(),
                    (System.nanoTime() - started) / 1_000_000));
  }

  private Mono<Download> download(ChartRepository repository, Path file, boolean adding) {
    if (repository.builtin()) {
      LocalCharts local = localCharts.getIfAvailable();
      Mono<byte[]> index = local == null ? Mono.just(EMPTY_INDEX) : local.index();
      return index
          .defaultIfEmpty(EMPTY_INDEX)
          .publishOn(Schedulers.boundedElastic())
          .map(
              bytes -> {
                try {
                  Files.write(file, bytes);
                } catch (IOException e) {
                  throw new UncheckedIOException(e);
                }
                return new Download(file, null, sha256(bytes), bytes.length, "application/yaml");
              });
    }
    // A repository being added has no catalog yet: nothing to be conditional about.
    IndexValidators known = adding ? IndexValidators.NONE : repository.status().validators();
    return Mono.defer(
        () ->
            remote.toFileIfChanged(
                URI.create(repository.url() + "/index.yaml"),
                access(repository),
                properties.indexMaxBytes(),
                file,
                known));
  }

  /** The repository's credentials in the clear, for one download. */
  public RemoteFiles.Access access(ChartRepository repository) {
    RepositoryAuth auth = repository.auth();
    if (auth.kind() == RepositoryAuth.Kind.NONE) {
      return new RemoteFiles.Access("none", null, null, repository.caPem());
    }
    return new RemoteFiles.Access(
        auth.kindName(), auth.username(), cipher.open(auth.sealedSecret()), repository.caPem());
  }

  private Mono<Result> replace(
      ChartRepository repository, Download index, boolean adding, String actor) {
    String name = repository.name();
    // 304: the server says the index is the one the catalog was built from, without sending it.
    // Otherwise the checksum is the fallback for servers that send no validators (or new ones for
    // the same bytes); the validators just received are kept for the next time.
    if (!adding
        && (index.notModified() || index.sha256().equals(repository.status().indexSha256()))) {
      SyncStatus previous = repository.status();
      SyncStatus unchanged =
          new SyncStatus(
              clock.instant(),
              "unchanged",
              null,
              previous.indexSha256(),
              previous.apps(),
              previous.versions(),
              previous.skipped(),
              index.validators());
      return repositories
          .recordStatus(name, repository.version(), unchanged)
          .thenReturn(new Result(name, unchanged, false));
    }
    return Mono.using(
        () -> reader.open(index.file(), properties.syncBatchSize()),
        batches -> write(repository, index, batches, adding, actor),
        IndexReader.Batches::close);
  }

  private Mono<Result> write(
      ChartRepository repository,
      Download index,
      IndexReader.Batches batches,
      boolean adding,
      String actor) {
    String name = repository.name();
    Map<String, AppSummary> apps = new LinkedHashMap<>();
    AtomicInteger versions = new AtomicInteger();
    Flux<List<IndexEntry>> parsed =
        Flux.fromIterable(() -> batches).subscribeOn(Schedulers.boundedElastic());
    Mono<Void> start =
        adding
            ? repositories
                .insert(repository)
                .then(repositories.lockForSync(name))
                .then(
                    events.record(
                        new RepositoryEvent.Added(UUID.randomUUID(), clock.instant(), repository),
                        actor))
            : repositories.lockForSync(name);
    return start
        .then(catalog.clear(name))
        .thenMany(
            parsed.concatMap(
                batch -> {
                  for (IndexEntry e : batch) {
                    apps.computeIfAbsent(e.name(), k -> new AppSummary()).offer(e);
                  }
                  versions.addAndGet(batch.size());
                  return catalog.insertVersions(name, batch);
                }))
        .then(Mono.defer(() -> catalog.insertApps(name, apps.values())))
        .then(catalog.refileCategories(name))
        // Read the differences completely before writing events: on the transaction's one
        // connection, a write waits for an open result to be drained, which would never happen.
        .then(catalog.changes(name).collectList())
        .flatMapMany(Flux::fromIterable)
        .concatMap(
            change ->
                events
                    .record(
                        new RepositoryEvent.AppVersionsChanged(
                            UUID.randomUUID(),
                            clock.instant(),
                            name,
                            change.app(),
                            change.added(),
                            change.versions()),
                        actor)
                    .thenReturn(change))
        .collectList()
        .flatMap(
            changes -> {
              SyncStatus status =
                  new SyncStatus(
                      clock.instant(),
                      "synced",
                      batches.skipped() == 0
                          ? null
                          : batches.skipped()
                              + " index entries were skipped: "
                              + String.join("; ", batches.skipReasons()),
                      index.sha256(),
                      apps.size(),
                      versions.get(),
                      batches.skipped(),
                      index.validators());
              int added = 0;
              int removed = 0;
              for (CatalogStore.VersionChange c : changes) {
                if (c.added()) {
                  added += c.versions().size();
                } else {
                  removed += c.versions().size();
                }
              }
              return repositories
                  .recordStatus(name, repository.version(), status)
                  .then(
                      events.record(
                          new RepositoryEvent.Synced(
                              UUID.randomUUID(),
                              clock.instant(),
                              name,
                              status,
                              (int)
                                  changes.stream()
                                      .map(CatalogStore.VersionChange::app)
                                      .distinct()
                                      .count(),
                              added,
                              removed),
                          actor))
                  .thenReturn(new Result(name, status, true));
            })
        .as(tx::transactional);
  }

  private Mono<Result> failed(
      ChartRepository repository, boolean adding, String actor, Throwable error, Path file) {
    RuntimeException problem = problem(error);
    delete(file).subscribe();
    if (adding) {
      return Mono.error(problem);
    }
    String message = problem.getMessage();
    if (problem instanceof org.springframework.web.ErrorResponse response
        && response.getBody().getDetail() != null) {
      message = response.getBody().getDetail();
    }
    log.warn("repository '{}' sync failed: {}", repository.name(), message);
    SyncStatus previous = repository.status();
    SyncStatus status =
        new SyncStatus(
            clock.instant(),
            "failed",
            message,
            previous.indexSha256(),
            previous.apps(),
            previous.versions(),
            previous.skipped(),
            previous.validators());
    return repositories
        .recordStatus(repository.name(), repository.version(), status)
        .then(
            events.record(
                new RepositoryEvent.SyncFailed(
                    UUID.randomUUID(), clock.instant(), repository.name(), message),
                actor))
        .as(tx::transactional)
        .then(Mono.error(problem));
  }

  /** A problem that names the cause the way the API reports it. */
  static RuntimeException problem(Throwable error) {
    if (error instanceof RemoteFileException remote) {
      return switch (remote.reason()) {
        case UNREACHABLE, TIMEOUT ->
            MarketProblem.repository(
                "repository-unreachable", "Repository unreachable", remote.getMessage());
        case TLS ->
            MarketProblem.repository("repository-tls", "TLS handshake failed", remote.getMessage());
        case REFUSED_CREDENTIALS ->
            MarketProblem.repository(
                "repository-credentials", "Credentials refused", remote.getMessage());
        case NOT_FOUND, HTTP_STATUS ->
            MarketProblem.repository(
                "not-a-helm-repository",
                "Not a Helm repository",
                "Not a Helm repository: " + remote.getMessage());
        case HTML ->
            MarketProblem.repository(
                "html-instead-of-index", "HTML instead of an index", remote.getMessage());
        case TOO_LARGE ->
            MarketProblem.repository("index-too-large", "Index too large", remote.getMessage());
      };
    }
    if (error instanceof IndexReader.IndexFormatException format) {
      return MarketProblem.repository(
          "not-a-helm-repository",
          "Not a Helm repository",
          "Not a Helm repository: " + format.getMessage());
    }
    if (error instanceof RuntimeException runtime) {
      return runtime;
    }
    return new IllegalStateException(error);
  }

  private static Mono<Void> delete(Path file) {
    return Mono.<Void>fromCallable(
            () -> {
              Files.deleteIfExists(file);
              return null;
            })
        .subscribeOn(Schedulers.boundedElastic())
        .onErrorResume(
            IOException.class,
            e -> {
              log.warn("could not delete the downloaded index {}: {}", file, e.getMessage());
              return Mono.empty();
            });
  }

  static String sha256(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("the JDK has no SHA-256", e);
    }
  }
}
