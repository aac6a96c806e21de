package dev.runnel.kit.autoconfigure;

import dev.runnel.kit.config.RunnelProperties;
import dev.runnel.kit.db.DatabaseMigrations;
import dev.runnel.kit.events.CloudEventCodec;
import dev.runnel.kit.events.EventHandler;
import dev.runnel.kit.events.EventSubscribers;
import dev.runnel.kit.events.Outbox;
import dev.runnel.kit.events.OutboxRelay;
import dev.runnel.kit.problem.ProblemWebExceptionHandler;
import dev.runnel.kit.security.AccessDenials;
import dev.runnel.kit.telemetry.KafkaHealthIndicator;
import dev.runnel.kit.web.BodySizeLimitFilter;
import dev.runnel.kit.web.ServiceAboutHandler;
import dev.runnel.kit.web.StrictJsonWebConfigurer;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.tracing.Tracer;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.info.BuildProperties;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.boot.kafka.autoconfigure.KafkaAutoConfiguration;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.boot.r2dbc.autoconfigure.R2dbcAutoConfiguration;
import org.springframework.boot.r2dbc.autoconfigure.R2dbcProperties;
import org.springframework.boot.r2dbc.autoconfigure.R2dbcTransactionManagerAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.kafka.core.DefaultKafkaProducerFactory;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.transaction.ReactiveTransactionManager;
import org.springframework.transaction.reactive.TransactionalOperator;
import org.springframework.web.reactive.function.server.RouterFunction;
import org.springframework.web.reactive.function.server.RouterFunctions;
import org.springframework.web.reactive.function.server.ServerResponse;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;
import tools.jackson.databind.json.JsonMapper;

/** Wires the platform kit into a service. Each part backs off where the service has no use. */
@AutoConfiguration(
    after = {
      JacksonAutoConfiguration.class,
      R2dbcAutoConfiguration.class,
      R2dbcTransactionManagerAutoConfiguration.class,
      KafkaAutoConfiguration.class
    })
@EnableConfigurationProperties(RunnelProperties.class)
public class RunnelKitAutoConfiguration {

  /** The wall clock; tests replace it to control time. */
  @Bean
  @ConditionalOnMissingBean
  java.time.Clock clock() {
    return java.time.Clock.systemUTC();
  }

  /** Ends the service with the supervisor that started it, when there is one. */
  @Bean
  @ConditionalOnProperty("runnel.parent.pid")
  dev.runnel.kit.config.ParentProcessWatch runnelParentProcessWatch(
      org.springframework.core.env.Environment environment) {
    return new dev.runnel.kit.config.ParentProcessWatch(
        Long.parseLong(environment.getRequiredProperty("runnel.parent.pid")));
  }

  @Bean
  ProblemWebExceptionHandler runnelProblemHandler(
      JsonMapper mapper, ObjectProvider<Tracer> tracer) {
    return new ProblemWebExceptionHandler(mapper, tracer);
  }

  @Bean
  StrictJsonWebConfigurer runnelStrictJson(JsonMapper mapper, RunnelProperties properties) {
    return new StrictJsonWebConfigurer(mapper, properties.web().maxBodyBytes());
  }

  @Bean
  BodySizeLimitFilter runnelBodySizeLimit(
      RunnelProperties properties, ObjectProvider<dev.runnel.kit.web.BodyLimitOverride> overrides) {
    return new BodySizeLimitFilter(
        properties.web().maxBodyBytes(), overrides.orderedStream().toList());
  }

  @Bean
  RouterFunction<ServerResponse> runnelAboutRoute(
      RunnelProperties properties,
      ObjectProvider<DatabaseMigrations> migrations,
      ObjectProvider<OutboxRelay> relay,
      ObjectProvider<BuildProperties> build) {
    ServiceAboutHandler handler =
        new ServiceAboutHandler(properties.service(), migrations, relay, build);
    return RouterFunctions.route()
        .GET("/api/" + properties.service() + "/v1/about", handler::about)
        .build();
  }

  /** Database: migrations and a transactional operator. */
  @Configuration(proxyBeanMethods = false)
  @ConditionalOnProperty("spring.r2dbc.url")
  static class Database {
    @Bean
    DatabaseMigrations runnelDatabaseMigrations(R2dbcProperties r2dbc, RunnelProperties runnel) {
      return new DatabaseMigrations(
          r2dbc.getUrl(), r2dbc.getUsername(), r2dbc.getPassword(), runnel.migrationLocations());
    }

    @Bean
    @ConditionalOnMissingBean
    TransactionalOperator transactionalOperator(ReactiveTransactionManager transactions) {
      return TransactionalOperator.create(transactions);
    }
  }

  /** Events: outbox, relay, subscribers, topics and Kafka readiness. */
  @Configuration(proxyBeanMethods = false)
  @ConditionalOnProperty("spring.r2dbc.url")
  @ConditionalOnProperty(name = "runnel.events.enabled", matchIfMissing = true)
  static class Events {
    @Bean
    Outbox runnelOutbox(
        DatabaseMigrations migrated,
        DatabaseClient db,
        RunnelProperties properties,
        ObjectProvider<Tracer> tracer) {
      return new Outbox(db, properties.service(), tracer);
    }

    /** An idempotent producer: retries never duplicate or reorder within a partition. */
    @Bean
    KafkaTemplate<String, byte[]> runnelEventTemplate(
        KafkaProperties kafka, RunnelProperties properties) {
      Map<String, Object> config = new HashMap<>(kafka.buildProducerProperties());
      config.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
      config.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
      config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
      config.put(ProducerConfig.ACKS_CONFIG, "all");
      config.put(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, 5);
      config.put(ProducerConfig.LINGER_MS_CONFIG, 5);
      int timeout = (int) properties.events().sendTimeout().toMillis();
      config.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, Math.min(timeout, 5000));
      config.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, Math.min(timeout, 5000));
      config.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, Math.max(timeout, 5010));
      config.put(ProducerConfig.CLIENT_ID_CONFIG, "runnel-" + properties.service() + "-relay");
      return new KafkaTemplate<>(new DefaultKafkaProducerFactory<>(config));
    }

    @Bean
    OutboxRelay runnelOutboxRelay(
        DatabaseMigrations migrated,
        DatabaseClient db,
        TransactionalOperator tx,
        KafkaTemplate<String, byte[]> runnelEventTemplate,
        RunnelProperties properties,
        MeterRegistry meters) {
      return new OutboxRelay(db, tx, runnelEventTemplate, properties, meters);
    }

    @Bean
    EventSubscribers runnelEventSubscribers(
        DatabaseMigrations migrated,
        ObjectProvider<EventHandler> handlers,
        KafkaProperties kafka,
        KafkaTemplate<String, byte[]> runnelEventTemplate,
        DatabaseClient db,
        TransactionalOperator tx,
        RunnelProperties properties) {
      return new EventSubscribers(
          handlers.orderedStream().toList(),
          kafka.buildConsumerProperties(),
          runnelEventTemplate,
          db,
          tx,
          properties);
    }

    /**
     * Denials as events: the outbox in a transaction of their own, Kafka directly when the outbox
     * fails (see {@link AccessDenials}).
     */
    @Bean
    @ConditionalOnProperty(name = "runnel.denials.enabled", matchIfMissing = true)
    AccessDenials runnelAccessDenials(
        Outbox outbox,
        TransactionalOperator tx,
        KafkaTemplate<String, byte[]> runnelEventTemplate,
        RunnelProperties properties,
        JsonMapper json,
        MeterRegistry meters) {
      RunnelProperties.Denials settings = properties.denials();
      return new AccessDenials(
          properties.service(),
          event -> tx.transactional(outbox.record(event)),
          event ->
              Mono.fromFuture(
                      () ->
                          runnelEventTemplate.send(
                              CloudEventCodec.toRecord(
                                  event, properties.topic(), properties.source())))
                  // send() may block on metadata while Kafka is away: not on an event loop.
                  .subscribeOn(Schedulers.boundedElastic())
                  .then(),
          json,
          settings.coalesceWindow(),
          settings.maxPerSecond(),
          settings.timeout(),
          meters,
          System::nanoTime);
    }

    @Bean
    NewTopic runnelTopic(RunnelProperties properties) {
      return new NewTopic(properties.topic(), properties.events().partitions(), (short) 1);
    }

    @Bean
    NewTopic runnelDeadLetterTopic(RunnelProperties properties) {
      return new NewTopic(properties.topic() + ".dlt", properties.events().partitions(), (short) 1);
    }

    @Bean
    KafkaHealthIndicator kafkaHealthIndicator(KafkaProperties kafka) {
      return new KafkaHealthIndicator(kafka.buildAdminProperties());
    }
  }
}
