package dev.runnel.market.chart.domain;

import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;

/**
 * YAML from chart packages is untrusted: only plain data types are built (no Java objects), alias
 * expansion ("billion laughs") and document size are bounded.
 */
public final class SafeYaml {
  private static final int MAX_CODE_POINTS = 8 * 1024 * 1024;

  private SafeYaml() {}

  /** The document as maps, lists and scalars; an {@link IllegalArgumentException} when invalid. */
  public static Object load(String text) {
    LoaderOptions options = new LoaderOptions();
    options.setAllowDuplicateKeys(false);
    options.setMaxAliasesForCollections(50);
    options.setNestingDepthLimit(100);
    options.setCodePointLimit(MAX_CODE_POINTS);
    options.setAllowRecursiveKeys(false);
    try {
      return new Yaml(new SafeConstructor(options)).load(text);
    } catch (MarkedYAMLException e) {
      String where =
          e.getProblemMark() == null
              ? ""
              : " (line "
                  + (e.getProblemMark().getLine() + 1)
                  + ", column "
                  + (e.getProblemMark().getColumn() + 1)
                  + ")";
      throw new IllegalArgumentException(firstLine(e.getProblem()) + where, e);
    } catch (YAMLException e) {
      throw new IllegalArgumentException(firstLine(e.getMessage()), e);
    }
  }

  private static String firstLine(String message) {
    if (message == null) {
      return "unreadable";
    }
    String trimmed = message.strip();
    int nl = trimmed.indexOf('\n');
    String line = nl < 0 ? trimmed : trimmed.substring(0, nl);
    return line.length() > 200 ? line.substring(0, 200) + "…" : line;
  }
}
