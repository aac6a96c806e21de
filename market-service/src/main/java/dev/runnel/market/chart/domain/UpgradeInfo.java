package dev.runnel.market.chart.domain;

import java.util.List;
import java.util.Map;
import java.util.Set;
import org.semver4j.Semver;

/**
 * What changes when an installed version is upgraded to another.
 *
 * @param changelog entries for versions in {@code (from, to]}, as the target version's changelog
 *     lists them
 * @param valuesAdded values key paths the target has and the installed version does not
 * @param valuesRemoved values key paths the installed version has and the target does not: a user's
 *     setting there stops having an effect
 */
public record UpgradeInfo(
    String from,
    String to,
    List<ChangeEntry> changelog,
    List<String> valuesAdded,
    List<String> valuesRemoved) {

  public UpgradeInfo {
    changelog = List.copyOf(changelog);
    valuesAdded = List.copyOf(valuesAdded);
    valuesRemoved = List.copyOf(valuesRemoved);
  }

  public static UpgradeInfo between(
      ChartDetails from, Map<?, ?> fromValues, ChartDetails to, Map<?, ?> toValues) {
    Semver fromVersion = Semver.parse(from.version());
    Semver toVersion = Semver.parse(to.version());
    if (fromVersion == null || toVersion == null || !toVersion.isGreaterThan(fromVersion)) {
      throw new IllegalArgumentException("'to' must be a later version than 'from'");
    }
    Set<String> before = ValuesPaths.of(fromValues);
    Set<String> after = ValuesPaths.of(toValues);
    return new UpgradeInfo(
        from.version(),
        to.version(),
        Changelog.between(to.changelog(), fromVersion, toVersion),
        ValuesPaths.added(before, after),
        ValuesPaths.added(after, before));
  }
}
