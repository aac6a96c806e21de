package dev.runnel.market;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.runnel.testkit.TestKafka;
import io.cloudevents.CloudEvent;
import io.cloudevents.core.builder.CloudEventBuilder;
import io.cloudevents.kafka.KafkaMessageFactory;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

/** Installs counted from deploy-service's events rank an app above an equally relevant one. */
class AppInstallsIT extends MarketItSupport {

  private static void publish(CloudEvent event) {
    Properties config = new Properties();
    config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, TestKafka.get().bootstrapServers());
    config.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
    config.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
    try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(config)) {
      ProducerRecord<String, byte[]> record =
          KafkaMessageFactory.createWriter("runnel.deploy", event.getSubject()).writeBinary(event);
      producer.send(record).get(30, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new AssertionError("could not publish " + event.getId(), e);
    }
  }

  private static CloudEvent instanceEvent(String type, String instanceId, String repo) {
    String data =
        "{\"instanceId\":\""
            + instanceId
            + "\",\"team\":\"acme\",\"cluster\":\"local\",\"namespace\":\"acme\","
            + "\"name\":\"web\",\"repository\":\""
            + repo
            + "\",\"chart\":\"redis\",\"version\":\"23.1.1\",\"revision\":1,"
            + "\"state\":\"running\",\"health\":\"Healthy\"}";
    return CloudEventBuilder.v1()
        .withId(UUID.randomUUID().toString())
        .withType(type)
        .withSource(URI.create("/runnel/deploy"))
        .withSubject(instanceId)
        .withTime(OffsetDateTime.now(ZoneOffset.UTC))
        .withExtension("team", "acme")
        .withData("application/json", data.getBytes(StandardCharsets.UTF_8))
        .build();
  }

  private long installsOf(String repo, String app) {
    Map<String, Object> page =
        get("/api/market/v1/apps?repository=" + repo + "&limit=50", viewer());
    return items(page).stream()
        .filter(a -> app.equals(a.get("name")))
        .map(a -> ((Number) a.get("installs")).longValue())
        .findFirst()
        .orElseThrow();
  }

  @Test
  void installsAndDeletionsFromDeployEventsAreCountedOnceEach() {
    String repo = uniqueName("installs");
    addOk(repo, server.url("/repo"));
    String first = UUID.randomUUID().toString();
    String second = UUID.randomUUID().toString();

    CloudEvent installed = instanceEvent("runnel.deploy.instance.installed.v1", first, repo);
    publish(installed);
    publish(installed); // redelivered: counts once
    publish(instanceEvent("runnel.deploy.instance.installed.v1", second, repo));
    publish(instanceEvent("runnel.deploy.instance.deleted.v1", first, repo));
    // Another instance's own lifecycle event does not count.
    publish(instanceEvent("runnel.deploy.instance.upgraded.v1", second, repo));
    publish(
        instanceEvent("runnel.deploy.instance.installed.v1", UUID.randomUUID().toString(), repo));

    await().atMost(WAIT).until(() -> installsOf(repo, "redis") == 2);
    assertThat(installsOf(repo, "nginx")).isZero();
    List<Map<String, Object>> all = items(get("/api/market/v1/apps?repository=" + repo, viewer()));
    assertThat(all.get(0).get("name"))
        .as("with no query, the most installed app comes first")
        .isEqualTo("redis");
  }
}
