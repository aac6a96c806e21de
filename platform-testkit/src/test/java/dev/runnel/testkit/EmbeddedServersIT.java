package dev.runnel.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

@RunnelInfra
class EmbeddedServersIT {

  @Test
  void postgresKeepsOneDatabasePerService() {
    TestPostgres pg = TestPostgres.get();
    pg.database("market");
    pg.database("audit");
    pg.execute("market", "create table probe(v int)");
    pg.execute("market", "insert into probe values (42)");

    assertThat(pg.queryOne("market", "select v from probe")).isEqualTo(42);
    assertThat(pg.queryOne("audit", "select count(*) from pg_tables where tablename = 'probe'"))
        .isEqualTo(0L);
  }

  @Test
  void kafkaKeepsRecordsAcrossARestart() throws Exception {
    KafkaBroker kafka = TestKafka.get();
    send(kafka, "before");
    kafka.stop();
    assertThat(kafka.isRunning()).isFalse();
    kafka.start();
    send(kafka, "after");

    assertThat(readAll(kafka, 2)).containsExactly("before", "after");
  }

  @Test
  void tokensCarryKeycloakShapedClaims() {
    String token = TestTokens.get().user("ada").teamRole("acme", "team-admin").mint();
    String payload = new String(java.util.Base64.getUrlDecoder().decode(token.split("\\.")[1]));
    assertThat(payload)
        .contains("\"preferred_username\":\"ada\"")
        .contains("/teams/acme/team-admin");
  }

  private static void send(KafkaBroker kafka, String value) throws Exception {
    Map<String, Object> config =
        Map.of(
            ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
            ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class,
            ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
    try (KafkaProducer<String, String> producer = new KafkaProducer<>(config)) {
      producer.send(new ProducerRecord<>("probe", "k", value)).get();
    }
  }

  private static List<String> readAll(KafkaBroker kafka, int expected) {
    Properties config = new Properties();
    config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
    config.put(ConsumerConfig.GROUP_ID_CONFIG, "probe-reader");
    config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    config.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
    config.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
    List<String> values = new java.util.ArrayList<>();
    try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(config)) {
      consumer.subscribe(List.of("probe"));
      long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
      while (values.size() < expected && System.nanoTime() < deadline) {
        for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(500))) {
          values.add(r.value());
        }
      }
    }
    return values;
  }
}
