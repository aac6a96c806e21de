package dev.runnel.testkit;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * Records every message of a topic from its beginning, in a background consumer, so a test can wait
 * for the events it expects and then look at their headers and bodies.
 */
public final class TopicRecorder implements AutoCloseable {
  private final KafkaConsumer<String, byte[]> consumer;
  private final List<Message> messages = new CopyOnWriteArrayList<>();
  private final Thread poller;
  private volatile boolean open = true;

  /** A message as it was on the wire: key, headers (the {@code ce_*} attributes), value. */
  public record Message(
      String topic,
      int partition,
      long offset,
      String key,
      Map<String, String> headers,
      String value) {
    public String header(String name) {
      return headers.get(name);
    }

    public String type() {
      return headers.get("ce_type");
    }

    public String id() {
      return headers.get("ce_id");
    }

    public String subject() {
      return headers.get("ce_subject");
    }
  }

  public TopicRecorder(String bootstrapServers, String topic) {
    Properties config = new Properties();
    config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    config.put(ConsumerConfig.GROUP_ID_CONFIG, "test-recorder-" + UUID.randomUUID());
    config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
    config.put(ConsumerConfig.METADATA_MAX_AGE_CONFIG, "1000");
    config.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
    config.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
    consumer = new KafkaConsumer<>(config);
    consumer.subscribe(java.util.regex.Pattern.compile(java.util.regex.Pattern.quote(topic)));
    poller = new Thread(this::poll, "topic-recorder-" + topic);
    poller.setDaemon(true);
    poller.start();
  }

  private void poll() {
    try {
      while (open) {
        for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(200))) {
          Map<String, String> headers = new HashMap<>();
          for (Header h : r.headers()) {
            headers.put(
                h.key(), h.value() == null ? null : new String(h.value(), StandardCharsets.UTF_8));
          }
          messages.add(
              new Message(
                  r.topic(),
                  r.partition(),
                  r.offset(),
                  r.key(),
                  headers,
                  r.value() == null ? null : new String(r.value(), StandardCharsets.UTF_8)));
        }
      }
    } catch (WakeupException e) {
      // close() wakes the poller to end it; any other wake-up is unexpected.
      if (open) {
        throw e;
      }
    } finally {
      consumer.close();
    }
  }

  /** Every message so far. */
  public List<Message> messages() {
    return new ArrayList<>(messages);
  }

  /** Waits until a message matches, failing the test after the timeout. */
  public Message await(Predicate<Message> match, Duration timeout) {
    return awaitCount(match, 1, timeout).get(0);
  }

  /** Waits until at least {@code count} messages match; returns all that match. */
  public List<Message> awaitCount(Predicate<Message> match, int count, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      List<Message> found = messages.stream().filter(match).toList();
      if (found.size() >= count) {
        return found;
      }
      if (System.nanoTime() > deadline) {
        throw new AssertionError(
            "expected "
                + count
                + " matching message(s) within "
                + timeout
                + ", saw "
                + found.size()
                + " of "
                + messages.size()
                + " on the topic");
      }
      try {
        Thread.sleep(50);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError("interrupted while waiting for messages", e);
      }
    }
  }

  @Override
  public void close() {
    open = false;
    consumer.wakeup();
    try {
      poller.join(5000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
