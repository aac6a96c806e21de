package dev.runnel.sandbox.faults;

/** The pod faults the sandbox can simulate. */
public enum Fault {
  IMAGE_PULL_FAILURE,
  CRASH_LOOP,
  NEVER_READY
}
