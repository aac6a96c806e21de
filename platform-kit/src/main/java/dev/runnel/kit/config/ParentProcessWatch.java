package dev.runnel.kit.config;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.SmartInitializingSingleton;

/**
 * When a service is started by another process ({@code runnel up}, a test) that passes its pid as
 * {@code -Drunnel.parent.pid}, the service shuts down cleanly once that process is gone, so a
 * supervisor killed without its shutdown hooks leaves no orphans listening on its ports.
 */
public final class ParentProcessWatch implements SmartInitializingSingleton {
  private static final Logger log = LoggerFactory.getLogger(ParentProcessWatch.class);
  private final long parentPid;

  public ParentProcessWatch(long parentPid) {
    this.parentPid = parentPid;
  }

  @Override
  public void afterSingletonsInstantiated() {
    ProcessHandle.of(parentPid)
        .ifPresentOrElse(parent -> parent.onExit().thenRun(this::exit), this::exit);
  }

  private void exit() {
    log.warn("the process that started this service ({}) is gone; shutting down", parentPid);
    // System.exit runs the shutdown hooks, which close the application context gracefully.
    new Thread(() -> System.exit(0), "parent-gone-exit").start();
  }
}
