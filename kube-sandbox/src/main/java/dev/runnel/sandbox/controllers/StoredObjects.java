package dev.runnel.sandbox.controllers;

import java.util.List;

/**
 * The controllers' reads, answered from the sandbox's store in-process, as a real controller
 * manager answers its reads from its informers' caches instead of asking the API server each time.
 * Writes still go through the API, so admission, conflicts and watches apply to them.
 */
@FunctionalInterface
public interface StoredObjects {

  /** The JSON of every object a GET of {@code collectionPath} would list, in the same order. */
  List<String> list(String collectionPath);
}
