package dev.runnel.sandbox.metrics;

import dev.runnel.sandbox.server.SandboxDispatcher;
import dev.runnel.sandbox.server.SandboxRequest;
import dev.runnel.sandbox.server.StreamRoute;
import io.fabric8.mockwebserver.http.MockResponse;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code GET .../pods/<name>/log?follow=true}: writes the lines so far, keeps the response open and
 * writes each new line as the sandbox's time passes (checked every {@value #TICK_MILLIS} ms, so a
 * test that advances the clock sees the lines at once). The stream ends, as the kubelet ends it,
 * when the followed container terminates (after its exit line), restarts, or its pod is deleted.
 */
public final class LogStreamRoute implements StreamRoute {

  static final long TICK_MILLIS = 200;

  /** Lines written per tick at most, so that a large clock jump does not flood one write. */
  static final int MAX_LINES_PER_TICK = 2_000;

  private final LogHandler logs;
  private final SandboxDispatcher dispatcher;

  public LogStreamRoute(LogHandler logs, SandboxDispatcher dispatcher) {
    this.logs = logs;
    this.dispatcher = dispatcher;
  }

  @Override
  public boolean serve(SandboxRequest request, HttpServerRequest http, Vertx vertx) {
    if (!LogHandler.isLogRequest(request) || !request.flag("follow")) {
      return false;
    }
    LogHandler.Read first = dispatcher.exclusive(() -> logs.read(request));
    HttpServerResponse response = http.response();
    if (first.error() != null) {
      send(response, first.error());
      return true;
    }
    LogHandler.Log log = first.log();
    response.setStatusCode(200).putHeader("Content-Type", "text/plain").setChunked(true);
    response.write(log.render(first.tailLines(), first.timestamps()));
    if (!first.follow() || log.terminated()) {
      response.end();
      return true;
    }
    Follow follow = new Follow(request, response, log, first.timestamps());
    long timer = vertx.setPeriodic(TICK_MILLIS, id -> follow.tick(vertx, id));
    follow.timer = timer;
    response.closeHandler(ignored -> vertx.cancelTimer(timer));
    return true;
  }

  /** One open stream: the container run it follows and the last request line written. */
  private final class Follow {
    private final SandboxRequest request;
    private final SandboxRequest previousRun;
    private final HttpServerResponse response;
    private final LogHandler.Log followed;
    private final boolean timestamps;
    private long written;
    long timer;

    Follow(
        SandboxRequest request,
        HttpServerResponse response,
        LogHandler.Log followed,
        boolean timestamps) {
      this.request = request;
      Map<String, String> query = new HashMap<>(request.query());
      query.put("previous", "true");
      query.remove("tailLines");
      this.previousRun =
          new SandboxRequest(
              request.method(),
              request.path(),
              query,
              request.contentType(),
              request.accept(),
              false,
              "");
      this.response = response;
      this.followed = followed;
      this.timestamps = timestamps;
      this.written = followed.requestLines();
    }

    void tick(Vertx vertx, long id) {
      if (response.closed() || response.ended()) {
        vertx.cancelTimer(id);
        return;
      }
      LogHandler.Log now = dispatcher.exclusive(() -> sameRun(logs.read(request)));
      if (now == null) {
        // The container restarted or is gone: finish the run we followed from its last state.
        now = dispatcher.exclusive(() -> sameRun(logs.read(previousRun)));
        if (now == null) {
          finish(vertx);
          return;
        }
      }
      long available = now.requestLines();
      long upTo = Math.min(available, written + MAX_LINES_PER_TICK);
      List<String> lines = now.linesAfter(written);
      if (upTo < available) {
        lines = lines.subList(0, (int) (upTo - written));
      }
      if (!lines.isEmpty()) {
        response.write(Buffer.buffer(LogHandler.Log.format(lines, timestamps)));
      }
      written = upTo;
      if (now.terminated() && upTo == available) {
        finish(vertx);
      }
    }

    /** The log of the run being followed, or null when the read shows another run or an error. */
    private LogHandler.Log sameRun(LogHandler.Read read) {
      if (read.error() != null) {
        return null;
      }
      LogHandler.Log log = read.log();
      boolean same = log.podUid().equals(followed.podUid()) && log.start().equals(followed.start());
      return same ? log : null;
    }

    private void finish(Vertx vertx) {
      vertx.cancelTimer(timer);
      if (!response.ended() && !response.closed()) {
        response.end();
      }
    }
  }

  private static void send(HttpServerResponse response, MockResponse answer) {
    response.setStatusCode(answer.code());
    answer.getHeaders().toMultimap().forEach(response::putHeader);
    response.end(Buffer.buffer(answer.getBody().getBytes()));
  }
}
