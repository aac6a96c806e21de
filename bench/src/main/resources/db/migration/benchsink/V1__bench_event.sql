-- One row per event the benchmark sink handled. No unique key on event_id on purpose: a duplicate
-- that got past the kit's inbox shows up as count(*) > count(distinct event_id). handled_seq is
-- the order of handling, for the per-aggregate order check.
create table bench_event (
    handled_seq  bigserial   primary key,
    event_id     text        not null,
    subject      text        not null,
    n            bigint      not null,
    occurred_at  timestamptz not null,
    handled_at   timestamptz not null
);
