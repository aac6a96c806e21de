package dev.runnel.identity.team.application;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The Keycloak reconciler's pace.
 *
 * @param interval how often teams with a pending push are pushed again; zero turns the reconciler
 *     off (pushes then happen only right after each change)
 */
@ConfigurationProperties("runnel.identity.sync")
public record SyncProperties(@DefaultValue("30s") Duration interval) {}
