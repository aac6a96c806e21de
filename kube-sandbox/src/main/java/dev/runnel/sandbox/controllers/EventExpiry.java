package dev.runnel.sandbox.controllers;

import dev.runnel.sandbox.server.SandboxCrudDispatcher;
import dev.runnel.sandbox.server.SandboxCrudDispatcher.EventRef;
import java.time.Duration;

/**
 * The API server's Event time to live ({@code --event-ttl}, one hour by default): an Event not
 * written again within the time to live goes, so a long-running cluster does not keep every Event
 * it ever recorded. Measured on the sandbox's simulated clock, so a test can advance past it.
 *
 * <p>The store tells which Events are due (it keeps them in order of their last write, so this
 * costs nothing when none is); the deletions go through the API like any other controller's, so
 * watches see them and they are served on the server's event loop.
 */
public final class EventExpiry implements Controller {

  private final SandboxCrudDispatcher store;
  private final Duration ttl;

  public EventExpiry(SandboxCrudDispatcher store, Duration ttl) {
    this.store = store;
    this.ttl = ttl;
  }

  @Override
  public void reconcile(Reconcile pass) {
    for (EventRef event : store.eventsWrittenBefore(pass.now().minus(ttl))) {
      pass.client()
          .genericKubernetesResources(event.apiVersion(), "Event")
          .inNamespace(event.namespace())
          .withName(event.name())
          .delete();
    }
  }
}
