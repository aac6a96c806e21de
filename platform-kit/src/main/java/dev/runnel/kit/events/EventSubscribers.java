package dev.runnel.kit.events;

import dev.runnel.kit.config.RunnelProperties;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.kafka.core.DefaultKafkaConsumerFactory;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.listener.BatchListenerFailedException;
import org.springframework.kafka.listener.BatchMessageListener;
import org.springframework.kafka.listener.ConcurrentMessageListenerContainer;
import org.springframework.kafka.listener.ContainerProperties;
import org.springframework.kafka.listener.DeadLetterPublishingRecoverer;
import org.springframework.kafka.listener.DefaultErrorHandler;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.transaction.reactive.TransactionalOperator;
import org.springframework.util.backoff.FixedBackOff;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Subscribes every {@link EventHandler} bean: one listener container each, its own consumer group.
 *
 * <p>A poll's records are handled in one database transaction together with their inbox rows (fast
 * path). If that fails, the records are handled one transaction each, so that the ones before the
 * failing record are kept and only it is retried; after the configured attempts it goes to {@code
 * <topic>.dlt} and consumption continues. Offsets are committed only after the transaction, so a
 * crash redelivers and the inbox skips what was already done.
 */
public final class EventSubscribers implements SmartLifecycle {
  private static final Logger log = LoggerFactory.getLogger(EventSubscribers.class);

  private final List<ConcurrentMessageListenerContainer<String, byte[]>> containers =
      new ArrayList<>();
  private volatile boolean running;

  public EventSubscribers(
      List<EventHandler> handlers,
      Map<String, Object> consumerProperties,
      KafkaTemplate<String, byte[]> deadLetters,
      DatabaseClient db,
      TransactionalOperator tx,
      RunnelProperties properties) {
    RunnelProperties.Events settings = properties.events();
    for (EventHandler handler : handlers) {
      Map<String, Object> config = new HashMap<>(consumerProperties);
      config.put(ConsumerConfig.GROUP_ID_CONFIG, properties.service() + "." + handler.name());
      config.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
      config.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
      config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
      config.putIfAbsent(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
      // Pattern subscriptions notice topics created after start within this time.
      config.put(ConsumerConfig.METADATA_MAX_AGE_CONFIG, 5000);
      ContainerProperties container = new ContainerProperties(handler.topics());
      container.setMessageListener(new Listener(handler, db, tx));
      container.setAckMode(ContainerProperties.AckMode.BATCH);
      ConcurrentMessageListenerContainer<String, byte[]> c =
          new ConcurrentMessageListenerContainer<>(
              new DefaultKafkaConsumerFactory<>(config), container);
      c.setBeanName("events-" + handler.name());
      c.setConcurrency(settings.consumerConcurrency());
      DeadLetterPublishingRecoverer recoverer =
          new DeadLetterPublishingRecoverer(
              deadLetters, (record, e) -> new TopicPartition(record.topic() + ".dlt", -1));
      DefaultErrorHandler errors =
          new DefaultErrorHandler(
              recoverer,
              new FixedBackOff(
                  settings.consumerRetryDelay().toMillis(), settings.consumerMaxAttempts() - 1L));
      errors.addNotRetryableExceptions(InvalidEventException.class);
      // A database or network outage is not the event's fault: wait it out instead of moving
      // every event of the outage to the dead-letter topic.
      errors.setBackOffFunction(
          (record, e) -> Transience.isTransient(e) ? Transience.untilRecovered(settings) : null);
      c.setCommonErrorHandler(errors);
      containers.add(c);
    }
  }

  @Override
  public void start() {
    containers.forEach(ConcurrentMessageListenerContainer::start);
    running = true;
  }

  @Override
  public void stop() {
    containers.forEach(ConcurrentMessageListenerContainer::stop);
    running = false;
  }

  @Override
  public boolean isRunning() {
    return running;
  }

  private static final class Listener implements BatchMessageListener<String, byte[]> {
    private static final Duration TIMEOUT = Duration.ofSeconds(60);
    private final EventHandler handler;
    private final boolean bulk;
    private final DatabaseClient db;
    private final TransactionalOperator tx;

    Listener(EventHandler handler, DatabaseClient db, TransactionalOperator tx) {
      this.handler = handler;
      this.bulk = overridesHandleAll(handler);
      this.db = db;
      this.tx = tx;
    }

    @Override
    public void onMessage(List<ConsumerRecord<String, byte[]>> records) {
      List<IncomingEvent> events = new ArrayList<>(records.size());
      InvalidEventException invalid = null;
      for (ConsumerRecord<String, byte[]> record : records) {
        try {
          events.add(CloudEventCodec.fromRecord(record));
        } catch (InvalidEventException e) {
          invalid = e;
          break;
        }
      }
      int failedAt = handleAll(events);
      if (failedAt >= 0) {
        // Keep the work of the records before the failing one, then retry from it alone.
        if (failedAt > 0) {
          int again = handleAll(events.subList(0, failedAt));
          if (again != SUCCESS) {
            throw failure(Math.max(again, 0), events.get(Math.max(again, 0)));
          }
        }
        throw failure(failedAt, events.get(failedAt));
      }
      if (failedAt == FAILED_SOMEWHERE) {
        if (events.size() == 1) {
          throw failure(0, events.get(0));
        }
        // A bulk handler cannot say which event failed: find it by handling one at a time, so
        // that the work of the records before it is kept and only it is retried.
        for (int i = 0; i < events.size(); i++) {
          if (handleAll(events.subList(i, i + 1)) != SUCCESS) {
            throw failure(i, events.get(i));
          }
        }
        // Every record passed on its own: the poll's failure was not theirs (a lost connection,
        // a commit that failed); all are handled now.
      }
      if (invalid != null) {
        throw new BatchListenerFailedException(invalid.getMessage(), invalid, events.size());
      }
    }

    private static boolean overridesHandleAll(EventHandler handler) {
      try {
        return handler.getClass().getMethod("handleAll", List.class).getDeclaringClass()
            != EventHandler.class;
      } catch (NoSuchMethodException e) {
        throw new IllegalStateException("EventHandler.handleAll is part of the interface", e);
      }
    }

    private RuntimeException failure(int index, IncomingEvent event) {
      RuntimeException cause = lastFailure;
      log.warn(
          "{} failed on event {} ({}): {}",
          handler.name(),
          event.id(),
          event.type(),
          cause.toString());
      return new BatchListenerFailedException(
          "handler " + handler.name() + " failed", cause, index);
    }

    private RuntimeException lastFailure;

    private static final int SUCCESS = -1;
    private static final int FAILED_SOMEWHERE = -2;

    /**
     * Handles the events in one transaction with their inbox rows. Returns {@link #SUCCESS}, the
     * index of the event being handled when it failed (the last one if the commit failed), or
     * {@link #FAILED_SOMEWHERE} when a bulk handler failed and the event is not known.
     */
    private int handleAll(List<IncomingEvent> events) {
      if (events.isEmpty()) {
        return SUCCESS;
      }
      int[] current = {bulk ? FAILED_SOMEWHERE : 0};
      String[] ids = events.stream().map(IncomingEvent::id).toArray(String[]::new);
      // One statement marks the whole poll processed; only the ids it newly inserted are handled.
      // A redelivered copy already in the inbox, or twice in this poll, is skipped.
      Mono<Void> work =
          db.sql(
                  "insert into runnel_inbox (consumer, event_id) select :consumer, unnest(:ids)"
                      + " on conflict do nothing returning event_id")
              .bind("consumer", handler.name())
              .bind("ids", ids)
              .map(row -> row.get("event_id", String.class))
              .all()
              .collect(java.util.stream.Collectors.toCollection(java.util.HashSet::new))
              .flatMap(
                  fresh -> {
                    List<Integer> todo = new ArrayList<>(fresh.size());
                    for (int i = 0; i < events.size(); i++) {
                      if (fresh.remove(events.get(i).id())) {
                        todo.add(i);
                      }
                    }
                    if (todo.isEmpty()) {
                      return Mono.<Void>empty();
                    }
                    if (bulk) {
                      return handler.handleAll(todo.stream().map(events::get).toList());
                    }
                    // One at a time, remembering which one runs, so that only it is retried.
                    return Flux.fromIterable(todo)
                        .concatMap(
                            i -> {
                              current[0] = i;
                              return handler.handle(events.get(i));
                            })
                        .then();
                  });
      try {
        tx.transactional(work).block(TIMEOUT);
        return SUCCESS;
      } catch (RuntimeException e) {
        lastFailure = e;
        return current[0];
      }
    }
  }
}
