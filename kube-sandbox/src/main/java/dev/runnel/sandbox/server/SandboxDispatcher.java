package dev.runnel.sandbox.server;

import io.fabric8.mockwebserver.http.Dispatcher;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The front door: routes each request to the first handler that owns it and otherwise to the CRUD
 * store, and tells the controllers when something changed. Runs on the server's event loop, so
 * nothing here blocks.
 */
public final class SandboxDispatcher extends Dispatcher {

  private static final Logger LOG = LoggerFactory.getLogger(SandboxDispatcher.class);

  private final Store store;
  private final List<RouteHandler> handlers;
  private final Runnable onChange;

  public SandboxDispatcher(Store store, List<RouteHandler> handlers, Runnable onChange) {
    this.store = store;
    this.handlers = List.copyOf(handlers);
    this.onChange = onChange;
  }

  @Override
  public synchronized MockResponse dispatch(RecordedRequest recorded) {
    SandboxRequest request = SandboxRequest.of(recorded);
    MockResponse response;
    try {
      response = route(recorded, request);
    } catch (RuntimeException e) {
      LOG.warn("{} {} failed", request.method(), request.path(), e);
      response = Responses.status(500, "InternalError", String.valueOf(e.getMessage()));
    }
    // Events are written by the controllers and read by people; no controller reacts to them,
    // so recording one does not start another pass.
    if (!request.method().equals("GET")
        && response.code() < 300
        && !request.path().endsWith("/events")
        && !request.path().contains("/events/")) {
      onChange.run();
    }
    return response;
  }

  /**
   * Runs {@code read} while no request is being dispatched: for work outside a request (a log
   * stream's next lines) that reads the store.
   */
  public synchronized <T> T exclusive(java.util.function.Supplier<T> read) {
    return read.get();
  }

  private MockResponse route(RecordedRequest recorded, SandboxRequest request) {
    for (RouteHandler handler : handlers) {
      Optional<MockResponse> response = handler.handle(request);
      if (response.isPresent()) {
        return response.get();
      }
    }
    return store.forward(recorded);
  }
}
