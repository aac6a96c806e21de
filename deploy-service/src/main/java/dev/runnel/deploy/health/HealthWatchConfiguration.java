package dev.runnel.deploy.health;

import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Configuration;

@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(HealthWatchProperties.class)
class HealthWatchConfiguration {}
