package dev.runnel.sandbox.server;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerRequest;

/**
 * A request answered by a response that stays open (a followed pod log), which the mock web
 * server's one-shot responses cannot express. Routes run on the server's event loop and must not
 * block.
 */
public interface StreamRoute {

  /**
   * Serves the request and returns true when this route owns it; false leaves it to the dispatcher.
   */
  boolean serve(SandboxRequest request, HttpServerRequest http, Vertx vertx);
}
