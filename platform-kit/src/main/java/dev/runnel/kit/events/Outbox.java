package dev.runnel.kit.events;

import io.micrometer.tracing.Span;
import io.micrometer.tracing.TraceContext;
import io.micrometer.tracing.Tracer;
import java.time.ZoneOffset;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.r2dbc.core.DatabaseClient;
import reactor.core.publisher.Mono;

/**
 * Records events in the service's outbox table. Call it inside the transaction of the state change
 * (for example with {@code TransactionalOperator}): the event is published if and only if that
 * transaction commits.
 */
public final class Outbox {
  private final DatabaseClient db;
  private final String topic;
  private final String typePrefix;
  private final ObjectProvider<Tracer> tracer;

  public Outbox(DatabaseClient db, String service, ObjectProvider<Tracer> tracer) {
    this.db = db;
    this.topic = "runnel." + service;
    this.typePrefix = "runnel." + service + ".";
    this.tracer = tracer;
  }

  public Mono<Void> record(OutgoingEvent event) {
    if (!event.type().startsWith(typePrefix)) {
      return Mono.error(
          new IllegalArgumentException(
              "this service publishes " + typePrefix + "* events, not " + event.type()));
    }
    DatabaseClient.GenericExecuteSpec insert =
        db.sql(
                "insert into runnel_outbox (id, topic, type, subject, team, actor, traceparent,"
                    + " occurred_at, data) values (:id, :topic, :type, :subject, :team, :actor,"
                    + " :traceparent, :time, :data)")
            .bind("id", event.id())
            .bind("topic", topic)
            .bind("type", event.type())
            .bind("subject", event.subject())
            .bind("time", event.time().atOffset(ZoneOffset.UTC))
            .bind("data", event.data());
    insert = bindNullable(insert, "team", event.team());
    insert = bindNullable(insert, "actor", event.actor());
    insert = bindNullable(insert, "traceparent", traceparent());
    return insert.then();
  }

  private static DatabaseClient.GenericExecuteSpec bindNullable(
      DatabaseClient.GenericExecuteSpec spec, String name, String value) {
    return value == null ? spec.bindNull(name, String.class) : spec.bind(name, value);
  }

  /** W3C trace context of the current span, so the consumer continues the same trace. */
  private String traceparent() {
    Tracer t = tracer.getIfAvailable();
    Span span = t == null ? null : t.currentSpan();
    if (span == null) {
      return null;
    }
    TraceContext c = span.context();
    return "00-"
        + c.traceId()
        + "-"
        + c.spanId()
        + "-"
        + (Boolean.TRUE.equals(c.sampled()) ? "01" : "00");
  }
}
