package dev.runnel.sandbox.apply;

import dev.runnel.sandbox.server.ResourcePath;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Base64;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * What the API server does to an object before storing it, in the parts clients notice: names from
 * {@code generateName}, Secret {@code stringData} folded into {@code data}, Service cluster IPs and
 * node ports, and the defaults controllers and charts read back (replicas, strategy).
 */
public final class Admission {

  private static final String NAME_CHARS = "bcdfghjklmnpqrstvwxz2456789";
  private static final SecureRandom RANDOM = new SecureRandom();

  private final ServiceAddresses addresses;

  public Admission(ServiceAddresses addresses) {
    this.addresses = addresses;
  }

  /** Mutates {@code object} in place; {@code existing} is the stored object on update. */
  public void admit(ResourcePath path, ObjectNode object, ObjectNode existing) {
    ObjectNode metadata = metadata(object);
    if (existing == null && !metadata.hasNonNull("name") && metadata.hasNonNull("generateName")) {
      metadata.put("name", metadata.get("generateName").asString() + randomSuffix());
    }
    if (path.namespace() != null && !metadata.hasNonNull("namespace")) {
      metadata.put("namespace", path.namespace());
    }
    if (path.namespace() == null && metadata.has("namespace")) {
      // A write outside /namespaces/ is to a cluster-scoped kind, whose namespace means nothing:
      // the API server clears it (charts often template one into a ClusterRoleBinding).
      metadata.remove("namespace");
    }
    if (path.subresource() != null) {
      return;
    }
    switch (path.group() + "/" + path.resource()) {
      case "/secrets" -> foldStringData(object);
      case "/services" -> admitService(object, existing);
      case "apps/deployments" -> defaultDeployment(object);
      case "apps/statefulsets", "apps/replicasets" -> defaultReplicas(object);
      case "batch/jobs" -> defaultJob(object);
      case "/pods" -> defaultPod(object);
      case "/namespaces" -> defaultNamespace(object, metadata);
      default -> {
        // Other kinds are stored as sent.
      }
    }
  }

  public static String randomSuffix() {
    StringBuilder b = new StringBuilder(5);
    for (int i = 0; i < 5; i++) {
      b.append(NAME_CHARS.charAt(RANDOM.nextInt(NAME_CHARS.length())));
    }
    return b.toString();
  }

  private static ObjectNode metadata(ObjectNode object) {
    JsonNode metadata = object.get("metadata");
    return metadata instanceof ObjectNode m ? m : object.putObject("metadata");
  }

  private static void foldStringData(ObjectNode secret) {
    JsonNode stringData = secret.get("stringData");
    if (stringData == null || !stringData.isObject()) {
      secret.remove("stringData");
      return;
    }
    ObjectNode data = secret.get("data") instanceof ObjectNode d ? d : secret.putObject("data");
    for (String key : stringData.propertyNames()) {
      byte[] bytes = stringData.get(key).asString().getBytes(StandardCharsets.UTF_8);
      data.put(key, Base64.getEncoder().encodeToString(bytes));
    }
    secret.remove("stringData");
    if (!secret.hasNonNull("type")) {
      secret.put("type", "Opaque");
    }
  }

  private void admitService(ObjectNode service, ObjectNode existing) {
    ObjectNode spec = service.get("spec") instanceof ObjectNode s ? s : service.putObject("spec");
    String type = spec.path("type").asString("ClusterIP");
    spec.put("type", type);
    if (type.equals("ExternalName")) {
      return;
    }
    String previous =
        existing == null ? null : existing.path("spec").path("clusterIP").asString(null);
    String clusterIp = spec.path("clusterIP").asString(null);
    if (clusterIp == null || clusterIp.isEmpty()) {
      clusterIp = previous != null ? previous : addresses.allocate();
    } else if (!clusterIp.equals("None")) {
      addresses.reserve(clusterIp);
    }
    spec.put("clusterIP", clusterIp);
    spec.putArray("clusterIPs").add(clusterIp);
    if (!spec.has("ipFamilies")) {
      spec.putArray("ipFamilies").add("IPv4");
    }
    if (!spec.has("ipFamilyPolicy")) {
      spec.put("ipFamilyPolicy", "SingleStack");
    }
    if (!spec.has("sessionAffinity")) {
      spec.put("sessionAffinity", "None");
    }
    if (!spec.has("internalTrafficPolicy")) {
      spec.put("internalTrafficPolicy", "Cluster");
    }
    boolean needsNodePort = type.equals("NodePort") || type.equals("LoadBalancer");
    JsonNode ports = spec.get("ports");
    if (ports instanceof ArrayNode list) {
      for (int i = 0; i < list.size(); i++) {
        if (!(list.get(i) instanceof ObjectNode port)) {
          continue;
        }
        if (!port.has("protocol")) {
          port.put("protocol", "TCP");
        }
        if (!port.has("targetPort") && port.has("port")) {
          port.set("targetPort", port.get("port"));
        }
        if (needsNodePort) {
          int nodePort = port.path("nodePort").asInt(0);
          if (nodePort == 0) {
            nodePort = previousNodePort(existing, port.path("port").asInt());
          }
          if (nodePort == 0) {
            nodePort = addresses.allocateNodePort();
          } else {
            addresses.reserveNodePort(nodePort);
          }
          port.put("nodePort", nodePort);
        }
      }
    }
    if (type.equals("LoadBalancer") || type.equals("NodePort")) {
      if (!spec.has("externalTrafficPolicy")) {
        spec.put("externalTrafficPolicy", "Cluster");
      }
    }
  }

  private static int previousNodePort(ObjectNode existing, int port) {
    if (existing == null) {
      return 0;
    }
    for (JsonNode p : existing.path("spec").path("ports")) {
      if (p.path("port").asInt() == port) {
        return p.path("nodePort").asInt(0);
      }
    }
    return 0;
  }

  private static void defaultDeployment(ObjectNode deployment) {
    ObjectNode spec = defaultReplicas(deployment);
    // kubectl create sends "strategy: {}", which the API server defaults like a missing one.
    ObjectNode strategy =
        spec.get("strategy") instanceof ObjectNode given ? given : spec.putObject("strategy");
    if (!strategy.has("type")) {
      strategy.put("type", "RollingUpdate");
    }
    if ("RollingUpdate".equals(strategy.path("type").asString())
        && !strategy.has("rollingUpdate")) {
      ObjectNode rolling = strategy.putObject("rollingUpdate");
      rolling.put("maxUnavailable", "25%");
      rolling.put("maxSurge", "25%");
    }
    if (!spec.has("revisionHistoryLimit")) {
      spec.put("revisionHistoryLimit", 10);
    }
    if (!spec.has("progressDeadlineSeconds")) {
      spec.put("progressDeadlineSeconds", 600);
    }
  }

  private static ObjectNode defaultReplicas(ObjectNode workload) {
    ObjectNode spec = workload.get("spec") instanceof ObjectNode s ? s : workload.putObject("spec");
    if (!spec.hasNonNull("replicas")) {
      spec.put("replicas", 1);
    }
    return spec;
  }

  private static void defaultNamespace(ObjectNode namespace, ObjectNode metadata) {
    ObjectNode labels =
        metadata.get("labels") instanceof ObjectNode l ? l : metadata.putObject("labels");
    labels.put("kubernetes.io/metadata.name", metadata.path("name").asString());
    ObjectNode status =
        namespace.get("status") instanceof ObjectNode s ? s : namespace.putObject("status");
    if (!status.has("phase")) {
      status.put("phase", "Active");
    }
  }

  private static void defaultJob(ObjectNode job) {
    ObjectNode spec = job.get("spec") instanceof ObjectNode s ? s : job.putObject("spec");
    if (!spec.hasNonNull("completions")) {
      spec.put("completions", 1);
    }
    if (!spec.hasNonNull("parallelism")) {
      spec.put("parallelism", 1);
    }
    if (!spec.hasNonNull("backoffLimit")) {
      spec.put("backoffLimit", 6);
    }
  }

  private static void defaultPod(ObjectNode pod) {
    ObjectNode spec = pod.get("spec") instanceof ObjectNode s ? s : pod.putObject("spec");
    if (!spec.has("restartPolicy")) {
      spec.put("restartPolicy", "Always");
    }
    if (!spec.has("schedulerName")) {
      spec.put("schedulerName", "default-scheduler");
    }
    if (!spec.has("serviceAccountName")) {
      spec.put("serviceAccountName", "default");
    }
    ObjectNode status = pod.get("status") instanceof ObjectNode s ? s : pod.putObject("status");
    if (!status.has("phase")) {
      status.put("phase", "Pending");
    }
    if (!status.has("qosClass")) {
      status.put("qosClass", qosClass(spec));
    }
  }

  private static String qosClass(ObjectNode spec) {
    boolean anyRequest = false;
    boolean allGuaranteed = true;
    for (JsonNode container : spec.path("containers")) {
      JsonNode requests = container.path("resources").path("requests");
      JsonNode limits = container.path("resources").path("limits");
      anyRequest |= requests.size() > 0 || limits.size() > 0;
      for (String r : new String[] {"cpu", "memory"}) {
        JsonNode limit = limits.get(r);
        JsonNode request = requests.has(r) ? requests.get(r) : limit;
        allGuaranteed &= limit != null && limit.equals(request);
      }
    }
    if (!anyRequest) {
      return "BestEffort";
    }
    return allGuaranteed ? "Guaranteed" : "Burstable";
  }
}
