package dev.runnel.deploy.observe.adapter.in.web;

import dev.runnel.deploy.observe.application.ObserveInstances;
import dev.runnel.deploy.observe.domain.KubeEvent;
import dev.runnel.deploy.observe.domain.LogLine;
import dev.runnel.kit.security.Callers;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.springframework.http.MediaType;
import org.springframework.http.codec.ServerSentEvent;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * {@code /api/deploy/v1/instances/{id}/logs} and {@code .../events}: whoever may read the instance
 * may read its logs and Events (viewers and auditors too); another team's instance is 404.
 *
 * <p>Without {@code follow}, logs are {@code text/plain}, one line per log line: the named
 * container's lines as written, or, without {@code pod}, the lines of every pod of the instance
 * (each pod's default container) merged in time order and prefixed {@code [pod] }. With {@code
 * follow=true} the answer is {@code text/event-stream}: events named {@code log} carrying {@code
 * {pod, container, line}}, then one event named {@code end} when Kubernetes ends the stream or the
 * follow time limit passes.
 */
@RestController
@RequestMapping("/api/deploy/v1/instances")
class ObserveController {
  private final ObserveInstances observe;

  ObserveController(ObserveInstances observe) {
    this.observe = observe;
  }

  @GetMapping(path = "/{id}/logs", produces = MediaType.TEXT_PLAIN_VALUE)
  Mono<String> logs(
      @PathVariable UUID id,
      @RequestParam(required = false) String pod,
      @RequestParam(required = false) String container,
      @RequestParam(required = false) Integer tailLines) {
    return Callers.current()
        .flatMap(c -> observe.tail(c, id, new ObserveInstances.LogQuery(pod, container, tailLines)))
        .map(lines -> lines.isEmpty() ? "" : String.join("\n", lines) + "\n");
  }

  @GetMapping(path = "/{id}/logs", params = "follow=true")
  Flux<ServerSentEvent<Object>> follow(
      @PathVariable UUID id,
      @RequestParam(required = false) String pod,
      @RequestParam(required = false) String container,
      @RequestParam(required = false) Integer tailLines) {
    return Callers.current()
        .flatMap(
            c -> observe.follow(c, id, new ObserveInstances.LogQuery(pod, container, tailLines)))
        .flatMapMany(
            lines ->
                lines
                    .map(
                        l ->
                            ServerSentEvent.<Object>builder(LogLineResponse.of(l))
                                .event("log")
                                .build())
                    .concatWith(
                        Mono.fromSupplier(
                            () ->
                                ServerSentEvent.<Object>builder(
                                        new EndResponse(
                                            "the log stream ended: the containers stopped, the pods"
                                                + " went away or the follow time limit of "
                                                + observe.followMaxDuration()
                                                + " passed"))
                                    .event("end")
                                    .build())));
  }

  @GetMapping("/{id}/events")
  Mono<EventListResponse> events(
      @PathVariable UUID id, @RequestParam(defaultValue = "100") int limit) {
    return Callers.current()
        .flatMap(c -> observe.events(c, id, limit))
        .map(items -> new EventListResponse(items.stream().map(EventResponse::of).toList()));
  }

  record LogLineResponse(String pod, String container, String line) {
    static LogLineResponse of(LogLine l) {
      return new LogLineResponse(l.pod(), l.container(), l.line());
    }
  }

  record EndResponse(String reason) {}

  record EventResponse(
      String type,
      String reason,
      String message,
      String objectKind,
      String objectName,
      int count,
      Instant firstTime,
      Instant lastTime) {
    static EventResponse of(KubeEvent e) {
      return new EventResponse(
          e.type(),
          e.reason(),
          e.message(),
          e.objectKind(),
          e.objectName(),
          e.count(),
          e.firstTime(),
          e.lastTime());
    }
  }

  record EventListResponse(List<EventResponse> items) {}
}
