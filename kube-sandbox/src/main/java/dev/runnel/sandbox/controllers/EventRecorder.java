package dev.runnel.sandbox.controllers;

import dev.runnel.sandbox.SimulatedClock;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes core/v1 Events the way components do: one Event per object, reason and message, whose
 * count grows when it repeats instead of a new Event each time.
 */
public final class EventRecorder {

  private static final Logger LOG = LoggerFactory.getLogger(EventRecorder.class);
  private static final int MAX_REMEMBERED = 10_000;

  private final KubernetesClient client;
  private final SimulatedClock clock;

  /** Recent events by object, reason and message; bounded so a long run does not grow it. */
  private final Map<String, String> names =
      Collections.synchronizedMap(
          new LinkedHashMap<>(256, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, String> eldest) {
              return size() > MAX_REMEMBERED;
            }
          });

  public EventRecorder(KubernetesClient client, SimulatedClock clock) {
    this.client = client;
    this.clock = clock;
  }

  public void normal(HasMetadata object, String component, String reason, String message) {
    record(object, component, "Normal", reason, message);
  }

  public void warning(HasMetadata object, String component, String reason, String message) {
    record(object, component, "Warning", reason, message);
  }

  private void record(
      HasMetadata object, String component, String type, String reason, String message) {
    String namespace = object.getMetadata().getNamespace();
    String eventNamespace = namespace == null ? "default" : namespace;
    String key = object.getMetadata().getUid() + "|" + reason + "|" + message;
    String now = clock.timestamp();
    String existingName = names.get(key);
    try {
      if (existingName != null) {
        Event existing =
            client.v1().events().inNamespace(eventNamespace).withName(existingName).get();
        if (existing != null) {
          existing.setCount(existing.getCount() == null ? 2 : existing.getCount() + 1);
          existing.setLastTimestamp(now);
          client.v1().events().inNamespace(eventNamespace).resource(existing).update();
          return;
        }
      }
      String name = object.getMetadata().getName() + "." + Long.toHexString(System.nanoTime());
      Event event =
          new EventBuilder()
              .withNewMetadata()
              .withName(name)
              .withNamespace(eventNamespace)
              .endMetadata()
              .withNewInvolvedObject()
              .withApiVersion(object.getApiVersion())
              .withKind(object.getKind())
              .withName(object.getMetadata().getName())
              .withNamespace(namespace)
              .withUid(object.getMetadata().getUid())
              .withResourceVersion(object.getMetadata().getResourceVersion())
              .endInvolvedObject()
              .withType(type)
              .withReason(reason)
              .withMessage(message)
              .withNewSource()
              .withComponent(component)
              .endSource()
              .withReportingComponent(component)
              .withReportingInstance(component + "-sandbox")
              .withFirstTimestamp(now)
              .withLastTimestamp(now)
              .withCount(1)
              .build();
      client.v1().events().inNamespace(eventNamespace).resource(event).create();
      names.put(key, name);
    } catch (KubernetesClientException e) {
      // Events are best effort in Kubernetes too: losing one must not fail the controller.
      LOG.debug("could not record event {} for {}", reason, object.getMetadata().getName(), e);
    }
  }
}
