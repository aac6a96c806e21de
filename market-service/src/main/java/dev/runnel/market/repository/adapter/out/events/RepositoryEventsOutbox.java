package dev.runnel.market.repository.adapter.out.events;

import dev.runnel.kit.events.Outbox;
import dev.runnel.kit.events.OutgoingEvent;
import dev.runnel.market.repository.application.RepositoryEvents;
import dev.runnel.market.repository.domain.ChartRepository;
import dev.runnel.market.repository.domain.RepositoryEvent;
import dev.runnel.market.repository.domain.SyncStatus;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;
import tools.jackson.databind.json.JsonMapper;

/**
 * Repository and app events on the wire: the shapes in {@code
 * docs/events/runnel.market.{repository,app}.*.v1.schema.json}. Credentials never appear; only the
 * kind of authentication does.
 */
@Component
class RepositoryEventsOutbox implements RepositoryEvents {
  /** More versions than this in one app event are cut, with {@code truncated: true}. */
  static final int MAX_VERSIONS = 1000;

  private final Outbox outbox;
  private final JsonMapper json;

  RepositoryEventsOutbox(Outbox outbox, JsonMapper json) {
    this.outbox = outbox;
    this.json = json;
  }

  @Override
  public Mono<Void> record(RepositoryEvent event, String actor) {
    Map<String, Object> data;
    if (event instanceof RepositoryEvent.Added e) {
      data = settings(e.repository());
    } else if (event instanceof RepositoryEvent.Updated e) {
      data = settings(e.repository());
    } else if (event instanceof RepositoryEvent.Removed e) {
      data = Map.of("name", e.repository().name());
    } else if (event instanceof RepositoryEvent.Synced e) {
      data = synced(e);
    } else if (event instanceof RepositoryEvent.SyncFailed e) {
      data = Map.of("name", e.repository(), "error", e.error());
    } else {
      data = versions((RepositoryEvent.AppVersionsChanged) event);
    }
    return outbox.record(
        new OutgoingEvent(
            event.eventId(),
            event.type(),
            event.subject(),
            null,
            actor,
            event.occurredAt(),
            json.writeValueAsString(data)));
  }

  private static Map<String, Object> settings(ChartRepository r) {
    Map<String, Object> data = new LinkedHashMap<>();
    data.put("name", r.name());
    data.put("url", r.url());
    data.put("auth", r.auth().kindName());
    data.put("customCa", r.caPem() != null);
    data.put("syncIntervalSeconds", r.syncInterval().toSeconds());
    return data;
  }

  private static Map<String, Object> synced(RepositoryEvent.Synced e) {
    SyncStatus s = e.status();
    Map<String, Object> data = new LinkedHashMap<>();
    data.put("name", e.repository());
    data.put("indexSha256", s.indexSha256());
    data.put("apps", s.apps());
    data.put("versions", s.versions());
    data.put("skipped", s.skipped());
    data.put("appsChanged", e.appsChanged());
    data.put("versionsAdded", e.versionsAdded());
    data.put("versionsRemoved", e.versionsRemoved());
    return data;
  }

  private static Map<String, Object> versions(RepositoryEvent.AppVersionsChanged e) {
    List<String> versions = e.versions();
    Map<String, Object> data = new LinkedHashMap<>();
    data.put("repository", e.repository());
    data.put("app", e.app());
    data.put("count", versions.size());
    data.put(
        "versions", versions.size() > MAX_VERSIONS ? versions.subList(0, MAX_VERSIONS) : versions);
    data.put("truncated", versions.size() > MAX_VERSIONS);
    return data;
  }
}
