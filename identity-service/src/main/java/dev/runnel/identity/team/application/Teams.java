package dev.runnel.identity.team.application;

import dev.runnel.identity.team.domain.Member;
import dev.runnel.identity.team.domain.Quota;
import dev.runnel.identity.team.domain.Team;
import java.time.Instant;
import java.util.Collection;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/** Where teams, members, quotas and instance counts are kept. */
public interface Teams {
  Mono<Team> find(String name);

  /** One page in name order after {@code after} (exclusive); only {@code names} when not null. */
  Flux<Team> page(String after, int limit, Collection<String> names);

  Mono<Void> insert(Team team);

  /** Stores the new state if the stored version is still {@code expectedVersion}. */
  Mono<Boolean> update(Team team, long expectedVersion);

  Mono<Void> delete(String name);

  Flux<Member> members(String team);

  Mono<Member> member(String team, String userId);

  Mono<Member> memberByUsername(String team, String username);

  Mono<Void> insertMember(Member member);

  Mono<Void> updateMemberRole(Member member);

  Mono<Void> deleteMember(String team, String userId);

  /** Every membership of the user, with the team's display name. */
  Flux<MemberOfTeam> membershipsOf(String userId);

  Mono<Quota> quota(String team);

  Mono<Void> saveQuota(Quota quota, Instant now);

  Mono<Long> instanceCount(String team);

  Mono<Void> instanceInstalled(String team, String instanceId);

  Mono<Void> instanceDeleted(String team, String instanceId);

  /** Marks the team's Keycloak groups as needing a push. */
  Mono<Void> requestSync(String team, Instant now);

  /** A token of the team's pending push request; empty when none is pending. */
  Mono<Long> syncToken(String team);

  /** Teams with a pending push, oldest first. */
  Flux<String> pendingSyncs(int limit);

  /** Clears the pending push if no newer request arrived since the one {@code token} names. */
  Mono<Void> syncDone(String team, long token);

  record MemberOfTeam(Member member, String displayName) {}
}
