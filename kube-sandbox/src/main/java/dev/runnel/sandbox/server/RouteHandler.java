package dev.runnel.sandbox.server;

import io.fabric8.mockwebserver.http.MockResponse;
import java.util.Optional;

/** One part of the simulated API: answers the requests it owns, leaves the rest to the store. */
@FunctionalInterface
public interface RouteHandler {

  Optional<MockResponse> handle(SandboxRequest request);
}
