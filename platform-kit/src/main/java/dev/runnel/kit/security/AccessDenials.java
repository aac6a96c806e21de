package dev.runnel.kit.security;

import dev.runnel.kit.events.OutgoingEvent;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;
import tools.jackson.databind.json.JsonMapper;

/**
 * Records every refused request as a {@code runnel.<service>.access.denied.v1} event, so the audit
 * trail sees who tried what.
 *
 * <p>The event goes to the outbox in a transaction of its own (a denial changes no state to join).
 * When the outbox cannot take it (the database is down or slow), the event is sent to Kafka
 * directly, with the same id; only when both fail is it lost, counted as {@code
 * runnel.denials{outcome=lost}} and logged without the request's secrets. Recording never changes
 * the answer: {@link #record} always completes empty.
 *
 * <p>A hostile client can cause denials as fast as it can send requests, so recording is bounded:
 * identical denials (same actor, method, path and status) within {@code coalesceWindow} become one
 * event whose {@code repeated} field counts those suppressed before it, and at most {@code
 * maxPerSecond} events per second leave this process; the rest are counted ({@code
 * outcome=coalesced}, {@code outcome=rate-limited}) but not recorded one by one.
 */
public final class AccessDenials {
  private static final Logger log = LoggerFactory.getLogger(AccessDenials.class);
  private static final int MAX_TEXT = 512;
  private static final int PRUNE_ABOVE = 1024;

  private final String type;
  private final Function<OutgoingEvent, Mono<Void>> outbox;
  private final Function<OutgoingEvent, Mono<Void>> direct;
  private final JsonMapper json;
  private final long windowNanos;
  private final int maxPerSecond;
  private final Duration timeout;
  private final LongSupplier nanoTime;
  private final Counter recorded;
  private final Counter sentDirectly;
  private final Counter coalesced;
  private final Counter rateLimited;
  private final Counter lost;

  private final Map<String, Window> windows = new HashMap<>();
  private double tokens;
  private long refilledAt;

  /** Identical denials seen since the last event recorded for one key. */
  private static final class Window {
    long startedAt;
    long suppressed;

    Window(long startedAt) {
      this.startedAt = startedAt;
    }
  }

  /**
   * @param service the service's short name: events are {@code runnel.<service>.access.denied.v1}
   * @param outbox writes the event to the outbox in its own transaction
   * @param direct sends the event to Kafka without the outbox, when the outbox failed
   */
  public AccessDenials(
      String service,
      Function<OutgoingEvent, Mono<Void>> outbox,
      Function<OutgoingEvent, Mono<Void>> direct,
      JsonMapper json,
      Duration coalesceWindow,
      int maxPerSecond,
      Duration timeout,
      MeterRegistry meters,
      LongSupplier nanoTime) {
    this.type = "runnel." + service + ".access.denied.v1";
    this.outbox = outbox;
    this.direct = direct;
    this.json = json;
    this.windowNanos = coalesceWindow.toNanos();
    this.maxPerSecond = maxPerSecond;
    this.timeout = timeout;
    this.nanoTime = nanoTime;
    this.tokens = maxPerSecond;
    this.refilledAt = nanoTime.getAsLong();
    this.recorded = counter(meters, "recorded");
    this.sentDirectly = counter(meters, "sent-directly");
    this.coalesced = counter(meters, "coalesced");
    this.rateLimited = counter(meters, "rate-limited");
    this.lost = counter(meters, "lost");
  }

  private static Counter counter(MeterRegistry meters, String outcome) {
    return Counter.builder("runnel.denials")
        .description("Refused requests by what became of their access.denied event")
        .tag("outcome", outcome)
        .register(meters);
  }

  /** The event type this service records denials as. */
  public String type() {
    return type;
  }

  /** Records the denial (or counts it, when bounded away); never fails. */
  public Mono<Void> record(DeniedRequest denied) {
    return Mono.defer(
        () -> {
          String actor = denied.caller() == null ? null : denied.caller().username();
          String key = actor + ' ' + denied.method() + ' ' + denied.path() + ' ' + denied.status();
          long repeated = admit(key);
          if (repeated < 0) {
            return Mono.empty();
          }
          OutgoingEvent event;
          try {
            event =
                OutgoingEvent.of(
                    type,
                    clip(denied.path()),
                    denied.requestedTeam(),
                    actor,
                    json.writeValueAsString(data(denied, repeated)));
          } catch (RuntimeException e) {
            return lost(denied, e);
          }
          return outbox
              .apply(event)
              .timeout(timeout)
              .doOnSuccess(v -> recorded.increment())
              .onErrorResume(
                  first -> {
                    log.warn(
                        "denial event {} not written to the outbox ({}); sending it to Kafka"
                            + " directly",
                        event.id(),
                        rootMessage(first));
                    return direct
                        .apply(event)
                        .timeout(timeout)
                        .doOnSuccess(v -> sentDirectly.increment());
                  })
              .onErrorResume(second -> lost(denied, second));
        });
  }

  private Mono<Void> lost(DeniedRequest denied, Throwable e) {
    lost.increment();
    log.warn(
        "denial of {} {} ({}) could not be recorded: {}",
        denied.method(),
        clip(denied.path()),
        denied.status(),
        rootMessage(e));
    return Mono.empty();
  }

  /**
   * How many identical denials were suppressed before this one, or -1 when this one is coalesced
   * into a recent event or over the rate.
   */
  private synchronized long admit(String key) {
    long now = nanoTime.getAsLong();
    if (windows.size() > PRUNE_ABOVE) {
      for (Iterator<Window> it = windows.values().iterator(); it.hasNext(); ) {
        if (now - it.next().startedAt >= windowNanos) {
          it.remove();
        }
      }
    }
    Window window = windows.get(key);
    if (window != null && now - window.startedAt < windowNanos) {
      window.suppressed++;
      coalesced.increment();
      return -1;
    }
    tokens = Math.min(maxPerSecond, tokens + (now - refilledAt) * maxPerSecond / 1e9);
    refilledAt = now;
    if (tokens < 1) {
      rateLimited.increment();
      return -1;
    }
    tokens -= 1;
    long repeated = window == null ? 0 : window.suppressed;
    windows.put(key, new Window(now));
    return repeated;
  }

  private static Map<String, Object> data(DeniedRequest d, long repeated) {
    Map<String, Object> data = new LinkedHashMap<>();
    data.put("method", d.method());
    data.put("path", clip(d.path()));
    if (d.route() != null) {
      data.put("route", clip(d.route()));
    }
    data.put("status", d.status());
    data.put("reason", d.reason().wire());
    if (d.detail() != null) {
      data.put("detail", clip(d.detail()));
    }
    Caller c = d.caller();
    if (c != null) {
      Map<String, Object> actor = new LinkedHashMap<>();
      actor.put("subject", c.subject());
      actor.put("username", c.username());
      actor.put("platformRoles", c.platformRoles().stream().sorted().toList());
      actor.put("teams", new TreeMap<>(c.teams()));
      data.put("actor", actor);
    }
    if (d.requestedTeam() != null) {
      data.put("requestedTeam", d.requestedTeam());
    }
    if (d.objectKind() != null) {
      Map<String, Object> object = new LinkedHashMap<>();
      object.put("kind", d.objectKind());
      if (d.objectId() != null) {
        object.put("id", clip(d.objectId()));
      }
      data.put("object", object);
    }
    data.put("repeated", repeated);
    return data;
  }

  private static String clip(String text) {
    return text == null || text.length() <= MAX_TEXT ? text : text.substring(0, MAX_TEXT) + "…";
  }

  private static String rootMessage(Throwable e) {
    Throwable root = e;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    return root.getClass().getSimpleName() + ": " + root.getMessage();
  }
}
