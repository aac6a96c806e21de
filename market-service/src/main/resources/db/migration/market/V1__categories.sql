create table category (
    id          uuid primary key,
    name        text        not null,
    description text        not null default '',
    sort_order  integer     not null default 0,
    version     bigint      not null default 0,
    created_at  timestamptz not null,
    updated_at  timestamptz not null
);
-- Names are unique regardless of case: "Databases" and "databases" are the same category.
create unique index category_name_unique on category (lower(name));

-- Which apps are filed under which category; filled by catalog sync once apps exist.
create table app_category (
    app_key     text not null,
    category_id uuid not null references category (id),
    primary key (app_key, category_id)
);
create index app_category_by_category on app_category (category_id);
