package dev.runnel.cli.up;

import dev.runnel.embedded.ParentWatch;
import dev.runnel.sandbox.KubeSandboxMain;

/** The simulated cluster as a child of `runnel up`, ending with it. */
public final class SandboxProcessMain {
  private SandboxProcessMain() {}

  public static void main(String[] args) throws InterruptedException {
    ParentWatch.exitWithParent();
    KubeSandboxMain.main(args);
  }
}
