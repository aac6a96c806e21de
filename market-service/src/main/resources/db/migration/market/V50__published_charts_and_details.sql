-- Parsed details of chart versions of any repository, cached per package digest: a version
-- republished with different content is read again. Details are JSON (text, so that what the
-- service wrote is what it reads back).
create table chart_details (
    repository text        not null,
    name       text        not null,
    version    text        not null,
    digest     text        not null,
    details    text        not null,
    created_at timestamptz not null default now(),
    primary key (repository, name, version, digest)
);

-- Charts teams published into the built-in repository "local": the package itself and its
-- validated Chart.yaml (JSON). team is null when a platform admin published for the platform.
create table published_chart (
    name         text        not null,
    version      text        not null,
    team         text,
    digest       text        not null,
    size         bigint      not null,
    metadata     text        not null,
    package      bytea       not null,
    published_by text        not null,
    published_at timestamptz not null,
    primary key (name, version)
);
create index published_chart_by_team on published_chart (team);
