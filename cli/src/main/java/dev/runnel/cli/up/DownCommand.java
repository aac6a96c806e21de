package dev.runnel.cli.up;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code runnel down}: asks a running {@code runnel up} to stop, and waits until it has. */
@Command(name = "down", description = "Stop the platform that `runnel up` started.")
public final class DownCommand implements Callable<Integer> {
  @Option(
      names = "--data-dir",
      description = "The data dir of the running platform (default: ${DEFAULT-VALUE}).",
      defaultValue = "${sys:user.home}/.runnel")
  Path dataDir;

  @Override
  public Integer call() throws IOException, InterruptedException {
    Layout layout = new Layout(dataDir.toAbsolutePath(), 0, 1024);
    StateFile state = StateFile.read(layout.state());
    if (state == null || !state.supervisorAlive()) {
      System.out.println("runnel down: nothing is running from " + layout.dataDir());
      return 0;
    }
    Optional<ProcessHandle> supervisor = ProcessHandle.of(state.pid());
    long started = System.nanoTime();
    supervisor.ifPresent(ProcessHandle::destroy);
    boolean gone = supervisor.map(p -> awaitExit(p, 40)).orElse(true);
    if (!gone) {
      System.err.println(
          "runnel down: the platform did not stop within 40 s; killing what is left");
      supervisor.ifPresent(ProcessHandle::destroyForcibly);
      for (StateFile.Component c : state.components()) {
        if (c.pid() > 0) {
          ProcessHandle.of(c.pid()).ifPresent(ProcessHandle::destroyForcibly);
        }
      }
      return 1;
    }
    System.out.printf("runnel down: stopped in %.1f s%n", (System.nanoTime() - started) / 1e9);
    return 0;
  }

  private static boolean awaitExit(ProcessHandle p, int seconds) {
    try {
      p.onExit().get(seconds, TimeUnit.SECONDS);
      return true;
    } catch (java.util.concurrent.TimeoutException | java.util.concurrent.ExecutionException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }
}
