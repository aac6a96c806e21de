-- deploy-service's own picture of identity-service's teams (only what it reads), kept from team
-- and quota events; version rises with each change that matters.
create table team_projection (
  name            varchar(63) primary key,
  display_name    varchar(100),
  cpu             varchar(32),
  memory          varchar(32),
  storage         varchar(32),
  instances       integer,
  deleted         boolean not null,
  version         bigint not null,
  last_event_id   varchar(255) not null,
  last_event_type varchar(128) not null,
  last_event_at   timestamptz,
  updated_at      timestamptz not null
);

-- Per team and cluster: the team version last attempted there and how it went. No foreign key to
-- cluster: a cluster can be deleted and registered again; rows of clusters that are gone are
-- ignored by the queries, which join cluster.
create table team_namespace (
  team            varchar(63) not null,
  cluster         varchar(63) not null,
  state           varchar(16) not null,
  version         bigint not null,
  attempts        integer not null,
  error           text,
  next_attempt_at timestamptz,
  reconciled_at   timestamptz,
  updated_at      timestamptz not null,
  primary key (team, cluster)
);
create index team_namespace_retry on team_namespace (next_attempt_at) where state = 'failed';
