-- Clusters: the kubeconfig is stored encrypted (AES-GCM, key from configuration), never returned.
create table cluster (
  name               varchar(63) primary key,
  server             varchar(2048) not null,
  kubernetes_version varchar(64) not null,
  simulated          boolean not null,
  node_count         integer not null,
  kubeconfig_sealed  bytea not null,
  created_at         timestamptz not null,
  updated_at         timestamptz not null
);

create table instance (
  id              uuid primary key,
  team            varchar(63) not null,
  cluster         varchar(63) not null references cluster (name),
  namespace       varchar(63) not null,
  name            varchar(53) not null,
  repository      varchar(128) not null,
  chart           varchar(128) not null,
  version         varchar(64) not null,
  state           varchar(16) not null,
  health          varchar(16) not null,
  revision        integer not null,
  user_values     text not null,
  stopped_replicas text,
  created_at      timestamptz not null,
  updated_at      timestamptz not null,
  deleted_at      timestamptz
);
-- A name is unique in its namespace on its cluster while the instance exists.
create unique index instance_name_live on instance (cluster, namespace, name) where deleted_at is null;
create index instance_team_order on instance (team, created_at, id);

create table revision (
  instance_id   uuid not null references instance (id),
  number        integer not null,
  chart_version varchar(64) not null,
  user_values   text not null,
  manifest      text not null,
  hooks         text not null,
  status        varchar(16) not null,
  operation_id  uuid not null,
  created_at    timestamptz not null,
  primary key (instance_id, number)
);

create table operation (
  id           uuid primary key,
  instance_id  uuid not null references instance (id),
  kind         varchar(16) not null,
  status       varchar(16) not null,
  steps        text not null,
  log          text not null,
  actor        varchar(255) not null,
  request      text not null,
  error        text,
  created_at   timestamptz not null,
  started_at   timestamptz,
  finished_at  timestamptz,
  deadline_at  timestamptz not null
);
-- One operation at a time per instance: the database refuses a second unfinished one.
create unique index operation_one_active on operation (instance_id) where status in ('pending', 'running');
create index operation_instance_order on operation (instance_id, created_at);

create table idempotency_key (
  actor        varchar(255) not null,
  key          varchar(255) not null,
  operation_id uuid not null,
  created_at   timestamptz not null,
  primary key (actor, key)
);
