package dev.runnel.sandbox.server;

import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Silences the mock web server's per-request INFO lines (it logs through java.util.logging). The
 * logger is held in a static field because java.util.logging keeps loggers only weakly and would
 * otherwise forget the level.
 */
public final class QuietLogging {

  private static final Logger MOCK_WEB_SERVER =
      Logger.getLogger("io.fabric8.mockwebserver.MockWebServer");

  private QuietLogging() {}

  public static void apply() {
    MOCK_WEB_SERVER.setLevel(Level.WARNING);
  }
}
