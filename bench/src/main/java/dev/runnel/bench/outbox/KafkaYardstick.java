package dev.runnel.bench.outbox;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * The yardstick: the same number of records of the same shape (key, CloudEvents headers, JSON
 * value) through the same broker with a plain producer configured like the kit's relay (idempotent,
 * acks=all, linger 5 ms) and a plain consumer, no database on either side. It is the ceiling the
 * outbox pipeline can approach on this machine at this moment, so its ratio to the pipeline
 * separates the cost of the pipeline from the noise of a shared machine.
 */
final class KafkaYardstick {
  private static final String TOPIC = "bench.yardstick";

  private KafkaYardstick() {}

  /** Produces and consumes {@code count} records; returns records per second end to end. */
  static double run(String bootstrap, int count, int partitions, int subjects)
      throws InterruptedException, ExecutionException {
    try (Admin admin =
        Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
      admin.createTopics(List.of(new NewTopic(TOPIC, partitions, (short) 1))).all().get();
    }
    Map<String, Object> consumerConfig =
        Map.of(
            ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
            bootstrap,
            ConsumerConfig.GROUP_ID_CONFIG,
            "bench.yardstick",
            ConsumerConfig.AUTO_OFFSET_RESET_CONFIG,
            "earliest",
            ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG,
            false,
            ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG,
            StringDeserializer.class,
            ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG,
            ByteArrayDeserializer.class);
    Map<String, Object> producerConfig =
        Map.of(
            ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
            bootstrap,
            ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG,
            true,
            ProducerConfig.ACKS_CONFIG,
            "all",
            ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION,
            5,
            ProducerConfig.LINGER_MS_CONFIG,
            5,
            ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG,
            StringSerializer.class,
            ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG,
            ByteArraySerializer.class);
    try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(consumerConfig);
        KafkaProducer<String, byte[]> producer = new KafkaProducer<>(producerConfig)) {
      consumer.subscribe(Set.of(TOPIC));
      awaitAssignment(consumer, partitions);
      long start = System.nanoTime();
      Thread sender = new Thread(() -> produce(producer, count, subjects), "yardstick-producer");
      sender.start();
      long received = 0;
      long deadline = start + TimeUnit.SECONDS.toNanos(120);
      while (received < count && System.nanoTime() < deadline) {
        ConsumerRecords<String, byte[]> records = consumer.poll(Duration.ofMillis(100));
        received += records.count();
      }
      long elapsed = System.nanoTime() - start;
      sender.join();
      if (received < count) {
        throw new IllegalStateException(
            "the yardstick received " + received + " of " + count + " records within 120 s");
      }
      return count / (elapsed / 1e9);
    }
  }

  private static void awaitAssignment(KafkaConsumer<String, byte[]> consumer, int partitions) {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (consumer.assignment().size() < partitions) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("the yardstick consumer got no partitions within 30 s");
      }
      consumer.poll(Duration.ofMillis(100));
    }
  }

  private static void produce(KafkaProducer<String, byte[]> producer, int count, int subjects) {
    for (int n = 0; n < count; n++) {
      String subject = "agg-" + (n % subjects);
      ProducerRecord<String, byte[]> record =
          new ProducerRecord<>(
              TOPIC,
              subject,
              ("{\"n\":" + n + ",\"name\":\"item " + n + "\"}").getBytes(StandardCharsets.UTF_8));
      header(record, "ce_specversion", "1.0");
      header(record, "ce_id", UUID.randomUUID().toString());
      header(record, "ce_source", "/runnel/bench");
      header(record, "ce_type", OutboxWriter.TYPE);
      header(record, "ce_subject", subject);
      header(record, "ce_time", OffsetDateTime.now(ZoneOffset.UTC).toString());
      header(record, "ce_actor", "bench");
      header(record, "content-type", "application/json");
      producer.send(record);
    }
    producer.flush();
  }

  private static void header(ProducerRecord<String, byte[]> record, String name, String value) {
    record.headers().add(name, value.getBytes(StandardCharsets.UTF_8));
  }
}
