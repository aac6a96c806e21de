package dev.runnel.kit.telemetry;

import java.time.Duration;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.ReactiveHealthIndicator;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/** Ready only while a Kafka broker answers: a service that cannot publish is not ready. */
public final class KafkaHealthIndicator implements ReactiveHealthIndicator, DisposableBean {
  private static final Duration TIMEOUT = Duration.ofSeconds(3);
  private final Admin admin;

  public KafkaHealthIndicator(Map<String, Object> adminProperties) {
    Map<String, Object> config = new java.util.HashMap<>(adminProperties);
    config.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) TIMEOUT.toMillis());
    config.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) TIMEOUT.toMillis());
    this.admin = Admin.create(config);
  }

  @Override
  public Mono<Health> health() {
    return Mono.fromCallable(
            () ->
                admin
                    .describeCluster(
                        new DescribeClusterOptions().timeoutMs((int) TIMEOUT.toMillis()))
                    .nodes()
                    .get()
                    .size())
        .subscribeOn(Schedulers.boundedElastic())
        .map(nodes -> Health.up().withDetail("nodes", nodes).build())
        .onErrorResume(
            e ->
                Mono.just(Health.down().withDetail("error", e.getClass().getSimpleName()).build()));
  }

  @Override
  public void destroy() {
    admin.close(Duration.ofSeconds(2));
  }
}
