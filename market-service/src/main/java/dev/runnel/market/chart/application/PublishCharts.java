package dev.runnel.market.chart.application;

import dev.runnel.kit.problem.Problem;
import dev.runnel.kit.security.Caller;
import dev.runnel.kit.security.Denial;
import dev.runnel.market.chart.domain.ChartArchive;
import dev.runnel.market.chart.domain.ChartArchiveReader;
import dev.runnel.market.chart.domain.InvalidChartException;
import dev.runnel.market.chart.domain.PublishedChart;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.stereotype.Service;
import org.springframework.transaction.reactive.TransactionalOperator;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * Publishes chart packages into the built-in repository {@code local} (应用发布) and removes them. A
 * package is checked completely before anything is stored: it reads safely, its Chart.yaml is
 * valid, the version is new, and it renders with its default values. The package, its metadata and
 * the event are then stored in one transaction.
 */
@Service
public class PublishCharts {
  private static final Logger log = LoggerFactory.getLogger(PublishCharts.class);
  private static final Pattern TEAM = Pattern.compile("[a-z0-9][a-z0-9-]{0,62}");

  private final PublishedCharts published;
  private final ChartEvents events;
  private final ChartRenderer renderer;
  private final ChartArchiveReader reader;
  private final TransactionalOperator tx;
  private final Clock clock;

  public PublishCharts(
      PublishedCharts published,
      ChartEvents events,
      ChartRenderer renderer,
      ChartArchiveReader reader,
      TransactionalOperator tx,
      Clock clock) {
    this.published = published;
    this.events = events;
    this.renderer = renderer;
    this.reader = reader;
    this.tx = tx;
    this.clock = clock;
  }

  /**
   * Publishes a package for {@code team}; without a team, the caller's only administered team, or
   * none for a platform admin who administers no team.
   */
  public Mono<PublishedChart> publish(byte[] pkg, String team, Caller caller) {
    return Mono.fromCallable(() -> teamFor(team, caller))
        .flatMap(
            owner ->
                Mono.fromCallable(() -> read(pkg))
                    .subscribeOn(Schedulers.boundedElastic())
                    .flatMap(archive -> publish(archive, pkg, owner.orElse(null), caller)));
  }

  private Mono<PublishedChart> publish(
      ChartArchive archive, byte[] pkg, String team, Caller caller) {
    String name = archive.metadata().name();
    String version = archive.metadata().version();
    return refuseDuplicate(name, version)
        .then(
            archive.metadata().library()
                // Helm refuses to install a library chart; it is checked when an app using it
                // renders, so only its archive and Chart.yaml are checked here.
                ? Mono.<Void>empty()
                : renderer
                    .render(archive, pkg)
                    .onErrorMap(
                        ChartRenderer.RenderFailedException.class,
                        e -> ChartProblems.doesNotRender(e.getMessage())))
        .then(
            Mono.defer(
                    () -> {
                      PublishedChart.Change change =
                          PublishedChart.publish(
                              archive, pkg.length, team, caller.username(), clock.instant());
                      return published
                          .insert(change.chart(), pkg)
                          .then(events.record(change.event(), caller.username()))
                          .thenReturn(change.chart());
                    })
                .as(tx::transactional))
        .onErrorMap(DuplicateKeyException.class, e -> alreadyPublished(name, version))
        .doOnNext(
            c ->
                log.info(
                    "chart {} {} published by {} for {}",
                    c.name(),
                    c.version(),
                    caller.username(),
                    c.team() == null ? "the platform" : "team " + c.team()));
  }

  public Flux<PublishedChart> list() {
    return published.all();
  }

  public Mono<Void> delete(String name, String version, Caller caller) {
    return published
        .find(name, version)
        .switchIfEmpty(Mono.error(() -> Problem.notFound("Published chart", name + " " + version)))
        .flatMap(
            chart -> {
              if (!caller.isPlatformAdmin()
                  && (chart.team() == null || !caller.canAdminister(chart.team()))) {
                return Mono.error(
                    Denial.forbidden(
                        "Only a platform admin"
                            + (chart.team() == null
                                ? ""
                                : " or an admin of team '" + chart.team() + "'")
                            + " may delete this chart",
                        chart.team()));
              }
              return published
                  .delete(name, version)
                  .then(events.record(chart.delete(clock.instant()), caller.username()))
                  .as(tx::transactional)
                  .doOnSuccess(
                      v -> log.info("chart {} {} deleted by {}", name, version, caller.username()));
            });
  }

  private ChartArchive read(byte[] pkg) {
    try {
      return reader.read(pkg);
    } catch (InvalidChartException e) {
      throw ChartProblems.of(e);
    }
  }

  private Mono<Void> refuseDuplicate(String name, String version) {
    return published
        .find(name, version)
        .flatMap(existing -> Mono.<Void>error(alreadyPublished(name, version)));
  }

  private static Problem alreadyPublished(String name, String version) {
    return Problem.conflict(
        "Chart "
            + name
            + " "
            + version
            + " is already published; publish a new version or delete this one first");
  }

  /** Team admins publish for a team they administer; platform admins for any team or none. */
  static Optional<String> teamFor(String team, Caller caller) {
    if (team != null && !team.isBlank()) {
      String t = team.strip();
      if (!TEAM.matcher(t).matches()) {
        throw Problem.invalid("team", "is not a team name");
      }
      if (!caller.canAdminister(t)) {
        throw Problem.forbidden("Publishing for team '" + t + "' needs its team-admin role");
      }
      return Optional.of(t);
    }
    List<String> administered =
        caller.teams().entrySet().stream()
            .filter(e -> Caller.TEAM_ADMIN.equals(e.getValue()))
            .map(Map.Entry::getKey)
            .sorted()
            .toList();
    if (administered.size() == 1) {
      return Optional.of(administered.get(0));
    }
    if (administered.size() > 1) {
      throw Problem.invalid(
          "team", "is needed: you administer " + String.join(", ", administered) + "; name one");
    }
    if (caller.isPlatformAdmin()) {
      return Optional.empty();
    }
    throw Problem.forbidden("Publishing a chart needs the team-admin or platform-admin role");
  }
}
