package dev.runnel.deploy.route.application;

import dev.runnel.deploy.instance.application.InstanceAttachments;
import dev.runnel.deploy.instance.application.InstanceQueries;
import dev.runnel.deploy.instance.application.Instances;
import dev.runnel.deploy.instance.application.Operations;
import dev.runnel.deploy.instance.domain.Instance;
import dev.runnel.deploy.instance.domain.InstanceState;
import dev.runnel.deploy.route.domain.AccessRules;
import dev.runnel.deploy.route.domain.BasicAuthUser;
import dev.runnel.deploy.route.domain.Cidrs;
import dev.runnel.deploy.route.domain.Domain;
import dev.runnel.deploy.route.domain.DomainEventType;
import dev.runnel.deploy.route.domain.Hostnames;
import dev.runnel.deploy.route.domain.InvalidRouteException;
import dev.runnel.deploy.route.domain.KubeNames;
import dev.runnel.deploy.route.domain.Rendering;
import dev.runnel.deploy.route.domain.RouteObjects;
import dev.runnel.deploy.route.domain.Tls;
import dev.runnel.kit.problem.Problem;
import dev.runnel.kit.security.Caller;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.security.crypto.bcrypt.BCryptPasswordEncoder;
import org.springframework.stereotype.Service;
import org.springframework.transaction.reactive.TransactionalOperator;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * Custom domains of instances and their access rules. Changes are synchronous (a domain is a
 * handful of small objects and nothing waits for health): every check runs before anything is
 * applied, then the objects are applied with server-side apply, then the row and its event are
 * written in one transaction. While an instance operation runs (an install, upgrade or delete),
 * domain changes of that instance are refused with 409, as a second operation would be.
 */
@Service
public class ManageDomains implements InstanceAttachments {
  private static final Logger log = LoggerFactory.getLogger(ManageDomains.class);

  /** bcrypt reads at most 72 bytes; a longer password would be silently truncated. */
  static final int MAX_PASSWORD_BYTES = 72;

  private final Domains domains;
  private final DomainCluster cluster;
  private final DomainEvents events;
  private final InstanceQueries instanceQueries;
  private final Instances instances;
  private final Operations operations;
  private final TransactionalOperator tx;
  private final Clock clock;
  private final DomainProperties settings;
  private final BCryptPasswordEncoder bcrypt;

  public ManageDomains(
      Domains domains,
      DomainCluster cluster,
      DomainEvents events,
      InstanceQueries instanceQueries,
      Instances instances,
      Operations operations,
      TransactionalOperator tx,
      Clock clock,
      DomainProperties settings) {
    this.domains = domains;
    this.cluster = cluster;
    this.events = events;
    this.instanceQueries = instanceQueries;
    this.instances = instances;
    this.operations = operations;
    this.tx = tx;
    this.clock = clock;
    this.settings = settings;
    this.bcrypt =
        new BCryptPasswordEncoder(
            BCryptPasswordEncoder.BCryptVersion.$2Y, settings.bcryptStrength());
  }

  // ---------------------------------------------------------------- reads

  public Mono<List<DomainView>> list(Caller caller, UUID instanceId) {
    return instanceQueries
        .get(caller, instanceId)
        .flatMap(
            instance ->
                domains
                    .forInstance(instance.id())
                    .collectList()
                    .flatMap(
                        all ->
                            all.isEmpty()
                                ? Mono.just(List.<DomainView>of())
                                : withStatus(instance, all)));
  }

  private Mono<List<DomainView>> withStatus(Instance instance, List<Domain> all) {
    return cluster
        .addresses(instance.cluster(), instance.namespace(), instance.id())
        .map(
            found ->
                all.stream()
                    .map(
                        d -> {
                          List<String> addresses = found.get(RouteObjects.key(d.host()));
                          if (addresses == null) {
                            return new DomainView(d, "missing", List.of());
                          }
                          return new DomainView(
                              d, addresses.isEmpty() ? "pending" : "ready", addresses);
                        })
                    .toList())
        .onErrorResume(
            e -> {
              log.warn(
                  "Ingress status of instance {} unavailable: {}", instance.id(), e.getMessage());
              return Mono.just(
                  all.stream().map(d -> new DomainView(d, "unknown", List.of())).toList());
            });
  }

  // ---------------------------------------------------------------- add

  public Mono<DomainView> add(Caller caller, UUID instanceId, AddDomain c) {
    return changeable(caller, instanceId)
        .flatMap(
            instance -> {
              Instant now = clock.instant();
              Domain wanted =
                  new Domain(
                      instance.id(),
                      instance.cluster(),
                      instance.namespace(),
                      Hostnames.host(c.host()),
                      KubeNames.serviceName(c.service()),
                      KubeNames.port(c.port()),
                      tls(c),
                      c.ingressClass() == null
                          ? settings.defaultIngressClass()
                          : KubeNames.subdomain("ingressClass", c.ingressClass()),
                      AccessRules.NONE,
                      Rendering.NGINX_ANNOTATIONS,
                      now,
                      now);
              return refuseBusy(instance)
                  .then(refuseTaken(caller, instance, wanted.host()))
                  .then(requirePort(instance, wanted))
                  .then(requireTlsSecret(instance, wanted))
                  .then(cluster.middlewareCrd(instance.cluster()))
                  .flatMap(
                      crd -> {
                        Domain placed =
                            wanted.withAccess(
                                AccessRules.NONE,
                                Rendering.choose(crd, wanted.ingressClass()),
                                now);
                        return place(instance, placed, caller.username());
                      });
            })
        .onErrorMap(InvalidRouteException.class, e -> Problem.invalid(e.field(), e.getMessage()));
  }

  private static Tls tls(AddDomain c) {
    boolean secret = c.tlsSecretName() != null;
    boolean issuer = c.tlsIssuer() != null;
    if (secret && issuer) {
      throw new InvalidRouteException(
          "tls", "takes either secretName or issuer, not both (cert-manager fills its own Secret)");
    }
    if (c.tlsIssuerKind() != null && !issuer) {
      throw new InvalidRouteException("tls.issuerKind", "needs tls.issuer");
    }
    if (secret) {
      return Tls.secret(c.tlsSecretName());
    }
    return issuer ? Tls.issuer(c.tlsIssuer(), c.tlsIssuerKind()) : Tls.NONE;
  }

  private Mono<DomainView> place(Instance instance, Domain d, String actor) {
    List<Map<String, Object>> objects = RouteObjects.build(d, instance.name(), d.rendering());
    String key = RouteObjects.key(d.host());
    Mono<Void> store =
        domains
            .insert(d)
            .then(events.record(DomainEventType.DOMAIN_ADDED, instance, d, actor, null))
            .as(tx::transactional);
    return cluster
        .apply(instance.cluster(), instance.namespace(), objects)
        .then(store)
        .onErrorResume(
            e ->
                // Whatever was applied goes again, so a refused or failed add leaves nothing;
                // unless a concurrent add of the same host to this instance won: the objects
                // are then its objects.
                sameInstanceHolds(e, d)
                    .flatMap(
                        ours ->
                            ours
                                ? Mono.just(0)
                                : cluster.delete(
                                    instance.cluster(), instance.namespace(), instance.id(), key))
                    .onErrorResume(
                        cleanup -> {
                          log.warn(
                              "objects of the failed domain {} of instance {} not removed: {}",
                              d.host(),
                              instance.id(),
                              cleanup.getMessage());
                          return Mono.empty();
                        })
                    .then(
                        Mono.error(
                            e instanceof DuplicateKeyException
                                ? Problem.conflict(
                                    "Host '"
                                        + d.host()
                                        + "' is already in use on cluster '"
                                        + d.cluster()
                                        + "'")
                                : e)))
        .then(
            Mono.fromRunnable(
                () ->
                    log.info(
                        "domain {} added to instance {} ({}) by {}",
                        d.host(),
                        instance.name(),
                        instance.id(),
                        actor)))
        .thenReturn(new DomainView(d, "pending", List.of()));
  }

  private Mono<Boolean> sameInstanceHolds(Throwable e, Domain d) {
    if (!(e instanceof DuplicateKeyException)) {
      return Mono.just(false);
    }
    return domains
        .holding(d.cluster(), d.host())
        .map(held -> held.instanceId().equals(d.instanceId()))
        .defaultIfEmpty(false);
  }

  // ---------------------------------------------------------------- remove

  public Mono<Void> remove(Caller caller, UUID instanceId, String host) {
    return changeable(caller, instanceId)
        .flatMap(
            instance ->
                existing(instance, host)
                    .flatMap(
                        d ->
                            refuseBusy(instance)
                                .then(
                                    cluster.delete(
                                        instance.cluster(),
                                        instance.namespace(),
                                        instance.id(),
                                        RouteObjects.key(d.host())))
                                .then(
                                    domains
                                        .delete(instance.id(), d.host())
                                        .then(
                                            events.record(
                                                DomainEventType.DOMAIN_REMOVED,
                                                instance,
                                                d,
                                                caller.username(),
                                                "removed"))
                                        .as(tx::transactional))));
  }

  // ---------------------------------------------------------------- access rules

  public Mono<DomainView> changeAccess(
      Caller caller, UUID instanceId, String host, ChangeAccess c) {
    return changeable(caller, instanceId)
        .flatMap(
            instance ->
                existing(instance, host)
                    .flatMap(
                        d -> {
                          List<String> allow =
                              Cidrs.allowlist(
                                  "ipAllowList", c.ipAllowList(), settings.maxAllowListEntries());
                          return users(c.basicAuth(), d.access())
                              .flatMap(
                                  users ->
                                      refuseBusy(instance)
                                          .then(cluster.middlewareCrd(instance.cluster()))
                                          .flatMap(
                                              crd ->
                                                  reapply(
                                                      instance,
                                                      d.withAccess(
                                                          new AccessRules(
                                                              allow,
                                                              users,
                                                              Boolean.TRUE.equals(
                                                                  c.wafProtected())),
                                                          Rendering.choose(crd, d.ingressClass()),
                                                          clock.instant()),
                                                      caller.username())));
                        }))
        .onErrorMap(InvalidRouteException.class, e -> Problem.invalid(e.field(), e.getMessage()));
  }

  private Mono<DomainView> reapply(Instance instance, Domain d, String actor) {
    List<Map<String, Object>> objects = RouteObjects.build(d, instance.name(), d.rendering());
    return cluster
        .apply(instance.cluster(), instance.namespace(), objects)
        .then(
            cluster.prune(
                instance.cluster(),
                instance.namespace(),
                instance.id(),
                RouteObjects.key(d.host()),
                new HashSet<>(RouteObjects.refs(objects))))
        .then(
            domains
                .update(d)
                .then(events.record(DomainEventType.ACCESS_RULES_CHANGED, instance, d, actor, null))
                .as(tx::transactional))
        .then(
            Mono.fromRunnable(
                () ->
                    log.info(
                        "access rules of domain {} of instance {} changed by {} ({})",
                        d.host(),
                        instance.id(),
                        actor,
                        d.rendering().label())))
        .thenReturn(new DomainView(d, "pending", List.of()));
  }

  /**
   * Checks the users and hashes their passwords off the event loop (bcrypt is slow on purpose). A
   * user without a password keeps the hash stored for that name.
   */
  private Mono<List<BasicAuthUser>> users(List<ChangeAccess.User> raw, AccessRules current) {
    if (raw == null || raw.isEmpty()) {
      return Mono.just(List.of());
    }
    if (raw.size() > settings.maxUsers()) {
      throw new InvalidRouteException(
          "basicAuth", "has " + raw.size() + " users; at most " + settings.maxUsers());
    }
    Map<String, String> stored = new HashMap<>();
    current.basicAuth().forEach(u -> stored.put(u.username(), u.hash()));
    Set<String> seen = new HashSet<>();
    for (int i = 0; i < raw.size(); i++) {
      ChangeAccess.User u = raw.get(i);
      String field = "basicAuth[" + i + "]";
      if (u == null) {
        throw new InvalidRouteException(field, "must be a user with username and password");
      }
      KubeNames.username(field + ".username", u.username());
      if (!seen.add(u.username())) {
        throw new InvalidRouteException(
            field + ".username", "names user '" + u.username() + "' a second time");
      }
      if (u.password() == null) {
        if (!stored.containsKey(u.username())) {
          throw new InvalidRouteException(
              field + ".password",
              "is required for the new user '" + u.username() + "' (only known users keep theirs)");
        }
      } else if (u.password().isEmpty()
          || u.password().getBytes(StandardCharsets.UTF_8).length > MAX_PASSWORD_BYTES) {
        throw new InvalidRouteException(
            field + ".password", "must be 1 to " + MAX_PASSWORD_BYTES + " bytes (UTF-8)");
      }
    }
    return Mono.fromCallable(
            () -> {
              List<BasicAuthUser> users = new ArrayList<>();
              for (ChangeAccess.User u : raw) {
                users.add(
                    new BasicAuthUser(
                        u.username(),
                        u.password() == null
                            ? stored.get(u.username())
                            : bcrypt.encode(u.password())));
              }
              return List.copyOf(users);
            })
        .subscribeOn(Schedulers.boundedElastic());
  }

  // ---------------------------------------------------------------- instance delete

  @Override
  public Mono<Void> removeAll(Instance instance, String actor, Consumer<String> progress) {
    return domains
        .forInstance(instance.id())
        .collectList()
        .flatMap(
            all ->
                cluster
                    .delete(instance.cluster(), instance.namespace(), instance.id(), null)
                    .flatMap(
                        deleted ->
                            Flux.fromIterable(all)
                                .concatMap(
                                    d ->
                                        domains
                                            .delete(instance.id(), d.host())
                                            .then(
                                                events.record(
                                                    DomainEventType.DOMAIN_REMOVED,
                                                    instance,
                                                    d,
                                                    actor,
                                                    "instance-deleted")))
                                .then()
                                .as(tx::transactional)
                                .then(
                                    Mono.fromRunnable(
                                        () -> {
                                          if (!all.isEmpty() || deleted > 0) {
                                            progress.accept(
                                                "removed "
                                                    + all.size()
                                                    + " custom domain"
                                                    + (all.size() == 1 ? "" : "s")
                                                    + " ("
                                                    + deleted
                                                    + " objects)");
                                          }
                                        }))));
  }

  // ---------------------------------------------------------------- checks

  private Mono<Instance> changeable(Caller caller, UUID instanceId) {
    return instanceQueries
        .get(caller, instanceId)
        .map(
            i -> {
              caller.requireChange(i.team(), "Instance", instanceId);
              return i;
            });
  }

  private Mono<Domain> existing(Instance instance, String host) {
    return domains
        .find(instance.id(), host)
        .switchIfEmpty(Mono.error(() -> Problem.notFound("Domain", host)));
  }

  private Mono<Void> refuseBusy(Instance instance) {
    return operations
        .active(instance.id())
        .flatMap(
            running ->
                Mono.error(
                    Problem.conflict(
                        "Instance '"
                            + instance.name()
                            + "' is busy with operation "
                            + running.id()
                            + " ("
                            + running.kind().label()
                            + "); change its domains when it has finished")));
  }

  /**
   * A host is held once per cluster: by a domain of any instance of any team, or by any other
   * Ingress on the cluster. The problem names the holder only to a caller who may see it.
   */
  private Mono<Void> refuseTaken(Caller caller, Instance instance, String host) {
    Mono<Void> inTable =
        domains
            .holding(instance.cluster(), host)
            .flatMap(
                held -> {
                  if (held.instanceId().equals(instance.id())) {
                    return Mono.error(
                        Problem.conflict(
                            "Instance '" + instance.name() + "' already has the domain " + host));
                  }
                  return heldBy(caller, instance.cluster(), host, held.instanceId(), null);
                });
    Mono<Void> onCluster =
        cluster
            .ingressesFor(instance.cluster(), host)
            .flatMap(
                users -> {
                  for (DomainCluster.HostUser u : users) {
                    if (instance.id().toString().equals(u.instance())) {
                      continue;
                    }
                    UUID owner = uuidOrNull(u.instance());
                    return heldBy(caller, instance.cluster(), host, owner, u);
                  }
                  return Mono.empty();
                });
    return inTable.then(onCluster);
  }

  private Mono<Void> heldBy(
      Caller caller, String clusterName, String host, UUID owner, DomainCluster.HostUser ingress) {
    String anonymous = "Host '" + host + "' is already in use on cluster '" + clusterName + "'";
    Mono<String> detail =
        owner == null
            ? Mono.just(
                caller.canReadEverything() && ingress != null
                    ? anonymous
                        + " by Ingress "
                        + ingress.namespace()
                        + "/"
                        + ingress.name()
                        + " (not managed by Runnel)"
                    : anonymous)
            : instances
                .find(owner)
                .filter(i -> i.state() != InstanceState.DELETED && caller.canRead(i.team()))
                .map(
                    i ->
                        anonymous
                            + " by instance '"
                            + i.name()
                            + "' ("
                            + i.id()
                            + ") in namespace '"
                            + i.namespace()
                            + "'")
                .defaultIfEmpty(anonymous);
    return detail.flatMap(d -> Mono.error(Problem.conflict(d + "; choose another host")));
  }

  private static UUID uuidOrNull(String raw) {
    if (raw == null) {
      return null;
    }
    try {
      return UUID.fromString(raw);
    } catch (IllegalArgumentException e) {
      // A label that is not one of our ids: treat the Ingress as foreign.
      return null;
    }
  }

  private Mono<Void> requirePort(Instance instance, Domain d) {
    return cluster
        .service(instance.cluster(), instance.namespace(), d.service(), instance.id())
        .flatMap(
            s -> {
              if (!s.found() || !s.ofInstance()) {
                return Mono.error(
                    new InvalidRouteException(
                        "service",
                        "'"
                            + d.service()
                            + "' is not a Service of instance '"
                            + instance.name()
                            + "' in namespace '"
                            + instance.namespace()
                            + "'"));
              }
              boolean number = KubeNames.isNumber(d.port());
              boolean match =
                  s.ports().stream()
                      .anyMatch(
                          p ->
                              number
                                  ? p.port() == Integer.parseInt(d.port())
                                  : d.port().equals(p.name()));
              if (!match) {
                return Mono.error(
                    new InvalidRouteException(
                        "port",
                        "'"
                            + d.port()
                            + "' is not a port of Service '"
                            + d.service()
                            + "'; it has "
                            + s.ports().stream()
                                .map(
                                    p ->
                                        p.name() == null
                                            ? "" + p.port()
                                            : p.name() + "/" + p.port())
                                .toList()));
              }
              return Mono.<Void>empty();
            });
  }

  private Mono<Void> requireTlsSecret(Instance instance, Domain d) {
    if (d.tls().mode() != Tls.Mode.SECRET) {
      return Mono.empty();
    }
    return cluster
        .secretExists(instance.cluster(), instance.namespace(), d.tls().secretName())
        .flatMap(
            exists ->
                exists
                    ? Mono.<Void>empty()
                    : Mono.error(
                        new InvalidRouteException(
                            "tls.secretName",
                            "'"
                                + d.tls().secretName()
                                + "' is not a Secret in namespace '"
                                + instance.namespace()
                                + "'; create the TLS Secret first or use tls.issuer")));
  }
}
