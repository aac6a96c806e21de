package dev.runnel.audit.trail.adapter.in.events;

import dev.runnel.audit.trail.application.TrailProperties;
import dev.runnel.kit.config.RunnelProperties;
import org.apache.kafka.clients.admin.NewTopic;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.kafka.core.KafkaAdmin;

/**
 * Creates the platform's topics when they do not exist yet, so that the trail subscribes to them at
 * start-up rather than at the first metadata refresh after their producer creates them. Each
 * producing service creates its own topic the same way; whichever starts first wins.
 */
@Configuration(proxyBeanMethods = false)
class PlatformTopics {
  @Bean
  KafkaAdmin.NewTopics auditPlatformTopics(TrailProperties trail, RunnelProperties runnel) {
    return new KafkaAdmin.NewTopics(
        trail.knownTopics().stream()
            .map(topic -> new NewTopic(topic, runnel.events().partitions(), (short) 1))
            .toArray(NewTopic[]::new));
  }
}
