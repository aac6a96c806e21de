package dev.runnel.sandbox.controllers;

/** One simulated control loop; each pass it compares desired with observed state and acts. */
@FunctionalInterface
public interface Controller {

  void reconcile(Reconcile pass);
}
