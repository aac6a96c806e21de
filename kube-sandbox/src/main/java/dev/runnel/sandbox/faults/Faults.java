package dev.runnel.sandbox.faults;

import io.fabric8.kubernetes.api.model.Pod;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Faults a test switches on: pods whose image or labels match a rule fail the way real pods do
 * (image pull errors, crash loops, never ready). Rules apply to pods that start after they are
 * added; pods already running keep their state until they are recreated.
 */
public final class Faults {

  private final List<Rule> rules = new CopyOnWriteArrayList<>();
  private final Runnable onChange;

  public Faults(Runnable onChange) {
    this.onChange = onChange;
  }

  /** Pulls of matching images fail: {@code ErrImagePull}, then {@code ImagePullBackOff}. */
  public Faults imagePullFailure(PodMatcher matcher) {
    return add(Fault.IMAGE_PULL_FAILURE, matcher);
  }

  /** Matching containers exit with code 1 at once: {@code CrashLoopBackOff}, restarts grow. */
  public Faults crashLoop(PodMatcher matcher) {
    return add(Fault.CRASH_LOOP, matcher);
  }

  /** Matching pods run but their readiness probe never passes. */
  public Faults neverReady(PodMatcher matcher) {
    return add(Fault.NEVER_READY, matcher);
  }

  public void clear() {
    rules.clear();
    onChange.run();
  }

  /** The first fault that applies to this pod, if any. */
  public Optional<Fault> faultFor(Pod pod) {
    return rules.stream().filter(r -> r.matcher().matches(pod)).map(Rule::fault).findFirst();
  }

  private Faults add(Fault fault, PodMatcher matcher) {
    rules.add(new Rule(fault, matcher));
    onChange.run();
    return this;
  }

  private record Rule(Fault fault, PodMatcher matcher) {}
}
