-- Teams, their members and quotas. Keycloak holds users and mirrors membership as groups
-- /teams/<team>/<role>; this database is the source of truth for membership, and
-- team_keycloak_sync lists the teams whose groups still need a push (see the service README).
create table team (
    name         text primary key,
    display_name text        not null,
    version      bigint      not null default 0,
    created_at   timestamptz not null,
    updated_at   timestamptz not null
);

create table team_member (
    team     text        not null references team (name) on delete cascade,
    user_id  text        not null,
    username text        not null,
    role     text        not null check (role in ('team-admin', 'team-member', 'team-viewer')),
    added_at timestamptz not null,
    primary key (team, user_id)
);
create index team_member_by_user on team_member (user_id);

-- Null means no limit. Values are Kubernetes quantities as the admin wrote them.
create table team_quota (
    team       text primary key references team (name) on delete cascade,
    cpu        text,
    memory     text,
    storage    text,
    instances  integer check (instances is null or instances >= 0),
    updated_at timestamptz not null
);

-- Instances per team, kept from deploy-service's events; a set, so a replayed event is harmless.
create table team_instance (
    team        text not null,
    instance_id text not null,
    primary key (team, instance_id)
);

-- A row means: push this team's groups to Keycloak. Written in the transaction of the change;
-- removed once a push that read it succeeded, unless a newer request (higher seq) came since. The
-- seq is taken under the row's lock, so a later-committing change always gets a higher one.
create sequence team_keycloak_sync_seq;
create table team_keycloak_sync (
    team         text primary key,
    seq          bigint      not null,
    requested_at timestamptz not null
);

-- Client-credentials integrations: a Keycloak confidential client whose service account is a
-- member of the team with the given role. The secret is never stored here.
create table integration (
    id                      uuid primary key,
    team                    text        not null references team (name) on delete cascade,
    name                    text        not null,
    client_id               text        not null unique,
    client_uuid             text        not null,
    service_account_user_id text        not null,
    role                    text        not null check (role in ('team-member', 'team-viewer')),
    created_by              text        not null,
    created_at              timestamptz not null,
    unique (team, name)
);
