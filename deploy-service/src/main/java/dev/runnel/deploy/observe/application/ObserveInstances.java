package dev.runnel.deploy.observe.application;

import dev.runnel.deploy.instance.application.ChartRenderer;
import dev.runnel.deploy.instance.application.InstanceQueries;
import dev.runnel.deploy.instance.application.Revisions;
import dev.runnel.deploy.instance.domain.Instance;
import dev.runnel.deploy.observe.ObserveProperties;
import dev.runnel.deploy.observe.domain.KubeEvent;
import dev.runnel.deploy.observe.domain.LogLine;
import dev.runnel.deploy.observe.domain.PodContainers;
import dev.runnel.kit.problem.Problem;
import dev.runnel.kit.security.Caller;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.springframework.stereotype.Service;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Logs and Kubernetes Events of an instance, for whoever may read the instance (viewers and
 * auditors included). Only pods that carry the instance's label are ever read: a pod name from
 * another instance or namespace is 404. Following a log is bounded per user and instance, across
 * the service, and in time.
 */
@Service
public class ObserveInstances {
  private final InstanceQueries instances;
  private final Revisions revisions;
  private final ChartRenderer renderer;
  private final InstanceObservation kube;
  private final ObserveProperties settings;
  private final Map<String, Integer> followsByUser = new ConcurrentHashMap<>();
  private final AtomicInteger follows = new AtomicInteger();

  public ObserveInstances(
      InstanceQueries instances,
      Revisions revisions,
      ChartRenderer renderer,
      InstanceObservation kube,
      ObserveProperties settings) {
    this.instances = instances;
    this.revisions = revisions;
    this.renderer = renderer;
    this.kube = kube;
    this.settings = settings;
  }

  /** What a log request asks for; {@code pod} and {@code container} may be null. */
  public record LogQuery(String pod, String container, Integer tailLines) {}

  /**
   * The last lines of one container's log or, without a pod, of every pod of the instance merged in
   * the order the kubelet stamped them, each line then prefixed with {@code [pod] }.
   */
  public Mono<List<String>> tail(Caller caller, UUID id, LogQuery query) {
    int tail = tailLines(query.tailLines());
    return instances
        .get(caller, id)
        .flatMap(
            i ->
                targets(i, query)
                    .flatMap(
                        targets -> {
                          boolean prefixed = query.pod() == null;
                          return Flux.fromIterable(targets)
                              .concatMap(
                                  t ->
                                      kube.tail(
                                              i.cluster(),
                                              i.namespace(),
                                              t.pod(),
                                              t.container(),
                                              tail)
                                          .map(lines -> stamped(t, lines)))
                              .collectList()
                              .map(all -> merged(all, tail, prefixed));
                        }));
  }

  /**
   * The last lines and then new ones as they come, until every followed container's stream ends,
   * the caller goes away or {@code followMaxDuration} passes. Refused when the caller already
   * follows {@code maxFollowsPerUser} streams of this instance or the service {@code maxFollows}.
   */
  public Mono<Flux<LogLine>> follow(Caller caller, UUID id, LogQuery query) {
    int tail = tailLines(query.tailLines());
    return instances
        .get(caller, id)
        .flatMap(i -> targets(i, query).map(targets -> stream(caller, i, targets, tail)));
  }

  private Flux<LogLine> stream(Caller caller, Instance i, List<Target> targets, int tail) {
    String key = caller.username() + "|" + i.id();
    return Flux.defer(
        () -> {
          acquire(key, i);
          return Flux.fromIterable(targets)
              .flatMap(
                  t ->
                      kube.follow(i.cluster(), i.namespace(), t.pod(), t.container(), tail)
                          .map(line -> new LogLine(t.pod(), t.container(), line)),
                  targets.size())
              .take(settings.followMaxDuration())
              .doFinally(s -> release(key));
        });
  }

  /** Follow streams open now (all users). */
  public int openFollows() {
    return follows.get();
  }

  /** Log connections to clusters open now. */
  public int openLogStreams() {
    return kube.openLogStreams();
  }

  public Duration followMaxDuration() {
    return settings.followMaxDuration();
  }

  /** Events about the instance's objects, newest first, at most {@code limit}. */
  public Mono<List<KubeEvent>> events(Caller caller, UUID id, int limit) {
    if (limit < 1 || limit > settings.maxEvents()) {
      return Mono.error(Problem.invalid("limit", "must be between 1 and " + settings.maxEvents()));
    }
    return instances
        .get(caller, id)
        .flatMap(
            i ->
                revisions
                    .find(i.id(), i.revision())
                    .map(r -> renderer.parse(r.manifest(), r.hooks()))
                    .map(
                        rendered -> {
                          Set<String> refs = new LinkedHashSet<>();
                          rendered.objects().forEach(o -> refs.add(o.ref()));
                          rendered.hooks().forEach(h -> refs.add(h.object().ref()));
                          return refs;
                        })
                    .defaultIfEmpty(Set.of())
                    .flatMap(refs -> kube.events(i.cluster(), i.namespace(), i.id(), refs)))
        .map(
            all ->
                all.stream()
                    .sorted(
                        Comparator.comparing(
                                KubeEvent::lastTime,
                                Comparator.nullsLast(Comparator.<Instant>reverseOrder()))
                            .thenComparing(KubeEvent::objectName))
                    .limit(limit)
                    .toList());
  }

  private void acquire(String key, Instance i) {
    if (follows.incrementAndGet() > settings.maxFollows()) {
      follows.decrementAndGet();
      throw Problem.unavailable(
          "The service already streams "
              + settings.maxFollows()
              + " logs; try again later or read the log without follow");
    }
    int[] mine = new int[1];
    followsByUser.compute(key, (k, n) -> mine[0] = (n == null ? 0 : n) + 1);
    if (mine[0] > settings.maxFollowsPerUser()) {
      release(key);
      throw Problem.conflict(
          "You already follow "
              + settings.maxFollowsPerUser()
              + " log streams of instance '"
              + i.name()
              + "'; close one first");
    }
  }

  private void release(String key) {
    follows.decrementAndGet();
    followsByUser.computeIfPresent(key, (k, n) -> n <= 1 ? null : n - 1);
  }

  private int tailLines(Integer asked) {
    if (asked == null) {
      return settings.defaultTailLines();
    }
    if (asked < 0 || asked > settings.maxTailLines()) {
      throw Problem.invalid("tailLines", "must be between 0 and " + settings.maxTailLines());
    }
    return asked;
  }

  private record Target(String pod, String container) {}

  /** The containers a request reads: the named pod (of this instance only) or all its pods. */
  private Mono<List<Target>> targets(Instance i, LogQuery query) {
    return kube.pods(i.cluster(), i.namespace(), i.id())
        .map(
            pods -> {
              if (query.pod() == null) {
                if (query.container() != null) {
                  throw Problem.invalid("container", "can only be given together with pod");
                }
                if (pods.isEmpty()) {
                  throw Problem.conflict(
                      "Instance '" + i.name() + "' has no pods now; there is no log to read");
                }
                return pods.stream().map(p -> new Target(p.name(), p.defaultContainer())).toList();
              }
              PodContainers pod =
                  pods.stream()
                      .filter(p -> p.name().equals(query.pod()))
                      .findFirst()
                      .orElseThrow(() -> Problem.notFound("Pod", query.pod()));
              String container =
                  query.container() == null ? pod.defaultContainer() : query.container();
              if (!pod.containers().contains(container)) {
                throw Problem.invalid(
                    "container",
                    "pod '"
                        + pod.name()
                        + "' has no container '"
                        + container
                        + "'; it has "
                        + String.join(", ", pod.containers()));
              }
              return List.of(new Target(pod.name(), container));
            });
  }

  private record Stamped(Instant stamp, String text) {}

  private static List<Stamped> stamped(Target t, List<String> lines) {
    List<Stamped> out = new ArrayList<>(lines.size());
    for (String line : lines) {
      int space = line.indexOf(' ');
      Instant stamp = space < 0 ? Instant.MIN : instant(line.substring(0, space));
      String text = space < 0 ? line : line.substring(space + 1);
      out.add(new Stamped(stamp, "[" + t.pod() + "] " + text));
    }
    return out;
  }

  private static Instant instant(String text) {
    try {
      return Instant.parse(text);
    } catch (DateTimeParseException e) {
      return Instant.MIN;
    }
  }

  private static List<String> merged(List<List<Stamped>> perPod, int tail, boolean prefixed) {
    List<Stamped> all = new ArrayList<>();
    perPod.forEach(all::addAll);
    // Stable: lines of one pod with the same stamp keep their order.
    all.sort(Comparator.comparing(Stamped::stamp));
    List<Stamped> last = all.subList(Math.max(0, all.size() - tail), all.size());
    return last.stream()
        .map(s -> prefixed ? s.text() : s.text().substring(s.text().indexOf("] ") + 2))
        .toList();
  }
}
