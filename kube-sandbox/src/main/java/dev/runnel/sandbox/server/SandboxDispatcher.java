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

  private static final int TRIM_EVERY = 4096;

  private final Store store;
  private final List<RouteHandler> handlers;
  private final Runnable onChange;
  private Runnable trim = () -> {};
  private long requests;

  public SandboxDispatcher(Store store, List<RouteHandler> handlers, Runnable onChange) {
    this.store = store;
    this.handlers = List.copyOf(handlers);
    this.onChange = onChange;
  }

  /**
   * The mock web server records every request for tests that assert on them; a long-running sandbox
   * would keep them all, so they are dropped every few thousand requests.
   */
  public void trimRecordedRequests(Runnable trimmer) {
    this.trim = trimmer;
  }

  @Override
  public synchronized MockResponse dispatch(RecordedRequest recorded) {
    if (++requests % TRIM_EVERY == 0) {
      trim.run();
    }
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
