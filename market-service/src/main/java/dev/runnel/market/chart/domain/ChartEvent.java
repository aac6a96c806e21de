package dev.runnel.market.chart.domain;

import java.time.Instant;
import java.util.UUID;

/** What happened to a published chart. Wire names are in {@link #type()}. */
public sealed interface ChartEvent {
  UUID eventId();

  Instant occurredAt();

  PublishedChart chart();

  String type();

  record Published(UUID eventId, Instant occurredAt, PublishedChart chart) implements ChartEvent {
    @Override
    public String type() {
      return "runnel.market.chart.published.v1";
    }
  }

  record Deleted(UUID eventId, Instant occurredAt, PublishedChart chart) implements ChartEvent {
    @Override
    public String type() {
      return "runnel.market.chart.deleted.v1";
    }
  }
}
