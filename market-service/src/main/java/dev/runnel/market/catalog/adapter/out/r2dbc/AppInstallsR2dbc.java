package dev.runnel.market.catalog.adapter.out.r2dbc;

import dev.runnel.market.catalog.application.AppInstalls;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Repository;
import reactor.core.publisher.Mono;

/** The install counts search ranks by ({@code app_installs}). */
@Repository
class AppInstallsR2dbc implements AppInstalls {
  private final DatabaseClient db;

  AppInstallsR2dbc(DatabaseClient db) {
    this.db = db;
  }

  @Override
  public Mono<Void> add(String repository, String app, int delta) {
    return db.sql(
            "insert into app_installs (repository, name, installs) values (:r, :n, greatest(:d, 0))"
                + " on conflict (repository, name) do update"
                + " set installs = greatest(app_installs.installs + :d, 0)")
        .bind("r", repository)
        .bind("n", app)
        .bind("d", delta)
        .then();
  }
}
