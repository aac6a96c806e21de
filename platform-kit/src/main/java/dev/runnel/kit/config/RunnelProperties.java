package dev.runnel.kit.config;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import java.time.Duration;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Settings shared by every Runnel service.
 *
 * @param service this service's short name ({@code market}, {@code audit}, ...): the topic it
 *     publishes to is {@code runnel.<service>}, its events are {@code runnel.<service>.*}, its API
 *     lives under {@code /api/<service>/v1}
 * @param web limits applied to every request
 * @param events outbox relay and consumer settings
 * @param database migration settings
 * @param denials how refused requests become {@code access.denied} events
 */
@ConfigurationProperties("runnel")
@Validated
public record RunnelProperties(
    @Pattern(regexp = "[a-z][a-z0-9-]{1,30}") @NotNull String service,
    @Valid @DefaultValue Web web,
    @Valid @DefaultValue Events events,
    @Valid @DefaultValue Database database,
    @Valid @DefaultValue Denials denials) {

  /**
   * @param maxBodyBytes the largest request body a service reads into memory; larger gets 413
   */
  public record Web(@DefaultValue("262144") @Min(1024) int maxBodyBytes) {}

  /**
   * @param enabled whether this service publishes and consumes events
   * @param partitions partitions of this service's topic when the platform creates it
   * @param relayBatchSize how many outbox rows the relay sends per round trip
   * @param relayIdleDelay how long the relay waits when the outbox was empty
   * @param relayMaxBackoff the longest pause between attempts while Kafka or the database fails
   * @param sendTimeout how long the relay waits for Kafka to acknowledge a batch
   * @param consumerMaxAttempts deliveries of one event to a handler before it goes to the
   *     dead-letter topic {@code <topic>.dlt}
   * @param consumerRetryDelay pause between those deliveries
   * @param consumerConcurrency consumer threads per handler; order is kept per partition, so more
   *     threads than the topic has partitions only idle
   */
  public record Events(
      @DefaultValue("true") boolean enabled,
      @DefaultValue("6") @Min(1) @Max(128) int partitions,
      @DefaultValue("500") @Min(1) @Max(10000) int relayBatchSize,
      @DefaultValue("50ms") Duration relayIdleDelay,
      @DefaultValue("10s") Duration relayMaxBackoff,
      @DefaultValue("15s") Duration sendTimeout,
      @DefaultValue("3") @Min(1) @Max(20) int consumerMaxAttempts,
      @DefaultValue("500ms") Duration consumerRetryDelay,
      @DefaultValue("1") @Min(1) @Max(64) int consumerConcurrency) {}

  /**
   * @param migrationLocations where this service's Flyway migrations are; the platform kit's own
   *     tables (outbox, inbox) migrate separately first
   */
  public record Database(List<String> migrationLocations) {}

  /**
   * @param enabled whether refused requests (403, and 404 for another team's object) are recorded
   * @param coalesceWindow identical denials (actor, method, path, status) within this window become
   *     one event that counts the repeats
   * @param maxPerSecond the most denial events one process records per second; the rest are counted
   *     in the {@code runnel.denials} metric only
   * @param timeout how long a denial's answer waits for its event to be written (outbox, then Kafka
   *     directly)
   */
  public record Denials(
      @DefaultValue("true") boolean enabled,
      @DefaultValue("1s") Duration coalesceWindow,
      @DefaultValue("100") @Min(1) @Max(100000) int maxPerSecond,
      @DefaultValue("2s") Duration timeout) {}

  public String topic() {
    return "runnel." + service;
  }

  public String source() {
    return "/runnel/" + service;
  }

  public List<String> migrationLocations() {
    List<String> locations = database.migrationLocations();
    return locations == null || locations.isEmpty()
        ? List.of("classpath:db/migration/" + service)
        : locations;
  }
}
