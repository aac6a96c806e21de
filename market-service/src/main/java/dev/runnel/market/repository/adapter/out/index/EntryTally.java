package dev.runnel.market.repository.adapter.out.index;

import dev.runnel.market.catalog.domain.IndexEntries;
import dev.runnel.market.catalog.domain.IndexEntry;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What both index readers do with an entry once it is read: check it, drop a second listing of the
 * same name and version, and count what was skipped with the first reasons, so that the two readers
 * keep and skip exactly the same entries.
 */
final class EntryTally {
  private static final int MAX_REASONS = 20;

  private final Set<String> seen = new HashSet<>();
  private final List<String> reasons = new ArrayList<>();
  private int skipped;

  /** Adds the entry of chart {@code chart} read as {@code raw} to {@code batch}, or skips it. */
  void entry(String chart, Object raw, List<IndexEntry> batch) {
    if (!(raw instanceof Map<?, ?> map)) {
      skip(chart + ": an entry is not a map");
      return;
    }
    @SuppressWarnings("unchecked")
    Map<String, Object> fields = (Map<String, Object>) map;
    IndexEntry entry;
    try {
      entry = IndexEntries.from(chart, fields);
    } catch (IndexEntries.Skip s) {
      skip(s.getMessage());
      return;
    }
    if (!seen.add(entry.name() + '\u0000' + entry.version())) {
      skip(entry.name() + " " + entry.version() + ": listed twice; the first is kept");
      return;
    }
    batch.add(entry);
  }

  void skip(String reason) {
    skipped++;
    if (reasons.size() < MAX_REASONS) {
      reasons.add(reason);
    }
  }

  int skipped() {
    return skipped;
  }

  List<String> reasons() {
    return List.copyOf(reasons);
  }
}
