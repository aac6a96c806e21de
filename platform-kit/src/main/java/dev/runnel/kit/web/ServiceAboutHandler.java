package dev.runnel.kit.web;

import dev.runnel.kit.db.DatabaseMigrations;
import dev.runnel.kit.events.OutboxRelay;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.info.BuildProperties;
import org.springframework.web.reactive.function.server.ServerRequest;
import org.springframework.web.reactive.function.server.ServerResponse;
import reactor.core.publisher.Mono;

/**
 * {@code GET /api/<service>/v1/about}: what this service is and the state of its plumbing, for
 * operators and for the console's system page. Authenticated like every API.
 */
public final class ServiceAboutHandler {
  private final String service;
  private final ObjectProvider<DatabaseMigrations> migrations;
  private final ObjectProvider<OutboxRelay> relay;
  private final ObjectProvider<BuildProperties> build;

  public ServiceAboutHandler(
      String service,
      ObjectProvider<DatabaseMigrations> migrations,
      ObjectProvider<OutboxRelay> relay,
      ObjectProvider<BuildProperties> build) {
    this.service = service;
    this.migrations = migrations;
    this.relay = relay;
    this.build = build;
  }

  public Mono<ServerResponse> about(ServerRequest request) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("service", service);
    BuildProperties b = build.getIfAvailable();
    body.put("version", b != null ? b.getVersion() : "development");
    body.put("topic", "runnel." + service);
    DatabaseMigrations m = migrations.getIfAvailable();
    if (m != null) {
      body.put("schemaVersion", m.schemaVersion());
    }
    OutboxRelay r = relay.getIfAvailable();
    if (r != null) {
      body.put("outboxPending", r.pending());
    }
    body.put(
        "uptime",
        Duration.ofMillis(ManagementFactory.getRuntimeMXBean().getUptime())
            .withNanos(0)
            .toString());
    return ServerResponse.ok().bodyValue(body);
  }
}
