package dev.runnel.deploy.team.application;

import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Configuration;

@Configuration
@EnableConfigurationProperties(TeamNamespaceProperties.class)
class TeamConfiguration {}
