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
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Pod logs with synthetic lines: a start line, then one request line per five seconds the container
 * has run, and an exit line for containers that terminated. A log request sees the last {@value
 * #KEPT_LINES} lines (older ones are rotated away, as the kubelet does). {@code tailLines}, {@code
 * timestamps}, {@code container} and {@code previous} are honoured. {@code follow=true} is served
 * by {@link LogStreamRoute}, which keeps the response open and writes lines as the sandbox's time
 * passes; this handler answers the lines so far.
 */
public final class LogHandler implements RouteHandler {

  static final int KEPT_LINES = 500;
  static final Duration LINE_EVERY = Duration.ofSeconds(5);

  private final Store store;
  private final SimulatedClock clock;

  public LogHandler(Store store, SimulatedClock clock) {
    this.store = store;
    this.clock = clock;
  }

  /** Whether the request asks for a pod's log. */
  static boolean isLogRequest(SandboxRequest request) {
    Optional<ResourcePath> parsed = request.resourcePath();
    return request.method().equals("GET")
        && parsed.isPresent()
        && parsed.get().group().isEmpty()
        && parsed.get().resource().equals("pods")
        && "log".equals(parsed.get().subresource());
  }

  @Override
  public Optional<MockResponse> handle(SandboxRequest request) {
    if (!isLogRequest(request)) {
      return Optional.empty();
    }
    Read read = read(request);
    if (read.error() != null) {
      return Optional.of(read.error());
    }
    return Optional.of(Responses.text(200, read.log().render(read.tailLines(), read.timestamps())));
  }

  /** The log a request asks for, or the error a real API server would answer. */
  Read read(SandboxRequest request) {
    ResourcePath path = request.resourcePath().orElseThrow();
    Integer tailLines = null;
    String tail = request.query().get("tailLines");
    if (tail != null) {
      try {
        tailLines = Integer.parseInt(tail.trim());
      } catch (NumberFormatException e) {
        tailLines = -1;
      }
      if (tailLines < 0) {
        return Read.failed(
            Responses.status(
                400,
                "BadRequest",
                "tailLines must be a non-negative integer, got \"" + tail + "\""));
      }
    }
    Optional<ObjectNode> pod = store.get(path.withoutSubresource().objectPath());
    if (pod.isEmpty()) {
      return Read.failed(Responses.notFound("pods", path.name()));
    }
    JsonNode containers = pod.get().path("spec").path("containers");
    String container = request.query().get("container");
    if (container == null || container.isEmpty()) {
      if (containers.size() > 1) {
        return Read.failed(
            Responses.status(
                400, "BadRequest", "a container name must be specified for pod " + path.name()));
      }
      container = containers.path(0).path("name").asString("");
    }
    JsonNode status = containerStatus(pod.get(), container);
    if (status == null) {
      return Read.failed(
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
      return Read.failed(Responses.status(400, "BadRequest", message));
    }
    String startedAt =
        running.isMissingNode()
            ? terminated.path("startedAt").asString(null)
            : running.path("startedAt").asString(null);
    Instant start = instant(startedAt, clock.now());
    Instant end =
        terminated.isMissingNode()
            ? null
            : instant(terminated.path("finishedAt").asString(startedAt), start);
    String ref =
        pod.get().path("metadata").path("namespace").asString()
            + "/"
            + pod.get().path("metadata").path("name").asString();
    Log log =
        new Log(
            pod.get().path("metadata").path("uid").asString(""),
            ref,
            container,
            status.path("image").asString(""),
            start,
            end,
            terminated.path("exitCode").asInt(0),
            clock.now());
    return new Read(
        null, log, tailLines, request.flag("timestamps"), request.flag("follow") && !previous);
  }

  private static Instant instant(String text, Instant fallback) {
    if (text == null) {
      return fallback;
    }
    try {
      return Instant.parse(text);
    } catch (DateTimeParseException e) {
      return fallback;
    }
  }

  /** A log request's outcome: an error response, or the log with the request's options. */
  record Read(MockResponse error, Log log, Integer tailLines, boolean timestamps, boolean follow) {
    static Read failed(MockResponse error) {
      return new Read(error, null, null, false, false);
    }
  }

  /**
   * One container run's synthetic log as of {@code now}: line 0 is the start line, line i (i ≥ 1)
   * the i-th request line, and a terminated run ends with its exit line.
   */
  record Log(
      String podUid,
      String ref,
      String container,
      String image,
      Instant start,
      Instant end,
      int exitCode,
      Instant now) {

    boolean terminated() {
      return end != null;
    }

    /** Request lines written so far (line numbers 1..n). */
    long requestLines() {
      Instant until = terminated() ? end : now;
      return until.isBefore(start) ? 0 : Duration.between(start, until).dividedBy(LINE_EVERY);
    }

    /** Lines after request line {@code after} (-1: from the start line), with the exit line. */
    List<String> linesAfter(long after) {
      List<String> lines = new ArrayList<>();
      if (after < 0) {
        lines.add(
            start
                + " [kube-sandbox] simulated container "
                + container
                + " ("
                + image
                + ") started in pod "
                + ref);
      }
      long last = requestLines();
      for (long i = Math.max(1, after + 1); i <= last; i++) {
        Instant at = start.plus(LINE_EVERY.multipliedBy(i));
        lines.add(at + " [kube-sandbox] GET /healthz 200 (simulated request " + i + ")");
      }
      if (terminated()) {
        lines.add(
            end
                + (exitCode == 0
                    ? " [kube-sandbox] work finished, exiting with code 0"
                    : " [kube-sandbox] fatal: simulated crash, exiting with code " + exitCode));
      }
      return lines;
    }

    /** The kept lines (the last {@value #KEPT_LINES}), then the tail, as response text. */
    String render(Integer tailLines, boolean timestamps) {
      long skip = Math.max(-1, requestLines() - KEPT_LINES);
      List<String> lines = linesAfter(skip);
      if (tailLines != null) {
        lines = lines.subList(Math.max(0, lines.size() - tailLines), lines.size());
      }
      return format(lines, timestamps);
    }

    static String format(List<String> lines, boolean timestamps) {
      StringBuilder body = new StringBuilder();
      for (String line : lines) {
        body.append(timestamps ? line : line.substring(line.indexOf(' ') + 1)).append('\n');
      }
      return body.toString();
    }
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
