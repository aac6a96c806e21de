package dev.runnel.deploy.instance.application;

import com.github.difflib.DiffUtils;
import com.github.difflib.UnifiedDiffUtils;
import com.github.difflib.patch.Patch;
import java.util.List;

/** Unified diffs (as {@code diff -u} prints them) of manifests and values. */
final class Diffs {
  private static final int CONTEXT = 3;

  private Diffs() {}

  /** Empty when the texts are equal. */
  static String unified(String fromName, String toName, String from, String to) {
    List<String> a = lines(from);
    List<String> b = lines(to);
    Patch<String> patch = DiffUtils.diff(a, b);
    if (patch.getDeltas().isEmpty()) {
      return "";
    }
    return String.join(
            "\n", UnifiedDiffUtils.generateUnifiedDiff(fromName, toName, a, patch, CONTEXT))
        + "\n";
  }

  private static List<String> lines(String text) {
    return text == null || text.isEmpty() ? List.of() : List.of(text.split("\n", -1));
  }
}
