package dev.runnel.market.repository.application;

import dev.runnel.kit.problem.Problem;
import dev.runnel.market.MarketProperties;
import dev.runnel.market.operation.application.TrackOperations;
import dev.runnel.market.operation.domain.Operation;
import dev.runnel.market.repository.domain.ChartRepository;
import dev.runnel.market.repository.domain.InvalidRepositoryException;
import dev.runnel.market.repository.domain.RepositoryAuth;
import dev.runnel.market.repository.domain.RepositoryEvent;
import dev.runnel.market.repository.domain.RepositoryRules;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.time.Clock;
import java.time.Duration;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.stereotype.Service;
import org.springframework.transaction.reactive.TransactionalOperator;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Adds, changes, removes, lists and syncs chart repositories. Authorisation happens at the edge
 * (platform admins change repositories, everyone signed in reads).
 */
@Service
public class ManageRepositories {
  private static final Logger log = LoggerFactory.getLogger(ManageRepositories.class);
  private final Repositories repositories;
  private final SyncCatalog sync;
  private final RepositoryEvents events;
  private final CredentialCipher cipher;
  private final TrackOperations operations;
  private final TransactionalOperator tx;
  private final MarketProperties properties;
  private final Clock clock;

  public ManageRepositories(
      Repositories repositories,
      SyncCatalog sync,
      RepositoryEvents events,
      CredentialCipher cipher,
      TrackOperations operations,
      TransactionalOperator tx,
      MarketProperties properties,
      Clock clock) {
    this.repositories = repositories;
    this.sync = sync;
    this.events = events;
    this.cipher = cipher;
    this.operations = operations;
    this.tx = tx;
    this.properties = properties;
    this.clock = clock;
  }

  public Flux<ChartRepository> list() {
    return repositories.all();
  }

  public Mono<ChartRepository> get(String name) {
    return repositories
        .find(name)
        .switchIfEmpty(Mono.error(() -> Problem.notFound("Repository", name)));
  }

  /** Validates, fetches and syncs the index; stores the repository only when that succeeds. */
  public Mono<SyncCatalog.Result> add(RepositoryCommands.Add command) {
    return Mono.fromCallable(
            () ->
                ChartRepository.create(
                    RepositoryRules.name(command.name()),
                    command.settings().url(),
                    auth(command.settings(), null),
                    caPem(command.settings().caPem()),
                    interval(command.settings().syncIntervalSeconds()),
                    clock.instant()))
        .onErrorMap(InvalidRepositoryException.class, ManageRepositories::invalid)
        .flatMap(
            repository ->
                repositories
                    .find(repository.name())
                    .flatMap(
                        existing ->
                            Mono.<SyncCatalog.Result>error(
                                Problem.conflict(
                                    "A repository named '" + existing.name() + "' already exists")))
                    .switchIfEmpty(Mono.defer(() -> sync.add(repository, command.actor()))))
        .onErrorMap(
            DuplicateKeyException.class,
            e -> Problem.conflict("A repository named '" + command.name() + "' already exists"))
        .doOnNext(r -> log.info("repository '{}' added by {}", r.repository(), command.actor()));
  }

  /**
   * Replaces the settings. Credentials left out keep their stored value when the kind of
   * authentication stays the same; a sync follows (as an operation) when the URL changed.
   */
  public Mono<ChartRepository> update(RepositoryCommands.Update command) {
    return get(command.name())
        .flatMap(
            current -> {
              ChartRepository updated;
              try {
                updated =
                    current.update(
                        command.settings().url(),
                        auth(command.settings(), current.auth()),
                        caPem(command.settings().caPem()),
                        interval(command.settings().syncIntervalSeconds()),
                        clock.instant());
              } catch (InvalidRepositoryException e) {
                return Mono.error(invalid(e));
              } catch (ChartRepository.BuiltinRepositoryException e) {
                return Mono.error(Problem.conflict(e.getMessage()));
              }
              boolean moved = !updated.url().equals(current.url());
              return repositories
                  .update(updated, current.version())
                  .flatMap(
                      stored ->
                          stored
                              ? events.record(
                                  new RepositoryEvent.Updated(
                                      UUID.randomUUID(), clock.instant(), updated),
                                  command.actor())
                              : Mono.error(
                                  Problem.conflict(
                                      "Repository '"
                                          + current.name()
                                          + "' was changed by someone else; reload and retry")))
                  .then(moved ? repositories.requestSync(updated.name()) : Mono.empty())
                  .as(tx::transactional)
                  .thenReturn(updated);
            });
  }

  public Mono<Void> remove(RepositoryCommands.Remove command) {
    return get(command.name())
        .flatMap(
            current -> {
              try {
                current.refuseBuiltin("removed");
              } catch (ChartRepository.BuiltinRepositoryException e) {
                return Mono.error(Problem.conflict(e.getMessage()));
              }
              return repositories
                  .lockForSync(current.name())
                  .then(repositories.delete(current.name()))
                  .then(
                      events.record(
                          new RepositoryEvent.Removed(UUID.randomUUID(), clock.instant(), current),
                          command.actor()))
                  .as(tx::transactional)
                  .doOnSuccess(
                      v ->
                          log.info(
                              "repository '{}' removed by {}", current.name(), command.actor()));
            });
  }

  /**
   * Starts a sync now; the operation tells how it went. A retry with the same idempotency key (may
   * be null) gets the same operation.
   */
  public Mono<Operation> syncNow(String name, String actor, String idempotencyKey) {
    return get(name)
        .flatMap(
            repository ->
                operations.start(
                    "repository-sync",
                    repository.name(),
                    actor,
                    idempotencyKey,
                    sync.sync(repository.name(), actor)
                        .map(
                            r ->
                                r.status().result()
                                    + ": "
                                    + r.status().apps()
                                    + " apps, "
                                    + r.status().versions()
                                    + " versions, "
                                    + r.status().skipped()
                                    + " skipped")));
  }

  private RepositoryAuth auth(RepositoryCommands.Settings s, RepositoryAuth current) {
    boolean basic = s.username() != null && !s.username().isEmpty();
    boolean bearer = s.token() != null && !s.token().isEmpty();
    if (basic && bearer) {
      throw new InvalidRepositoryException(
          "token", "give either username and password or a token, not both");
    }
    if (!basic && s.password() != null && !s.password().isEmpty()) {
      throw new InvalidRepositoryException("username", "is required with a password");
    }
    if (basic) {
      String username = RepositoryRules.username(s.username());
      if ((s.password() == null || s.password().isEmpty())
          && current != null
          && current.kind() == RepositoryAuth.Kind.BASIC) {
        return new RepositoryAuth(RepositoryAuth.Kind.BASIC, username, current.sealedSecret());
      }
      return new RepositoryAuth(
          RepositoryAuth.Kind.BASIC,
          username,
          seal("password", RepositoryRules.secret("password", s.password())));
    }
    if (bearer) {
      return new RepositoryAuth(
          RepositoryAuth.Kind.BEARER,
          null,
          seal("token", RepositoryRules.secret("token", s.token())));
    }
    return RepositoryAuth.NONE;
  }

  private byte[] seal(String field, String secret) {
    if (!cipher.available()) {
      throw new InvalidRepositoryException(
          field,
          "cannot be stored: the market has no secret key (runnel.market.secret-key) to encrypt it"
              + " with");
    }
    return cipher.seal(secret);
  }

  private static String caPem(String raw) {
    String pem = RepositoryRules.caPem(raw);
    if (pem != null) {
      try {
        if (CertificateFactory.getInstance("X.509")
            .generateCertificates(new ByteArrayInputStream(pem.getBytes(StandardCharsets.US_ASCII)))
            .isEmpty()) {
          throw new InvalidRepositoryException("caPem", "holds no certificate");
        }
      } catch (CertificateException e) {
        throw new InvalidRepositoryException("caPem", "is not a readable PEM certificate");
      }
    }
    return pem;
  }

  private Duration interval(Long seconds) {
    Duration interval =
        seconds == null ? properties.defaultSyncInterval() : Duration.ofSeconds(seconds);
    return RepositoryRules.interval(interval);
  }

  private static Problem invalid(InvalidRepositoryException e) {
    return Problem.invalid(e.field(), e.getMessage());
  }
}
