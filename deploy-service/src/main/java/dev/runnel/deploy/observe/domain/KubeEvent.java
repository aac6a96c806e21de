package dev.runnel.deploy.observe.domain;

import java.time.Instant;

/**
 * A core/v1 Event about one of an instance's objects, as Kubernetes reported it.
 *
 * @param type {@code Normal} or {@code Warning}
 * @param count how many times Kubernetes saw it (it folds repeats into one Event)
 * @param firstTime when it was first seen; may be null for events that carry only an event time
 * @param lastTime when it was last seen; the order events are listed in (newest first)
 */
public record KubeEvent(
    String type,
    String reason,
    String message,
    String objectKind,
    String objectName,
    int count,
    Instant firstTime,
    Instant lastTime) {}
