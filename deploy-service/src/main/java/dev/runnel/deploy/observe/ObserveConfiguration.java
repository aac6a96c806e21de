package dev.runnel.deploy.observe;

import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Configuration;

/** Wires logs and Kubernetes Events of instances. */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(ObserveProperties.class)
class ObserveConfiguration {}
