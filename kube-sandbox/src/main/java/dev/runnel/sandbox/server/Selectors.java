package dev.runnel.sandbox.server;

import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import tools.jackson.databind.JsonNode;

/** Label selector matching on JSON objects ({@code matchLabels} and {@code matchExpressions}). */
public final class Selectors {

  private Selectors() {}

  public static boolean matches(JsonNode selector, Map<String, String> labels) {
    if (selector == null || selector.isMissingNode() || selector.isNull()) {
      return false;
    }
    JsonNode matchLabels = selector.path("matchLabels");
    for (String key : matchLabels.propertyNames()) {
      if (!matchLabels.get(key).asString().equals(labels.get(key))) {
        return false;
      }
    }
    for (JsonNode expression : selector.path("matchExpressions")) {
      String key = expression.path("key").asString();
      Set<String> values = new HashSet<>();
      expression.path("values").forEach(v -> values.add(v.asString()));
      boolean has = labels.containsKey(key);
      boolean ok =
          switch (expression.path("operator").asString()) {
            case "In" -> has && values.contains(labels.get(key));
            case "NotIn" -> !has || !values.contains(labels.get(key));
            case "Exists" -> has;
            case "DoesNotExist" -> !has;
            default -> false;
          };
      if (!ok) {
        return false;
      }
    }
    return true;
  }
}
