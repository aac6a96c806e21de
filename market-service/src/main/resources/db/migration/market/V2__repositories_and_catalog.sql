-- Chart repositories the market syncs, and the catalog each sync replaces as a whole.
create table chart_repository (
    name                  text        primary key,
    url                   text        not null,
    builtin               boolean     not null default false,
    -- none | basic | bearer; the secret (password or token) is AES-GCM ciphertext, never plain.
    auth_kind             text        not null default 'none',
    username              text,
    secret                bytea,
    ca_pem                text,
    sync_interval_seconds integer     not null,
    -- Set by events (a chart published into local) so the scheduler syncs without waiting.
    sync_requested        boolean     not null default false,
    index_sha256          text,
    last_sync_at          timestamptz,
    last_result           text        not null default 'never',
    last_error            text,
    app_count             integer     not null default 0,
    version_count         integer     not null default 0,
    skipped_count         integer     not null default 0,
    version               bigint      not null default 0,
    created_at            timestamptz not null,
    updated_at            timestamptz not null
);

insert into chart_repository (name, url, builtin, sync_interval_seconds, sync_requested,
                              created_at, updated_at)
values ('local', 'local:', true, 3600, true, now(), now());

-- One row per app (repository/name), summarising its newest stable version.
create table catalog_app (
    repository     text    not null references chart_repository (name) on delete cascade,
    name           text    not null,
    description    text    not null default '',
    keywords       text[]  not null default '{}',
    -- The keywords joined by spaces: what the search vector indexes.
    keywords_text  text    not null default '',
    -- Category values from the chart's annotations, lower case, before the admin mapping.
    raw_categories text[]  not null default '{}',
    icon_url       text,
    home           text,
    latest_version text    not null,
    app_version    text,
    deprecated     boolean not null default false,
    library        boolean not null default false,
    version_count  integer not null,
    search         tsvector generated always as (
        setweight(to_tsvector('simple', name), 'A')
        || setweight(to_tsvector('simple', replace(name, '-', ' ')), 'A')
        || setweight(to_tsvector('simple', keywords_text), 'B')
        || setweight(to_tsvector('simple', description), 'C')) stored,
    primary key (repository, name)
);
create index catalog_app_search on catalog_app using gin (search);
create index catalog_app_name on catalog_app (name);

create table catalog_version (
    repository  text        not null,
    app_name    text        not null,
    version     text        not null,
    app_version text,
    description text        not null default '',
    created     timestamptz,
    digest      text,
    urls        text[]      not null,
    deprecated  boolean     not null default false,
    prerelease  boolean     not null default false,
    library     boolean     not null default false,
    -- The index entry as JSON, so /charts/index.yaml can serve it back unchanged.
    entry       text        not null,
    primary key (repository, app_name, version),
    foreign key (repository, app_name) references catalog_app (repository, name)
        on delete cascade deferrable initially deferred
);

-- Installs per app, kept apart from catalog_app because a sync replaces that table's rows.
create table app_installs (
    repository text   not null,
    name       text   not null,
    installs   bigint not null default 0,
    primary key (repository, name)
);

-- Admin mapping from a keyword or annotation value onto a category.
create table category_mapping (
    kind        text not null check (kind in ('keyword', 'annotation')),
    value       text not null,
    category_id uuid not null references category (id) on delete cascade,
    primary key (kind, value, category_id)
);

-- Long work (a sync) the caller polls.
create table market_operation (
    id          uuid        primary key,
    kind        text        not null,
    target      text        not null,
    status      text        not null,
    actor       text        not null,
    result      text,
    error       text,
    created_at  timestamptz not null,
    started_at  timestamptz,
    finished_at timestamptz
);

-- Downloaded chart packages; bounded by total size (least recently used go first).
create table package_cache (
    repository  text        not null,
    name        text        not null,
    version     text        not null,
    digest      text        not null,
    size        integer     not null,
    bytes       bytea       not null,
    last_used   timestamptz not null,
    primary key (repository, name, version)
);

-- Fetched app icons by URL; bounded like the package cache.
create table icon_cache (
    url          text        primary key,
    content_type text        not null,
    bytes        bytea       not null,
    fetched_at   timestamptz not null
);
