package dev.runnel.deploy.observe.adapter.out.kube;

import dev.runnel.deploy.instance.domain.InstanceLabels;
import dev.runnel.deploy.kube.KubeClients;
import dev.runnel.deploy.observe.application.InstanceObservation;
import dev.runnel.deploy.observe.domain.KubeEvent;
import dev.runnel.deploy.observe.domain.PodContainers;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectReference;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.LogWatch;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * Logs and Events through fabric8. Single reads go through {@link KubeClients#call} (the cluster's
 * bulkhead and time limit); a followed log holds a connection and a boundedElastic thread for as
 * long as it is read, outside the bulkhead so that long streams cannot starve the short calls, and
 * both are released the moment the stream ends or is cancelled.
 */
@Component
class KubeObservation implements InstanceObservation {
  static final String DEFAULT_CONTAINER = "kubectl.kubernetes.io/default-container";

  private final KubeClients clients;
  private final AtomicInteger open = new AtomicInteger();

  KubeObservation(KubeClients clients) {
    this.clients = clients;
  }

  @Override
  public Mono<List<PodContainers>> pods(String cluster, String namespace, UUID instanceId) {
    return clients.call(
        cluster,
        client ->
            client
                .pods()
                .inNamespace(namespace)
                .withLabel(InstanceLabels.INSTANCE, instanceId.toString())
                .list()
                .getItems()
                .stream()
                .filter(p -> p.getMetadata().getDeletionTimestamp() == null)
                .sorted(Comparator.comparing(p -> p.getMetadata().getName()))
                .map(KubeObservation::containers)
                .toList());
  }

  private static PodContainers containers(Pod pod) {
    List<String> names =
        pod.getSpec() == null
            ? List.of()
            : pod.getSpec().getContainers().stream().map(Container::getName).toList();
    Map<String, String> annotations = pod.getMetadata().getAnnotations();
    String preferred = annotations == null ? null : annotations.get(DEFAULT_CONTAINER);
    String chosen =
        preferred != null && names.contains(preferred)
            ? preferred
            : (names.isEmpty() ? null : names.get(0));
    return new PodContainers(pod.getMetadata().getName(), names, chosen);
  }

  @Override
  public Mono<List<String>> tail(
      String cluster, String namespace, String pod, String container, int tailLines) {
    if (tailLines == 0) {
      return Mono.just(List.of());
    }
    return clients.call(
        cluster,
        client -> {
          String text =
              client
                  .pods()
                  .inNamespace(namespace)
                  .withName(pod)
                  .inContainer(container)
                  .withReadyWaitTimeout(0)
                  .usingTimestamps()
                  .tailingLines(tailLines)
                  .getLog();
          return text == null || text.isEmpty() ? List.of() : List.of(text.split("\n"));
        });
  }

  @Override
  public Flux<String> follow(
      String cluster, String namespace, String pod, String container, int tailLines) {
    return clients
        .client(cluster)
        .flatMapMany(
            client ->
                Flux.using(
                    () -> new Stream(open(client, namespace, pod, container, tailLines)),
                    s ->
                        Flux.<String, BufferedReader>generate(
                            () ->
                                new BufferedReader(
                                    new InputStreamReader(
                                        s.watch.getOutput(), StandardCharsets.UTF_8)),
                            (reader, sink) -> {
                              try {
                                String line = reader.readLine();
                                if (line == null) {
                                  sink.complete();
                                } else {
                                  sink.next(line);
                                }
                              } catch (IOException e) {
                                // Closing the stream on cancel interrupts the read: that is the
                                // end, not a failure.
                                if (s.closed.get()) {
                                  sink.complete();
                                } else {
                                  sink.error(new UncheckedIOException(e));
                                }
                              }
                              return reader;
                            }),
                    Stream::close))
        // The read blocks: it runs on its own worker, and so do later requests for more lines.
        .subscribeOn(Schedulers.boundedElastic())
        .onErrorMap(e -> KubeClients.describe(cluster, e));
  }

  private LogWatch open(
      KubernetesClient client, String namespace, String pod, String container, int tailLines) {
    LogWatch watch =
        client
            .pods()
            .inNamespace(namespace)
            .withName(pod)
            .inContainer(container)
            .withReadyWaitTimeout(0)
            .tailingLines(tailLines)
            .watchLog();
    open.incrementAndGet();
    return watch;
  }

  /** One followed log: the connection, closed exactly once. */
  private final class Stream {
    final LogWatch watch;
    final AtomicBoolean closed = new AtomicBoolean();

    Stream(LogWatch watch) {
      this.watch = watch;
    }

    void close() {
      if (closed.compareAndSet(false, true)) {
        watch.close();
        open.decrementAndGet();
      }
    }
  }

  @Override
  public int openLogStreams() {
    return open.get();
  }

  @Override
  public Mono<List<KubeEvent>> events(
      String cluster, String namespace, UUID instanceId, Set<String> objects) {
    return clients.call(
        cluster,
        client -> {
          Set<String> refs = new HashSet<>(objects);
          String id = instanceId.toString();
          String label = InstanceLabels.INSTANCE;
          addAll(refs, client.pods().inNamespace(namespace).withLabel(label, id).list().getItems());
          addAll(
              refs,
              client
                  .apps()
                  .replicaSets()
                  .inNamespace(namespace)
                  .withLabel(label, id)
                  .list()
                  .getItems());
          addAll(
              refs,
              client
                  .batch()
                  .v1()
                  .jobs()
                  .inNamespace(namespace)
                  .withLabel(label, id)
                  .list()
                  .getItems());
          addAll(
              refs,
              client
                  .persistentVolumeClaims()
                  .inNamespace(namespace)
                  .withLabel(label, id)
                  .list()
                  .getItems());
          List<KubeEvent> found = new ArrayList<>();
          for (Event e : client.v1().events().inNamespace(namespace).list().getItems()) {
            ObjectReference o = e.getInvolvedObject();
            if (o == null
                || (o.getNamespace() != null && !o.getNamespace().equals(namespace))
                || !refs.contains(o.getKind() + "/" + o.getName())) {
              continue;
            }
            Instant first = instant(e.getFirstTimestamp());
            Instant last = instant(e.getLastTimestamp());
            if (last == null && e.getEventTime() != null) {
              last = instant(e.getEventTime().getTime());
            }
            if (last == null) {
              last = instant(e.getMetadata().getCreationTimestamp());
            }
            found.add(
                new KubeEvent(
                    e.getType(),
                    e.getReason(),
                    e.getMessage(),
                    o.getKind(),
                    o.getName(),
                    e.getCount() == null ? 1 : e.getCount(),
                    first == null ? last : first,
                    last));
          }
          return found;
        });
  }

  private static void addAll(Set<String> refs, List<? extends HasMetadata> items) {
    items.forEach(i -> refs.add(i.getKind() + "/" + i.getMetadata().getName()));
  }

  private static Instant instant(String text) {
    if (text == null || text.isEmpty()) {
      return null;
    }
    try {
      return Instant.parse(text);
    } catch (DateTimeParseException e) {
      return null;
    }
  }
}
