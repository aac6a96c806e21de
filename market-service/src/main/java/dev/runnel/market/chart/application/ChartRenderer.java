package dev.runnel.market.chart.application;

import dev.runnel.market.chart.domain.ChartArchive;
import reactor.core.publisher.Mono;

/**
 * Renders a chart with its default values, client-only, to prove it installs. Fails with {@link
 * RenderFailedException} carrying the engine's message when it does not render.
 */
public interface ChartRenderer {
  Mono<Void> render(ChartArchive chart, byte[] pkg);

  /** The chart does not render; the message is the engine's, trimmed, fit to show a user. */
  final class RenderFailedException extends RuntimeException {
    public RenderFailedException(String message) {
      super(message, null, false, false);
    }
  }
}
