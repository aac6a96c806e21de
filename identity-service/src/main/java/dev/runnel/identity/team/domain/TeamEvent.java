package dev.runnel.identity.team.domain;

import java.time.Instant;
import java.util.UUID;

/**
 * What happened to a team, its members or its quota. Every event's subject is the team name, so a
 * team's events stay in order on the wire. Wire names are in {@link #type()}.
 */
public sealed interface TeamEvent {
  UUID eventId();

  Instant occurredAt();

  String teamName();

  String type();

  record Created(UUID eventId, Instant occurredAt, Team team) implements TeamEvent {
    public String teamName() {
      return team.name();
    }

    public String type() {
      return "runnel.identity.team.created.v1";
    }
  }

  record Updated(UUID eventId, Instant occurredAt, Team team, String previousDisplayName)
      implements TeamEvent {
    public String teamName() {
      return team.name();
    }

    public String type() {
      return "runnel.identity.team.updated.v1";
    }
  }

  record Deleted(UUID eventId, Instant occurredAt, Team team) implements TeamEvent {
    public String teamName() {
      return team.name();
    }

    public String type() {
      return "runnel.identity.team.deleted.v1";
    }
  }

  record MemberAdded(UUID eventId, Instant occurredAt, Member member) implements TeamEvent {
    public String teamName() {
      return member.team();
    }

    public String type() {
      return "runnel.identity.member.added.v1";
    }
  }

  record MemberRoleChanged(UUID eventId, Instant occurredAt, Member member, String previousRole)
      implements TeamEvent {
    public String teamName() {
      return member.team();
    }

    public String type() {
      return "runnel.identity.member.role-changed.v1";
    }
  }

  /**
   * @param reason {@code removed} (by an admin), {@code left} (by themselves) or {@code
   *     user-deleted}
   */
  record MemberRemoved(UUID eventId, Instant occurredAt, Member member, String reason)
      implements TeamEvent {
    public String teamName() {
      return member.team();
    }

    public String type() {
      return "runnel.identity.member.removed.v1";
    }
  }

  record QuotaUpdated(UUID eventId, Instant occurredAt, Quota quota) implements TeamEvent {
    public String teamName() {
      return quota.team();
    }

    public String type() {
      return "runnel.identity.quota.updated.v1";
    }
  }
}
