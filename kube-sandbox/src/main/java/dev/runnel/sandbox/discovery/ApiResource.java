package dev.runnel.sandbox.discovery;

import java.util.List;

/**
 * One resource the sandbox serves, as discovery describes it.
 *
 * @param group API group, empty for core
 * @param version API version
 * @param plural resource name in paths
 * @param kind object kind
 * @param namespaced whether objects live in namespaces
 * @param shortNames kubectl short names
 * @param verbs verbs discovery advertises
 * @param subresources subresource names ({@code status}, {@code log}, ...)
 */
public record ApiResource(
    String group,
    String version,
    String plural,
    String kind,
    boolean namespaced,
    List<String> shortNames,
    List<String> verbs,
    List<String> subresources) {

  static final List<String> ALL_VERBS =
      List.of("create", "delete", "deletecollection", "get", "list", "patch", "update", "watch");
  static final List<String> READ_VERBS = List.of("get", "list");

  public String groupVersion() {
    return group.isEmpty() ? version : group + "/" + version;
  }

  public String singular() {
    return kind.toLowerCase(java.util.Locale.ROOT);
  }
}
