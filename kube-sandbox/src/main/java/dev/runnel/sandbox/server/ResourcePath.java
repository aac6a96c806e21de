package dev.runnel.sandbox.server;

import java.util.Arrays;
import java.util.Optional;

/**
 * A Kubernetes REST path taken apart: {@code /api/v1/namespaces/ns/pods/name/status} or {@code
 * /apis/apps/v1/deployments}. The core group is the empty string.
 */
public record ResourcePath(
    String group,
    String version,
    String namespace,
    String resource,
    String name,
    String subresource) {

  public static Optional<ResourcePath> parse(String path) {
    String[] all = Arrays.stream(path.split("/")).filter(s -> !s.isEmpty()).toArray(String[]::new);
    String group;
    String version;
    int start;
    if (all.length >= 3 && all[0].equals("api")) {
      group = "";
      version = all[1];
      start = 2;
    } else if (all.length >= 4 && all[0].equals("apis")) {
      group = all[1];
      version = all[2];
      start = 3;
    } else {
      return Optional.empty();
    }
    String[] rest = Arrays.copyOfRange(all, start, all.length);
    String namespace = null;
    // "namespaces/x/status" is the namespace's own subresource, not a resource called "status".
    boolean namespaceSubresource =
        rest.length == 3
            && rest[0].equals("namespaces")
            && (rest[2].equals("status") || rest[2].equals("finalize"));
    if (rest.length >= 3 && rest[0].equals("namespaces") && !namespaceSubresource) {
      namespace = rest[1];
      rest = Arrays.copyOfRange(rest, 2, rest.length);
    }
    if (rest.length == 0 || rest.length > 3) {
      return Optional.empty();
    }
    return Optional.of(
        new ResourcePath(
            group,
            version,
            namespace,
            rest[0],
            rest.length > 1 ? rest[1] : null,
            rest.length > 2 ? rest[2] : null));
  }

  public String groupVersion() {
    return group.isEmpty() ? version : group + "/" + version;
  }

  /** The path of the collection this object lives in. */
  public String collectionPath() {
    StringBuilder b = new StringBuilder(group.isEmpty() ? "/api/" : "/apis/" + group + "/");
    b.append(version);
    if (namespace != null) {
      b.append("/namespaces/").append(namespace);
    }
    return b.append('/').append(resource).toString();
  }

  public String objectPath() {
    return collectionPath() + "/" + name;
  }

  public ResourcePath withName(String newName) {
    return new ResourcePath(group, version, namespace, resource, newName, subresource);
  }

  public ResourcePath withoutSubresource() {
    return new ResourcePath(group, version, namespace, resource, name, null);
  }
}
