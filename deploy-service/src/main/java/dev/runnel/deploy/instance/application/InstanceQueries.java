package dev.runnel.deploy.instance.application;

import dev.runnel.deploy.instance.domain.Instance;
import dev.runnel.deploy.instance.domain.InstanceState;
import dev.runnel.deploy.instance.domain.ObjectHealth;
import dev.runnel.deploy.instance.domain.Operation;
import dev.runnel.deploy.instance.domain.Revision;
import dev.runnel.kit.problem.Problem;
import dev.runnel.kit.security.Caller;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.springframework.stereotype.Service;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/** Reads instances, their live resources, revisions and operations, within the caller's teams. */
@Service
public class InstanceQueries {
  public static final int MAX_PAGE = 200;

  private final Instances instances;
  private final Operations operations;
  private final Revisions revisions;
  private final ChartRenderer renderer;
  private final Workloads workloads;

  public InstanceQueries(
      Instances instances,
      Operations operations,
      Revisions revisions,
      ChartRenderer renderer,
      Workloads workloads) {
    this.instances = instances;
    this.operations = operations;
    this.revisions = revisions;
    this.renderer = renderer;
    this.workloads = workloads;
  }

  public record Page(List<Instance> items, String nextCursor) {}

  public Mono<Page> list(Caller caller, String cursor, int limit) {
    if (limit < 1 || limit > MAX_PAGE) {
      return Mono.error(Problem.invalid("limit", "must be between 1 and " + MAX_PAGE));
    }
    InstanceCursor after = null;
    if (cursor != null && !cursor.isEmpty()) {
      after = InstanceCursor.decode(cursor);
      if (after == null) {
        return Mono.error(Problem.invalid("cursor", "is not a cursor this API returned"));
      }
    }
    Set<String> teams = caller.canReadEverything() ? null : caller.teams().keySet();
    if (teams != null && teams.isEmpty()) {
      return Mono.just(new Page(List.of(), null));
    }
    return instances
        .page(teams, after, limit + 1)
        .collectList()
        .map(
            rows -> {
              if (rows.size() <= limit) {
                return new Page(rows, null);
              }
              Instance last = rows.get(limit - 1);
              return new Page(
                  rows.subList(0, limit), new InstanceCursor(last.createdAt(), last.id()).encode());
            });
  }

  public Mono<Instance> get(Caller caller, UUID id) {
    return instances
        .find(id)
        .filter(i -> i.state() != InstanceState.DELETED)
        .switchIfEmpty(Mono.error(() -> Problem.notFound("Instance", id)))
        .map(i -> readable(caller, i, "Instance", id));
  }

  public Mono<List<ObjectHealth>> resources(Caller caller, UUID id) {
    return get(caller, id)
        .flatMap(
            i ->
                revisions
                    .find(i.id(), i.revision())
                    .map(r -> renderer.parse(r.manifest(), "").objects())
                    .defaultIfEmpty(List.of())
                    .flatMap(
                        objects ->
                            workloads.resources(i.cluster(), i.namespace(), i.id(), objects)));
  }

  public Flux<Revision> revisions(Caller caller, UUID id) {
    return get(caller, id).flatMapMany(i -> revisions.forInstance(i.id()));
  }

  public Flux<Operation> timeline(Caller caller, UUID id, int limit) {
    return instances
        .find(id)
        .switchIfEmpty(Mono.error(() -> Problem.notFound("Instance", id)))
        .map(i -> readable(caller, i, "Instance", id))
        .flatMapMany(i -> operations.forInstance(i.id(), Math.min(Math.max(limit, 1), MAX_PAGE)));
  }

  public Mono<Operation> operation(Caller caller, UUID operationId) {
    return operations
        .find(operationId)
        .flatMap(
            op ->
                instances
                    .find(op.instanceId())
                    .map(i -> readable(caller, i, "Operation", operationId))
                    .map(i -> op))
        .switchIfEmpty(Mono.error(() -> Problem.notFound("Operation", operationId)));
  }

  /** Another team's instance answers as missing; the kit records the scope denial. */
  private static Instance readable(Caller caller, Instance instance, String what, Object id) {
    caller.requireRead(instance.team(), what, id);
    return instance;
  }
}
