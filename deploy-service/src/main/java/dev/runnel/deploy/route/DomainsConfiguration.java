package dev.runnel.deploy.route;

import dev.runnel.deploy.route.application.DomainProperties;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Configuration;

/** Custom domains and access rules of instances. */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(DomainProperties.class)
class DomainsConfiguration {}
