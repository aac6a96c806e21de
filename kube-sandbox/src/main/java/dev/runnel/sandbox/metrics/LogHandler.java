package dev.runnel.sandbox.metrics;

import dev.runnel.sandbox.SimulatedClock;
import dev.runnel.sandbox.server.ResourcePath;
import dev.runnel.sandbox.server.Responses;
import dev.runnel.sandbox.server.RouteHandler;
import dev.runnel.sandbox.server.SandboxRequest;
import dev.runnel.sandbox.server.Store;
import io.fabric8.mockwebserver.http.MockResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Pod logs with synthetic lines: a start line, then one request line per five seconds the container
 * has run (at most 500), and a crash line for containers that terminated with an error. {@code
 * tailLines}, {@code timestamps}, {@code container} and {@code previous} are honoured. {@code
 * follow=true} returns the lines so far and ends the stream, as if the container stopped writing:
 * the sandbox does not keep streams open.
 */
public final class LogHandler implements RouteHandler {

  private static final int MAX_LINES = 500;
  private static final Duration LINE_EVERY = Duration.ofSeconds(5);

  private final Store store;
  private final SimulatedClock clock;

  public LogHandler(Store store, SimulatedClock clock) {
    this.store = store;
    this.clock = clock;
  }

  @Override
  public Optional<MockResponse> handle(SandboxRequest request) {
    Optional<ResourcePath> parsed = request.resourcePath();
    if (!request.method().equals("GET")
        || parsed.isEmpty()
        || !parsed.get().group().isEmpty()
        || !parsed.get().resource().equals("pods")
        || !"log".equals(parsed.get().subresource())) {
      return Optional.empty();
    }
    ResourcePath path = parsed.get();
    Optional<ObjectNode> pod = store.get(path.withoutSubresource().objectPath());
    if (pod.isEmpty()) {
      return Optional.of(Responses.notFound("pods", path.name()));
    }
    JsonNode containers = pod.get().path("spec").path("containers");
    String container = request.query().get("container");
    if (container == null || container.isEmpty()) {
      if (containers.size() > 1) {
        return Optional.of(
            Responses.status(
                400, "BadRequest", "a container name must be specified for pod " + path.name()));
      }
      container = containers.path(0).path("name").asString("");
    }
    JsonNode status = containerStatus(pod.get(), container);
    if (status == null) {
      return Optional.of(
          Responses.status(
              400,
              "BadRequest",
              "container \"" + container + "\" in pod \"" + path.name() + "\" is not known"));
    }
    boolean previous = request.flag("previous");
    JsonNode state = previous ? status.path("lastState") : status.path("state");
    JsonNode running = state.path("running");
    JsonNode terminated = state.path("terminated");
    if (running.isMissingNode() && terminated.isMissingNode()) {
      String reason = state.path("waiting").path("reason").asString("ContainerCreating");
      String message =
          previous
              ? "previous terminated container \""
                  + container
                  + "\" in pod \""
                  + path.name()
                  + "\" not found"
              : "container \""
                  + container
                  + "\" in pod \""
                  + path.name()
                  + "\" is waiting to start: "
                  + reason;
      return Optional.of(Responses.status(400, "BadRequest", message));
    }
    String startedAt =
        running.isMissingNode()
            ? terminated.path("startedAt").asString(null)
            : running.path("startedAt").asString(null);
    Instant start = startedAt == null ? clock.now() : Instant.parse(startedAt);
    Instant end =
        terminated.isMissingNode()
            ? clock.now()
            : Instant.parse(terminated.path("finishedAt").asString(startedAt));
    List<String> lines =
        lines(pod.get(), container, status.path("image").asString(""), start, end, terminated);
    String tail = request.query().get("tailLines");
    if (tail != null) {
      int keep = Integer.parseInt(tail);
      lines = lines.subList(Math.max(0, lines.size() - keep), lines.size());
    }
    boolean timestamps = request.flag("timestamps");
    StringBuilder body = new StringBuilder();
    for (String line : lines) {
      body.append(timestamps ? line : line.substring(line.indexOf(' ') + 1)).append('\n');
    }
    return Optional.of(Responses.text(200, body.toString()));
  }

  private static List<String> lines(
      JsonNode pod,
      String container,
      String image,
      Instant start,
      Instant end,
      JsonNode terminated) {
    String ref =
        pod.path("metadata").path("namespace").asString()
            + "/"
            + pod.path("metadata").path("name").asString();
    List<String> lines = new ArrayList<>();
    lines.add(
        start
            + " [kube-sandbox] simulated container "
            + container
            + " ("
            + image
            + ") started in pod "
            + ref);
    long count = Math.min(MAX_LINES, Duration.between(start, end).dividedBy(LINE_EVERY));
    for (long i = 1; i <= count; i++) {
      Instant at = start.plus(LINE_EVERY.multipliedBy(i));
      lines.add(at + " [kube-sandbox] GET /healthz 200 (simulated request " + i + ")");
    }
    if (!terminated.isMissingNode()) {
      int exit = terminated.path("exitCode").asInt();
      lines.add(
          end
              + (exit == 0
                  ? " [kube-sandbox] work finished, exiting with code 0"
                  : " [kube-sandbox] fatal: simulated crash, exiting with code " + exit));
    }
    return lines;
  }

  private static JsonNode containerStatus(JsonNode pod, String container) {
    for (JsonNode status : pod.path("status").path("containerStatuses")) {
      if (container.equals(status.path("name").asString())) {
        return status;
      }
    }
    for (JsonNode spec : pod.path("spec").path("containers")) {
      if (container.equals(spec.path("name").asString())) {
        ObjectNode waiting = Responses.mapper().createObjectNode();
        waiting.putObject("state").putObject("waiting").put("reason", "ContainerCreating");
        return waiting;
      }
    }
    return null;
  }
}
