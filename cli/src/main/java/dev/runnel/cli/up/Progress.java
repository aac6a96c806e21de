package dev.runnel.cli.up;

import java.io.PrintStream;

/** One line per step, with the seconds since `runnel up` began. */
final class Progress {
  private final PrintStream out;
  private final long started = System.nanoTime();

  Progress(PrintStream out) {
    this.out = out;
  }

  synchronized void step(String what) {
    out.printf("[%6.1fs] %s%n", seconds(), what);
    out.flush();
  }

  double seconds() {
    return (System.nanoTime() - started) / 1e9;
  }
}
