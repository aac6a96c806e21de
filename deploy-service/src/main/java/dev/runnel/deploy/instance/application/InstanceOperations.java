package dev.runnel.deploy.instance.application;

import dev.runnel.deploy.cluster.application.ManageClusters;
import dev.runnel.deploy.cluster.domain.Cluster;
import dev.runnel.deploy.config.DeployProperties;
import dev.runnel.deploy.instance.domain.HealthSnapshot;
import dev.runnel.deploy.instance.domain.Hook;
import dev.runnel.deploy.instance.domain.Instance;
import dev.runnel.deploy.instance.domain.InstanceEventType;
import dev.runnel.deploy.instance.domain.InstanceState;
import dev.runnel.deploy.instance.domain.InvalidInstanceException;
import dev.runnel.deploy.instance.domain.ManifestObject;
import dev.runnel.deploy.instance.domain.Operation;
import dev.runnel.deploy.instance.domain.OperationKind;
import dev.runnel.deploy.instance.domain.OperationStatus;
import dev.runnel.deploy.instance.domain.Rendered;
import dev.runnel.deploy.instance.domain.Revision;
import dev.runnel.health.HealthStatus;
import dev.runnel.kit.problem.Problem;
import dev.runnel.kit.security.Caller;
import dev.runnel.kit.security.Denial;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.stereotype.Service;
import org.springframework.transaction.reactive.TransactionalOperator;
import reactor.core.publisher.Mono;

/**
 * Starts and runs the operations that change instances: install, upgrade, rollback, stop, start,
 * restart, delete. Checks that can fail fast (names, values, capacity, one operation at a time) run
 * before the {@code 202}; the rest runs in the background as an {@link Operation} the caller
 * follows. Every outcome is stored with its events in one transaction.
 */
@Service
public class InstanceOperations {
  private static final Logger log = LoggerFactory.getLogger(InstanceOperations.class);

  private final Instances instances;
  private final Operations operations;
  private final Revisions revisions;
  private final IdempotencyKeys idempotency;
  private final InstanceEvents events;
  private final ChartSource charts;
  private final Changelogs changelogs;
  private final ChartRenderer renderer;
  private final Workloads workloads;
  private final ManageClusters clusters;
  private final OperationRunner runner;
  private final OperationFeed feed;
  private final QuotaPreflight quotas;
  private final TransactionalOperator tx;
  private final Clock clock;
  private final DeployProperties.Operations settings;
  private final ObjectProvider<InstanceAttachments> attachments;
  private final OperationQueue queue;
  private final ClusterCapacity capacity;

  public InstanceOperations(
      Instances instances,
      Operations operations,
      Revisions revisions,
      IdempotencyKeys idempotency,
      InstanceEvents events,
      ChartSource charts,
      Changelogs changelogs,
      ChartRenderer renderer,
      Workloads workloads,
      ManageClusters clusters,
      OperationRunner runner,
      OperationFeed feed,
      QuotaPreflight quotas,
      TransactionalOperator tx,
      Clock clock,
      DeployProperties properties,
      ObjectProvider<InstanceAttachments> attachments,
      OperationQueue queue,
      ClusterCapacity capacity) {
    this.instances = instances;
    this.operations = operations;
    this.revisions = revisions;
    this.idempotency = idempotency;
    this.events = events;
    this.charts = charts;
    this.changelogs = changelogs;
    this.renderer = renderer;
    this.workloads = workloads;
    this.clusters = clusters;
    this.runner = runner;
    this.feed = feed;
    this.quotas = quotas;
    this.tx = tx;
    this.clock = clock;
    this.settings = properties.operations();
    this.attachments = attachments;
    this.queue = queue;
    this.capacity = capacity;
  }

  // ---------------------------------------------------------------- install

  public Mono<Operation> install(InstallCommand c) {
    return install(c, null);
  }

  /**
   * The same install with the chart package supplied by the caller (an imported bundle, whose
   * digest the caller checked) instead of downloaded from the market; null downloads it.
   */
  public Mono<Operation> install(InstallCommand c, ChartSource.ChartPackage supplied) {
    return replay(c.caller(), c.idempotencyKey())
        .switchIfEmpty(Mono.defer(() -> startInstall(c, supplied)))
        .onErrorMap(
            InvalidInstanceException.class, e -> Problem.invalid(e.field(), e.getMessage()));
  }

  private Mono<Operation> startInstall(InstallCommand c, ChartSource.ChartPackage supplied) {
    Instant now = clock.instant();
    Instance instance =
        Instance.installing(
            UUID.randomUUID(),
            c.team(),
            c.cluster(),
            c.namespace(),
            c.name(),
            c.repository(),
            c.chart(),
            c.version(),
            ValuesCheck.toYaml(c.values()),
            now);
    c.caller().requireChange(instance.team(), "Team", instance.team());
    requireTeamNamespace(c.caller(), instance);
    return clusterOf(c.cluster())
        .flatMap(
            cluster ->
                refuseTakenName(instance)
                    .then(
                        supplied != null
                            ? Mono.just(supplied)
                            : charts.fetch(
                                instance.repository(),
                                instance.chart(),
                                instance.version(),
                                c.bearerToken()))
                    .flatMap(
                        pkg -> {
                          ValuesCheck.validate(c.values(), pkg.valuesSchema());
                          return renderer.render(
                              pkg.bytes(),
                              instance.id(),
                              instance.name(),
                              instance.namespace(),
                              cluster.kubernetesVersion(),
                              instance.userValues());
                        })
                    .doOnNext(rendered -> requireOwnNamespace(c.caller(), instance, rendered))
                    .flatMap(
                        rendered ->
                            requireCrdsAllowed(c.caller(), instance, rendered).thenReturn(rendered))
                    .flatMap(
                        rendered ->
                            quotas
                                .refuseExcess(instance, rendered, true)
                                .then(
                                    begin(
                                        instance,
                                        OperationKind.INSTALL,
                                        c.caller(),
                                        c.idempotencyKey(),
                                        describe(c),
                                        true))
                                .doOnNext(
                                    op ->
                                        launch(
                                            op,
                                            instance,
                                            p -> runInstall(instance, rendered, p)))));
  }

  /**
   * The capacity check is the install's first step rather than part of the request: it lists every
   * pod of the cluster, and a request must not wait for that behind the cluster's running
   * operations. Here it sees the cluster as it is when the install is about to apply, after the
   * installs queued before it, and reserves the install's share until it ends.
   */
  private Mono<Void> runInstall(Instance instance, Rendered rendered, Progress p) {
    Operation start = p.current();
    String cluster = instance.cluster();
    String ns = instance.namespace();
    Mono<HealthSnapshot> work =
        p.save(op -> op.running(clock.instant(), settings.deadline()))
            .then(p.step("Check capacity on cluster " + cluster))
            .then(capacity.reserve(cluster, instance.id(), rendered.objects()))
            .then(p.step("Prepare namespace " + ns))
            .then(workloads.ensureNamespace(cluster, ns, p.log()))
            .then(crds(p, cluster, rendered))
            .then(hooks(p, instance, rendered, "pre-install"))
            .then(p.step("Apply " + rendered.objects().size() + " objects"))
            .then(workloads.apply(cluster, ns, rendered.objects(), p.log()))
            .then(waitHealthy(p, instance, rendered.objects()))
            .flatMap(h -> hooks(p, instance, rendered, "post-install").thenReturn(h));
    return work.flatMap(
            health ->
                commit(
                    p,
                    op -> op.succeeded(clock.instant()),
                    instance.deployed(
                        1,
                        instance.version(),
                        instance.userValues(),
                        health.status(),
                        clock.instant()),
                    revision(
                        instance,
                        1,
                        instance.version(),
                        instance.userValues(),
                        rendered,
                        Revision.DEPLOYED,
                        start),
                    null,
                    InstanceEventType.INSTALLED,
                    Map.of()))
        .onErrorResume(
            e ->
                commit(
                    p,
                    op -> op.failed(reason(e), clock.instant()),
                    failedInstance(instance, 1),
                    revision(
                        instance,
                        1,
                        instance.version(),
                        instance.userValues(),
                        rendered,
                        Revision.FAILED,
                        start),
                    null,
                    InstanceEventType.FAILED,
                    Map.of("reason", reason(e))))
        .doFinally(s -> capacity.release(cluster, instance.id()));
  }

  // ---------------------------------------------------------------- upgrade and rollback

  public Mono<Operation> upgrade(UpgradeCommand c) {
    return replay(c.caller(), c.idempotencyKey())
        .switchIfEmpty(
            Mono.defer(
                () ->
                    changeable(c.instanceId(), c.caller())
                        .flatMap(instance -> planUpgrade(instance, c))
                        .doOnNext(
                            plan ->
                                requireOwnNamespace(c.caller(), plan.instance(), plan.rendered()))
                        .flatMap(
                            plan ->
                                requireCrdsAllowed(c.caller(), plan.instance(), plan.rendered())
                                    .thenReturn(plan))
                        .flatMap(
                            plan ->
                                quotas
                                    .refuseExcess(plan.instance(), plan.rendered(), false)
                                    .thenReturn(plan))
                        .flatMap(
                            plan ->
                                begin(
                                        plan.instance(),
                                        OperationKind.UPGRADE,
                                        c.caller(),
                                        c.idempotencyKey(),
                                        "{\"version\":\"" + plan.version() + "\"}",
                                        false)
                                    .doOnNext(
                                        op ->
                                            launch(
                                                op,
                                                plan.instance(),
                                                p -> runDeploy(plan, p, OperationKind.UPGRADE))))))
        .onErrorMap(
            InvalidInstanceException.class, e -> Problem.invalid(e.field(), e.getMessage()));
  }

  /**
   * The diff an upgrade would make and the changelog entries in between, without changing anything.
   * The changelog comes from the market; when the market cannot say, the preview still answers,
   * marked as without a changelog.
   */
  public Mono<UpgradePreview> previewUpgrade(UpgradeCommand c) {
    return readable(c.instanceId(), c.caller())
        .flatMap(instance -> planUpgrade(instance, c))
        .flatMap(
            plan ->
                changelog(plan.instance(), plan.version(), c.bearerToken())
                    .map(
                        log -> {
                          String manifestDiff =
                              Diffs.unified(
                                  "revision " + plan.current().number(),
                                  "upgrade",
                                  plan.current().manifest() + plan.current().hooks(),
                                  plan.rendered().manifest() + plan.rendered().hooksManifest());
                          String valuesDiff =
                              Diffs.unified(
                                  "values (revision " + plan.current().number() + ")",
                                  "values (upgrade)",
                                  plan.current().userValues(),
                                  plan.values());
                          return new UpgradePreview(
                              plan.instance().version(),
                              plan.version(),
                              plan.current().number(),
                              manifestDiff,
                              valuesDiff,
                              !manifestDiff.isEmpty() || !valuesDiff.isEmpty(),
                              log.entries(),
                              log.unavailable() == null,
                              log.unavailable());
                        }))
        .onErrorMap(
            InvalidInstanceException.class, e -> Problem.invalid(e.field(), e.getMessage()));
  }

  private record ChangelogAnswer(List<UpgradePreview.ChangeEntry> entries, String unavailable) {}

  /** Entries between the installed and the target version, older first in the market's call. */
  private Mono<ChangelogAnswer> changelog(Instance instance, String target, String token) {
    int order = ChartVersions.compare(instance.version(), target);
    if (order == 0) {
      return Mono.just(new ChangelogAnswer(List.of(), null));
    }
    String older = order < 0 ? instance.version() : target;
    String newer = order < 0 ? target : instance.version();
    return changelogs
        .between(instance.repository(), instance.chart(), older, newer, token)
        .map(entries -> new ChangelogAnswer(entries, null))
        .onErrorResume(
            e -> {
              String reason = reason(e);
              log.warn(
                  "changelog of {}/{} {} to {} unavailable: {}",
                  instance.repository(),
                  instance.chart(),
                  older,
                  newer,
                  reason);
              return Mono.just(
                  new ChangelogAnswer(List.of(), "The app market could not say: " + reason));
            });
  }

  public Mono<Operation> rollback(UUID instanceId, int number, Caller caller, String key) {
    return replay(caller, key)
        .switchIfEmpty(
            Mono.defer(
                () ->
                    changeable(instanceId, caller)
                        .flatMap(
                            instance ->
                                revisions
                                    .find(instance.id(), number)
                                    .switchIfEmpty(
                                        Mono.error(
                                            () ->
                                                Problem.invalid(
                                                    "revision",
                                                    "instance has no stored revision " + number)))
                                    .zipWith(currentRevision(instance))
                                    .map(
                                        t ->
                                            new Plan(
                                                instance,
                                                t.getT2(),
                                                renderer.parse(
                                                    t.getT1().manifest(), t.getT1().hooks()),
                                                t.getT1().chartVersion(),
                                                t.getT1().userValues(),
                                                t.getT1().number())))
                        .doOnNext(
                            plan -> requireOwnNamespace(caller, plan.instance(), plan.rendered()))
                        .flatMap(
                            plan ->
                                begin(
                                        plan.instance(),
                                        OperationKind.ROLLBACK,
                                        caller,
                                        key,
                                        "{\"revision\":" + number + "}",
                                        false)
                                    .doOnNext(
                                        op ->
                                            launch(
                                                op,
                                                plan.instance(),
                                                p ->
                                                    runDeploy(plan, p, OperationKind.ROLLBACK))))));
  }

  /**
   * A team's instance goes into the team's namespace (the team's name): another namespace may be
   * another team's, and its objects are applied with forced conflicts. Platform admins install
   * anywhere.
   */
  private static void requireTeamNamespace(Caller caller, Instance instance) {
    if (!caller.isPlatformAdmin() && !instance.namespace().equals(instance.team())) {
      throw Denial.forbidden(
          "Instances of team '"
              + instance.team()
              + "' go into the namespace '"
              + instance.team()
              + "'; only platform-admin installs into namespace '"
              + instance.namespace()
              + "'",
          instance.team());
    }
  }

  /**
   * Every namespaced object and hook the chart rendered stays in the instance's namespace, so
   * values such as {@code namespaceOverride} cannot reach into another team's namespace either; and
   * nothing cluster-wide is created for a team: Runnel applies with its own credentials, so a
   * ClusterRoleBinding in a team member's chart would otherwise hand that team the whole cluster.
   */
  private static void requireOwnNamespace(Caller caller, Instance instance, Rendered rendered) {
    if (caller.isPlatformAdmin()) {
      return;
    }
    requireTeamNamespace(caller, instance);
    List<ManifestObject> all = new ArrayList<>(rendered.objects());
    rendered.hooks().forEach(h -> all.add(h.object()));
    for (ManifestObject o : all) {
      if (o.isClusterScoped()) {
        throw Denial.forbidden(
            "The chart renders "
                + o.ref()
                + ", a cluster-wide object that would reach beyond the namespace '"
                + instance.namespace()
                + "' of team '"
                + instance.team()
                + "'; only a platform-admin installs charts that create cluster-scoped objects"
                + " (turn such options off in the values, for example rbac or clusterRole settings)",
            instance.team());
      }
      if (o.namespace() != null && !o.namespace().equals(instance.namespace())) {
        throw Denial.forbidden(
            "The chart rendered "
                + o.ref()
                + " into namespace '"
                + o.namespace()
                + "'; the objects of an instance of team '"
                + instance.team()
                + "' stay in its namespace '"
                + instance.namespace()
                + "' (check values such as namespaceOverride)",
            instance.team());
      }
    }
  }

  /**
   * A CustomResourceDefinition is cluster-wide: the first chart to create one decides it for every
   * team (Runnel, like Helm, never changes one that exists). So only a platform admin installs or
   * upgrades to a chart whose {@code crds/} define kinds the cluster does not have yet; team
   * members use the ones that are there.
   */
  private Mono<Void> requireCrdsAllowed(Caller caller, Instance instance, Rendered rendered) {
    if (caller.isPlatformAdmin() || rendered.crds().isEmpty()) {
      return Mono.empty();
    }
    return workloads
        .missingCrds(instance.cluster(), rendered.crds())
        .flatMap(
            missing ->
                missing.isEmpty()
                    ? Mono.<Void>empty()
                    : Mono.error(
                        Denial.forbidden(
                            "The chart defines CustomResourceDefinitions that cluster '"
                                + instance.cluster()
                                + "' does not have yet ("
                                + String.join(", ", missing)
                                + "); they are cluster-wide, so only platform-admin installs them",
                            instance.team())));
  }

  /** What an upgrade or rollback will apply, prepared before the operation starts. */
  private record Plan(
      Instance instance,
      Revision current,
      Rendered rendered,
      String version,
      String values,
      int rollbackOf) {}

  private Mono<Plan> planUpgrade(Instance instance, UpgradeCommand c) {
    String version =
        c.version() == null || c.version().isBlank()
            ? instance.version()
            : dev.runnel.deploy.instance.domain.InstanceRules.version(c.version());
    String values = c.values() == null ? instance.userValues() : ValuesCheck.toYaml(c.values());
    Map<String, Object> valueMap = c.values() == null ? ValuesCheck.fromYaml(values) : c.values();
    return Mono.zip(clusterOf(instance.cluster()), currentRevision(instance))
        .flatMap(
            t ->
                charts
                    .fetch(instance.repository(), instance.chart(), version, c.bearerToken())
                    .flatMap(
                        pkg -> {
                          ValuesCheck.validate(valueMap, pkg.valuesSchema());
                          return renderer.render(
                              pkg.bytes(),
                              instance.id(),
                              instance.name(),
                              instance.namespace(),
                              t.getT1().kubernetesVersion(),
                              values);
                        })
                    .map(rendered -> new Plan(instance, t.getT2(), rendered, version, values, 0)));
  }

  private Mono<Void> runDeploy(Plan plan, Progress p, OperationKind kind) {
    Operation start = p.current();
    Instance instance = plan.instance();
    boolean stopped = instance.state() == InstanceState.STOPPED;
    String phase = kind == OperationKind.ROLLBACK ? "rollback" : "upgrade";
    Mono<Integer> next = revisions.last(instance.id()).map(n -> n + 1);
    return next.flatMap(
        number -> {
          Mono<HealthSnapshot> work =
              p.save(op -> op.running(clock.instant(), settings.deadline()))
                  .then(crds(p, instance.cluster(), plan.rendered()))
                  .then(hooks(p, instance, plan.rendered(), "pre-" + phase))
                  .then(apply(p, instance, plan.current(), plan.rendered()))
                  .then(
                      stopped
                          ? keepStopped(p, instance, plan.rendered())
                          : waitHealthy(p, instance, plan.rendered().objects()))
                  .flatMap(h -> hooks(p, instance, plan.rendered(), "post-" + phase).thenReturn(h));
          Revision newRevision =
              revision(
                  instance,
                  number,
                  plan.version(),
                  plan.values(),
                  plan.rendered(),
                  Revision.DEPLOYED,
                  start);
          return work.flatMap(
                  health ->
                      commit(
                          p,
                          op -> op.succeeded(clock.instant()),
                          stoppedOrDeployed(p, instance, number, plan, health),
                          newRevision,
                          plan.current(),
                          kind == OperationKind.ROLLBACK
                              ? InstanceEventType.ROLLED_BACK
                              : InstanceEventType.UPGRADED,
                          Map.of(
                              "fromVersion", instance.version(),
                              "fromRevision", plan.current().number())))
              .onErrorResume(
                  e ->
                      kind == OperationKind.UPGRADE && settings.autoRollback()
                          ? rollBackAfterFailure(p, plan, number, newRevision, e)
                          : commit(
                              p,
                              op -> op.failed(reason(e), clock.instant()),
                              failedInstance(instance, instance.revision()),
                              withStatus(newRevision, Revision.FAILED),
                              null,
                              InstanceEventType.FAILED,
                              Map.of("reason", reason(e))));
        });
  }

  private Instance stoppedOrDeployed(
      Progress p, Instance instance, int number, Plan plan, HealthSnapshot h) {
    Instance deployed =
        instance.deployed(number, plan.version(), plan.values(), h.status(), clock.instant());
    return p.stoppedReplicas() == null
        ? deployed
        : deployed.stopped(p.stoppedReplicas(), clock.instant());
  }

  /** A failed upgrade goes back to the revision that was deployed before it, as a new revision. */
  private Mono<Void> rollBackAfterFailure(
      Progress p, Plan plan, int failedNumber, Revision failed, Throwable cause) {
    Instance instance = plan.instance();
    Revision good = plan.current();
    Rendered goodRendered = renderer.parse(good.manifest(), good.hooks());
    String why = reason(cause);
    Revision restored =
        new Revision(
            instance.id(),
            failedNumber + 1,
            good.chartVersion(),
            good.userValues(),
            good.manifest(),
            good.hooks(),
            Revision.DEPLOYED,
            p.current().id(),
            clock.instant());
    Mono<HealthSnapshot> back =
        p.note("upgrade failed: " + why)
            .then(p.step("Roll back to revision " + good.number()))
            .then(revisions.insert(withStatus(failed, Revision.FAILED)))
            .then(apply(p, instance, failed, goodRendered))
            .then(
                instance.state() == InstanceState.STOPPED
                    ? keepStopped(p, instance, goodRendered)
                    : waitHealthy(p, instance, goodRendered.objects()));
    String message =
        "upgrade failed: "
            + why
            + "; rolled back to revision "
            + good.number()
            + " (now revision "
            + restored.number()
            + ")";
    return back.flatMap(
            health ->
                commit(
                    p,
                    op -> op.failed(message, clock.instant()),
                    instance.deployed(
                        restored.number(),
                        good.chartVersion(),
                        good.userValues(),
                        health.status(),
                        clock.instant()),
                    restored,
                    good,
                    InstanceEventType.ROLLED_BACK,
                    Map.of(
                        "fromVersion",
                        plan.version(),
                        "fromRevision",
                        failedNumber,
                        "automatic",
                        true,
                        "reason",
                        why)))
        .onErrorResume(
            e ->
                commit(
                    p,
                    op ->
                        op.failed(
                            "upgrade failed: " + why + "; rolling back failed too: " + reason(e),
                            clock.instant()),
                    failedInstance(instance, instance.revision()),
                    null,
                    null,
                    InstanceEventType.FAILED,
                    Map.of("reason", reason(e))));
  }

  /**
   * The chart's {@code crds/}, before hooks and templates (Helm's order). Only missing ones are
   * created, on install and on upgrade alike; a rollback (a stored revision, no chart) has none.
   */
  private Mono<Void> crds(Progress p, String cluster, Rendered rendered) {
    if (rendered.crds().isEmpty()) {
      return Mono.empty();
    }
    return p.step("Create missing CustomResourceDefinitions (" + rendered.crds().size() + ")")
        .then(
            workloads.createMissingCrds(cluster, rendered.crds(), settings.crdTimeout(), p.log()));
  }

  /** Applies the new objects, then prunes what the previous revision had and this one lacks. */
  private Mono<Void> apply(Progress p, Instance instance, Revision previous, Rendered next) {
    List<ManifestObject> stale = new ArrayList<>();
    if (previous != null) {
      Set<String> keep = new HashSet<>();
      next.objects().forEach(o -> keep.add(key(o)));
      for (ManifestObject old : renderer.parse(previous.manifest(), "").objects()) {
        if (!keep.contains(key(old))) {
          stale.add(old);
        }
      }
    }
    Mono<Void> prune =
        stale.isEmpty()
            ? Mono.empty()
            : p.step("Prune " + stale.size() + " objects no longer rendered")
                .then(workloads.delete(instance.cluster(), instance.namespace(), stale, p.log()));
    return rememberPods(p, instance)
        .then(p.step("Apply " + next.objects().size() + " objects"))
        .then(workloads.apply(instance.cluster(), instance.namespace(), next.objects(), p.log()))
        .then(prune);
  }

  private Mono<HealthSnapshot> keepStopped(Progress p, Instance instance, Rendered rendered) {
    return p.step("Keep stopped")
        .then(workloads.stop(instance.cluster(), instance.namespace(), rendered.objects(), p.log()))
        .map(
            replicas -> {
              // The new revision's replica counts are what start restores.
              p.stoppedReplicas(replicas);
              return new HealthSnapshot(HealthStatus.SUSPENDED, "stopped", List.of());
            });
  }

  // ---------------------------------------------------------------- stop, start, restart, delete

  public Mono<Operation> stop(UUID id, Caller caller, String key) {
    return simple(id, caller, key, OperationKind.STOP, "{}", this::runStop);
  }

  public Mono<Operation> start(UUID id, Caller caller, String key) {
    return simple(id, caller, key, OperationKind.START, "{}", this::runStart);
  }

  public Mono<Operation> restart(UUID id, Caller caller, String key) {
    return simple(id, caller, key, OperationKind.RESTART, "{}", this::runRestart);
  }

  public Mono<Operation> delete(UUID id, boolean purgeData, Caller caller, String key) {
    return replay(caller, key)
        .switchIfEmpty(
            Mono.defer(
                () ->
                    instances
                        .find(id)
                        .switchIfEmpty(Mono.error(() -> Problem.notFound("Instance", id)))
                        .flatMap(
                            instance -> {
                              caller.requireChange(instance.team(), "Instance", id);
                              if (instance.state() == InstanceState.DELETED) {
                                // Deleting twice changes nothing: answer with the delete that ran.
                                return operations
                                    .forInstance(id, 50)
                                    .filter(o -> o.kind() == OperationKind.DELETE)
                                    .next();
                              }
                              return currentRendered(instance)
                                  .flatMap(
                                      rendered ->
                                          begin(
                                                  instance,
                                                  OperationKind.DELETE,
                                                  caller,
                                                  key,
                                                  "{\"purgeData\":" + purgeData + "}",
                                                  false)
                                              .doOnNext(
                                                  op ->
                                                      launch(
                                                          op,
                                                          instance,
                                                          p ->
                                                              runDelete(
                                                                  instance, rendered, purgeData,
                                                                  p))));
                            })));
  }

  private interface Work {
    Mono<Void> run(Instance instance, Rendered rendered, Progress progress);
  }

  private Mono<Operation> simple(
      UUID id, Caller caller, String key, OperationKind kind, String request, Work work) {
    return replay(caller, key)
        .switchIfEmpty(
            Mono.defer(
                () ->
                    changeable(id, caller)
                        .flatMap(
                            instance -> {
                              if (kind == OperationKind.STOP
                                  && instance.state() == InstanceState.STOPPED) {
                                return Mono.error(
                                    Problem.conflict(
                                        "Instance '" + instance.name() + "' is already stopped"));
                              }
                              if (kind == OperationKind.START
                                  && instance.state() != InstanceState.STOPPED) {
                                return Mono.error(
                                    Problem.conflict(
                                        "Instance '"
                                            + instance.name()
                                            + "' is not stopped (it is "
                                            + instance.state().label()
                                            + ")"));
                              }
                              if (kind == OperationKind.RESTART
                                  && instance.state() == InstanceState.STOPPED) {
                                return Mono.error(
                                    Problem.conflict(
                                        "Instance '"
                                            + instance.name()
                                            + "' is stopped; start it instead of restarting"));
                              }
                              return currentRendered(instance)
                                  .flatMap(
                                      rendered ->
                                          begin(instance, kind, caller, key, request, false)
                                              .doOnNext(
                                                  op ->
                                                      launch(
                                                          op,
                                                          instance,
                                                          p -> work.run(instance, rendered, p))));
                            })));
  }

  private Mono<Void> runStop(Instance instance, Rendered rendered, Progress p) {
    return p.save(op -> op.running(clock.instant(), settings.deadline()))
        .then(p.step("Scale workloads to zero and suspend CronJobs"))
        .then(workloads.stop(instance.cluster(), instance.namespace(), rendered.objects(), p.log()))
        .flatMap(
            replicas ->
                commit(
                    p,
                    op -> op.succeeded(clock.instant()),
                    instance.stopped(replicas, clock.instant()),
                    null,
                    null,
                    InstanceEventType.STOPPED,
                    Map.of()))
        .onErrorResume(e -> failSimple(p, instance, e));
  }

  private Mono<Void> runStart(Instance instance, Rendered rendered, Progress p) {
    return p.save(op -> op.running(clock.instant(), settings.deadline()))
        .then(rememberPods(p, instance))
        .then(p.step("Restore replicas and resume CronJobs"))
        .then(
            workloads.start(
                instance.cluster(),
                instance.namespace(),
                rendered.objects(),
                instance.stoppedReplicas(),
                p.log()))
        .then(waitHealthy(p, instance, rendered.objects()))
        .flatMap(
            h ->
                commit(
                    p,
                    op -> op.succeeded(clock.instant()),
                    instance.started(h.status(), clock.instant()),
                    null,
                    null,
                    InstanceEventType.STARTED,
                    Map.of()))
        .onErrorResume(e -> failSimple(p, instance, e));
  }

  private Mono<Void> runRestart(Instance instance, Rendered rendered, Progress p) {
    return p.save(op -> op.running(clock.instant(), settings.deadline()))
        .then(rememberPods(p, instance))
        .then(p.step("Rolling restart of pod templates"))
        .then(
            workloads.restart(
                instance.cluster(),
                instance.namespace(),
                rendered.objects(),
                clock.instant(),
                p.log()))
        .then(waitHealthy(p, instance, rendered.objects()))
        .flatMap(
            h ->
                commit(
                    p,
                    op -> op.succeeded(clock.instant()),
                    instance.with(InstanceState.RUNNING, h.status(), clock.instant()),
                    null,
                    null,
                    InstanceEventType.RESTARTED,
                    Map.of()))
        .onErrorResume(e -> failSimple(p, instance, e));
  }

  private Mono<Void> runDelete(
      Instance instance, Rendered rendered, boolean purgeData, Progress p) {
    String actor = p.current().actor();
    return p.save(op -> op.running(clock.instant(), settings.deadline()))
        .then(hooks(p, instance, rendered, "pre-delete"))
        .then(p.step(purgeData ? "Delete objects and data" : "Delete objects (volumes kept)"))
        .then(
            workloads.deleteLabelled(
                instance.cluster(),
                instance.namespace(),
                instance.id(),
                rendered.objects(),
                purgeData,
                p.log()))
        .then(
            reactor.core.publisher.Flux.fromStream(attachments::orderedStream)
                .concatMap(a -> a.removeAll(instance, actor, p.log()))
                .then())
        .then(hooks(p, instance, rendered, "post-delete"))
        .then(
            Mono.defer(
                () -> {
                  Instance deleted =
                      instance.with(InstanceState.DELETED, HealthStatus.MISSING, clock.instant());
                  Operation done = p.finish(op -> op.succeeded(clock.instant()));
                  return instances
                      .markDeleted(deleted)
                      .then(operations.update(done))
                      .then(
                          events.instance(
                              InstanceEventType.DELETED,
                              deleted,
                              done,
                              Map.of("purgeData", purgeData)))
                      .then(events.operation("finished", done, deleted))
                      .as(tx::transactional)
                      .doOnSuccess(v -> feed.publish(done));
                }))
        .onErrorResume(e -> failSimple(p, instance, e));
  }

  private Mono<Void> failSimple(Progress p, Instance instance, Throwable e) {
    return commit(
        p,
        op -> op.failed(reason(e), clock.instant()),
        instance.with(
            instance.state() == InstanceState.STOPPED
                ? InstanceState.STOPPED
                : InstanceState.FAILED,
            HealthStatus.DEGRADED,
            clock.instant()),
        null,
        null,
        InstanceEventType.FAILED,
        Map.of("reason", reason(e)));
  }

  // ---------------------------------------------------------------- cancel and recovery

  public Mono<Operation> cancel(UUID operationId, Caller caller) {
    return operations
        .find(operationId)
        .switchIfEmpty(Mono.error(() -> Problem.notFound("Operation", operationId)))
        .flatMap(
            op ->
                instances
                    .find(op.instanceId())
                    .flatMap(
                        instance -> {
                          caller.requireChange(instance.team(), "Operation", operationId);
                          if (op.status().finished()) {
                            return Mono.error(
                                Problem.conflict(
                                    "Operation " + op.id() + " already " + op.status().label()));
                          }
                          Instant now = clock.instant();
                          if (op.status() == OperationStatus.QUEUED
                              && (queue.withdraw(op.id()) || !runner.isRunning(op.id()))) {
                            // Out of the line before it got a slot (or no process holds it any
                            // more): nothing was applied, so no time limit needs to pass first.
                            runner.stop(op.id());
                            Operation cancelled =
                                op.cancelled(
                                    "cancelled by "
                                        + caller.username()
                                        + " while it waited for a slot on cluster '"
                                        + instance.cluster()
                                        + "'; nothing was applied",
                                    now);
                            return endQueued(instance, cancelled).thenReturn(cancelled);
                          }
                          if (!op.pastDeadline(now)) {
                            return Mono.error(
                                Problem.conflict(
                                    op.deadlineAt() == null
                                        ? "Operation "
                                            + op.id()
                                            + " has just started running; it can be cancelled"
                                            + " once its time limit ("
                                            + settings.deadline()
                                            + " from its start) has passed"
                                        : "Operation "
                                            + op.id()
                                            + " is within its time limit until "
                                            + op.deadlineAt()
                                            + "; it can be cancelled after that"));
                          }
                          runner.stop(op.id());
                          Operation cancelled =
                              op.cancelled(
                                  "cancelled by " + caller.username() + " after its time limit",
                                  now);
                          return endAbandoned(instance, cancelled).thenReturn(cancelled);
                        }));
  }

  /**
   * Operations left unfinished by a previous run of the service fail, with the reason. The queue
   * lived in that process; an operation still waiting in it never started, so it fails saying that
   * nothing was applied (its chart, rendered for the request, is not kept to resume it).
   */
  public Mono<Long> failInterrupted() {
    return operations
        .unfinished()
        .filter(op -> !runner.isRunning(op.id()))
        .concatMap(
            op ->
                instances
                    .find(op.instanceId())
                    .flatMap(
                        instance ->
                            op.status() == OperationStatus.QUEUED
                                ? endQueued(
                                        instance,
                                        op.failed(
                                            "deploy-service restarted while this operation waited"
                                                + " for a slot on cluster '"
                                                + instance.cluster()
                                                + "'; nothing was applied: run it again",
                                            clock.instant()))
                                    .thenReturn(1L)
                                : endAbandoned(
                                        instance,
                                        op.failed(
                                            "deploy-service stopped while this operation ran; its"
                                                + " changes may be partial: check the instance and"
                                                + " run the operation again",
                                            clock.instant()))
                                    .thenReturn(1L)))
        .count();
  }

  /**
   * An operation that never left the queue changed nothing on the cluster: the instance keeps its
   * state, except a queued install's, which has nothing deployed and fails.
   */
  private Mono<Void> endQueued(Instance instance, Operation ended) {
    if (ended.kind() != OperationKind.INSTALL) {
      return operations
          .update(ended)
          .then(events.operation("finished", ended, instance))
          .as(tx::transactional)
          .doOnSuccess(v -> feed.publish(ended));
    }
    Instance next = instance.with(InstanceState.FAILED, HealthStatus.MISSING, clock.instant());
    return instances
        .update(next)
        .then(operations.update(ended))
        .then(
            events.instance(InstanceEventType.FAILED, next, ended, Map.of("reason", ended.error())))
        .then(events.operation("finished", ended, next))
        .as(tx::transactional)
        .doOnSuccess(v -> feed.publish(ended));
  }

  private Mono<Void> endAbandoned(Instance instance, Operation ended) {
    Instance next =
        instance.with(
            instance.state() == InstanceState.STOPPED
                ? InstanceState.STOPPED
                : InstanceState.FAILED,
            HealthStatus.UNKNOWN,
            clock.instant());
    return instances
        .update(next)
        .then(operations.update(ended))
        .then(
            events.instance(InstanceEventType.FAILED, next, ended, Map.of("reason", ended.error())))
        .then(events.operation("finished", ended, next))
        .as(tx::transactional)
        .doOnSuccess(v -> feed.publish(ended));
  }

  // ---------------------------------------------------------------- shared steps

  private Mono<Void> hooks(Progress p, Instance instance, Rendered rendered, String phase) {
    List<Hook> due =
        rendered.hooks().stream()
            .filter(h -> h.runsAt(phase))
            .sorted(
                Comparator.comparingInt(Hook::weight)
                    .thenComparing(h -> h.object().kind())
                    .thenComparing(h -> h.object().name()))
            .toList();
    if (due.isEmpty()) {
      return Mono.empty();
    }
    return p.step("Run " + due.size() + " " + phase + " hook" + (due.size() == 1 ? "" : "s"))
        .thenMany(
            reactor.core.publisher.Flux.fromIterable(due)
                .concatMap(
                    h ->
                        workloads.runHook(
                            instance.cluster(),
                            instance.namespace(),
                            h,
                            settings.hookTimeout(),
                            p.log())))
        .then();
  }

  private Mono<Void> rememberPods(Progress p, Instance instance) {
    return workloads
        .pods(instance.cluster(), instance.namespace(), instance.id())
        .doOnNext(p::olderPods)
        .then();
  }

  private Mono<HealthSnapshot> waitHealthy(
      Progress p, Instance instance, List<ManifestObject> objects) {
    Duration timeout = settings.healthTimeout();
    java.util.concurrent.atomic.AtomicReference<HealthSnapshot> last =
        new java.util.concurrent.atomic.AtomicReference<>();
    return p.step("Wait for health (up to " + timeout.toSeconds() + " s)")
        .then(
            reactor.core.publisher.Flux.defer(
                    // Deferred: the pods to ignore are known only once the change has started.
                    () ->
                        workloads.health(
                            instance.cluster(),
                            instance.namespace(),
                            instance.id(),
                            objects,
                            p.olderPods()))
                .doOnNext(
                    s -> {
                      HealthSnapshot before = last.getAndSet(s);
                      if (before == null
                          || before.status() != s.status()
                          || !java.util.Objects.equals(before.reason(), s.reason())) {
                        p.log()
                            .accept(
                                "health "
                                    + s.status().label()
                                    + (s.reason() == null || s.reason().isEmpty()
                                        ? ""
                                        : ": " + s.reason()));
                      }
                    })
                .filter(
                    s -> s.status() == HealthStatus.HEALTHY || s.status() == HealthStatus.DEGRADED)
                .next()
                .timeout(timeout)
                .onErrorMap(
                    TimeoutException.class,
                    e -> {
                      HealthSnapshot s = last.get();
                      return new IllegalStateException(
                          "not healthy within "
                              + timeout.toSeconds()
                              + " s"
                              + (s == null
                                  ? ""
                                  : " ("
                                      + s.status().label()
                                      + (s.reason() == null || s.reason().isEmpty()
                                          ? ""
                                          : ": " + s.reason())
                                      + ")"));
                    })
                .switchIfEmpty(
                    Mono.error(() -> new IllegalStateException("the health watch ended")))
                .flatMap(
                    s ->
                        s.status() == HealthStatus.DEGRADED
                            ? Mono.error(new IllegalStateException("Degraded: " + s.reason()))
                            : Mono.just(s)));
  }

  private Mono<Operation> begin(
      Instance instance,
      OperationKind kind,
      Caller caller,
      String key,
      String request,
      boolean newInstance) {
    Instant now = clock.instant();
    Operation op =
        queues(kind)
            ? Operation.queued(
                UUID.randomUUID(), instance.id(), kind, caller.username(), request, now)
            : Operation.pending(
                UUID.randomUUID(),
                instance.id(),
                kind,
                caller.username(),
                request,
                now,
                now.plus(settings.deadline()));
    Mono<Void> store =
        (newInstance ? instances.insert(instance) : Mono.<Void>empty())
            .then(operations.insert(op))
            .then(
                key == null || key.isBlank()
                    ? Mono.<Void>empty()
                    : idempotency.remember(caller.username(), key, op.id()))
            .then(events.operation("started", op, instance));
    return store
        .as(tx::transactional)
        .thenReturn(op)
        .doOnNext(feed::publish)
        .onErrorResume(
            DuplicateKeyException.class,
            e ->
                newInstance
                    ? Mono.error(takenName(instance))
                    : operations
                        .active(instance.id())
                        .map(
                            running ->
                                (Throwable)
                                    Problem.conflict(
                                        "Instance '"
                                            + instance.name()
                                            + "' is busy with operation "
                                            + running.id()
                                            + " ("
                                            + running.kind().label()
                                            + ", "
                                            + running.status().label()
                                            + "); wait for it to finish"))
                        .defaultIfEmpty(
                            Problem.conflict("Instance '" + instance.name() + "' is busy; retry"))
                        .flatMap(Mono::error));
  }

  /**
   * Whether operations of this kind wait for a slot on their cluster. Install, upgrade, rollback,
   * start, restart and delete apply, delete or wait on many objects (and hooks); stop scales a few
   * workloads to zero and waits for nothing, so it runs at once, even while the cluster's line is
   * long.
   */
  static boolean queues(OperationKind kind) {
    return kind != OperationKind.STOP;
  }

  /**
   * Runs the operation in the background: an operation that queues first waits for a slot on its
   * cluster, and its log says so (its place in the line is on the operation as the API shows it).
   */
  private void launch(
      Operation op, Instance instance, java.util.function.Function<Progress, Mono<Void>> work) {
    Progress p = progress(op);
    if (op.status() != OperationStatus.QUEUED) {
      runner.launch(op.id(), work.apply(p));
      return;
    }
    String cluster = instance.cluster();
    java.util.concurrent.atomic.AtomicBoolean waited =
        new java.util.concurrent.atomic.AtomicBoolean();
    FifoSlots.Listener listener =
        new FifoSlots.Listener() {
          @Override
          public Mono<Void> queued(int ahead) {
            waited.set(true);
            return p.note(
                "Waiting for a free slot on cluster '"
                    + cluster
                    + "' ("
                    + queue.limit()
                    + " operations run there at a time; "
                    + ahead
                    + " waiting ahead of this one)");
          }

          @Override
          public void moved(int ahead) {
            // Only the place changed; a new event lets followers see it.
            feed.publish(p.current());
          }
        };
    runner.launch(
        op.id(),
        queue.run(
            cluster,
            op.id(),
            Mono.defer(
                () -> {
                  if (waited.get()) {
                    p.log().accept("Got a slot on cluster '" + cluster + "'");
                  }
                  return work.apply(p);
                }),
            listener));
  }

  private Mono<Void> commit(
      Progress p,
      java.util.function.UnaryOperator<Operation> outcome,
      Instance next,
      Revision newRevision,
      Revision superseded,
      InstanceEventType type,
      Map<String, Object> extra) {
    return Mono.defer(
        () -> {
          Operation done = p.finish(op -> outcome.apply(op));
          Map<String, Object> data = new LinkedHashMap<>(extra);
          data.put("operationKind", done.kind().label());
          Mono<Void> writes =
              (newRevision == null ? Mono.<Void>empty() : revisions.insert(newRevision))
                  .then(
                      superseded == null
                          ? Mono.<Void>empty()
                          : revisions.setStatus(
                              superseded.instanceId(), superseded.number(), Revision.SUPERSEDED))
                  .then(instances.update(next))
                  .then(operations.update(done))
                  .then(events.instance(type, next, done, data))
                  .then(events.operation("finished", done, next))
                  .then(
                      newRevision == null
                          ? Mono.<Void>empty()
                          : revisions.trim(next.id(), settings.historyLimit()));
          return writes
              .as(tx::transactional)
              .doOnSuccess(
                  v -> {
                    feed.publish(done);
                    log.info(
                        "{} of instance {} ({}) {}{}",
                        done.kind().label(),
                        next.name(),
                        next.id(),
                        done.status().label(),
                        done.error() == null ? "" : ": " + done.error());
                  });
        });
  }

  private Progress progress(Operation start) {
    return new Progress(start, operations, feed, clock);
  }

  private Instance failedInstance(Instance instance, int revision) {
    Instance failed = instance.with(InstanceState.FAILED, HealthStatus.DEGRADED, clock.instant());
    return new Instance(
        failed.id(),
        failed.team(),
        failed.cluster(),
        failed.namespace(),
        failed.name(),
        failed.repository(),
        failed.chart(),
        failed.version(),
        failed.state(),
        failed.health(),
        Math.max(revision, instance.revision()),
        failed.userValues(),
        failed.stoppedReplicas(),
        failed.createdAt(),
        failed.updatedAt());
  }

  private Revision revision(
      Instance instance,
      int number,
      String version,
      String values,
      Rendered rendered,
      String status,
      Operation op) {
    return new Revision(
        instance.id(),
        number,
        version,
        values,
        rendered.manifest(),
        rendered.hooksManifest(),
        status,
        op.id(),
        clock.instant());
  }

  private static Revision withStatus(Revision r, String status) {
    return new Revision(
        r.instanceId(),
        r.number(),
        r.chartVersion(),
        r.userValues(),
        r.manifest(),
        r.hooks(),
        status,
        r.operationId(),
        r.createdAt());
  }

  private Mono<Operation> replay(Caller caller, String key) {
    if (key == null || key.isBlank()) {
      return Mono.empty();
    }
    if (key.length() > 255) {
      return Mono.error(Problem.invalid("Idempotency-Key", "must be at most 255 characters"));
    }
    return idempotency.find(caller.username(), key).flatMap(operations::find);
  }

  private Mono<Instance> readable(UUID id, Caller caller) {
    return instances
        .find(id)
        .filter(i -> i.state() != InstanceState.DELETED)
        .switchIfEmpty(Mono.error(() -> Problem.notFound("Instance", id)))
        .map(
            i -> {
              caller.requireRead(i.team(), "Instance", id);
              return i;
            });
  }

  private Mono<Instance> changeable(UUID id, Caller caller) {
    return readable(id, caller)
        .map(
            i -> {
              caller.requireChange(i.team(), "Instance", id);
              return i;
            });
  }

  private Mono<Revision> currentRevision(Instance instance) {
    return revisions
        .find(instance.id(), instance.revision())
        .switchIfEmpty(
            Mono.error(
                () ->
                    Problem.conflict(
                        "Instance '"
                            + instance.name()
                            + "' has no deployed revision yet; delete it and install again")));
  }

  private Mono<Rendered> currentRendered(Instance instance) {
    return revisions
        .find(instance.id(), instance.revision())
        .map(r -> renderer.parse(r.manifest(), r.hooks()))
        .defaultIfEmpty(new Rendered(List.of(), List.of(), "", ""));
  }

  private Mono<Cluster> clusterOf(String name) {
    if (name == null || name.isBlank()) {
      return Mono.error(Problem.invalid("cluster", "must not be blank"));
    }
    return clusters
        .get(name)
        .onErrorMap(
            Problem.class,
            e ->
                e.getStatusCode().value() == 404
                    ? Problem.invalid("cluster", "'" + name + "' is not a registered cluster")
                    : e);
  }

  private Mono<Void> refuseTakenName(Instance instance) {
    return instances
        .nameTaken(instance.cluster(), instance.namespace(), instance.name())
        .flatMap(taken -> taken ? Mono.error(takenName(instance)) : Mono.empty());
  }

  private static Problem takenName(Instance instance) {
    return Problem.conflict(
        "An instance named '"
            + instance.name()
            + "' already exists in namespace '"
            + instance.namespace()
            + "' on cluster '"
            + instance.cluster()
            + "'; choose another name");
  }

  private static String key(ManifestObject o) {
    return o.apiVersion().replaceAll("/.*", "")
        + "|"
        + o.kind()
        + "|"
        + o.namespace()
        + "|"
        + o.name();
  }

  private static String describe(InstallCommand c) {
    return "{\"cluster\":\""
        + c.cluster()
        + "\",\"namespace\":\""
        + c.namespace()
        + "\",\"repository\":\""
        + c.repository()
        + "\",\"chart\":\""
        + c.chart()
        + "\",\"version\":\""
        + c.version()
        + "\"}";
  }

  static String reason(Throwable e) {
    if (e instanceof Problem p && p.getBody().getDetail() != null) {
      return p.getBody().getDetail();
    }
    return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
  }
}
