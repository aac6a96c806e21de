-- The audit trail: one row per platform event, never changed or removed once written.
--
-- Rows form a hash chain in seq order: hash = sha256(previous row's hash || canonical bytes of
-- this row), the first row linking to 64 zeros. The service appends under a transaction-scoped
-- advisory lock, so seq order is commit order and the chain cannot fork; the unique prev_hash
-- refuses a fork even from a writer that skips the lock.
create table audit_event (
    seq              bigserial   primary key,
    event_id         text        not null,
    type             text        not null,
    source           text        not null,
    subject          text,
    team             text,
    actor            text,
    occurred_at      timestamptz not null,
    received_at      timestamptz not null,
    trace_id         text,
    kafka_topic      text        not null,
    kafka_partition  integer     not null,
    kafka_offset     bigint      not null,
    -- The event's data exactly as received (UTF-8 text): kept as text rather than jsonb so that
    -- data that is not a JSON object, or not JSON at all, is stored too, and so that the bytes the
    -- hash covers are the bytes stored.
    data             text        not null,
    prev_hash        text        not null,
    hash             text        not null,
    constraint audit_event_event_id_unique unique (event_id),
    constraint audit_event_prev_hash_unique unique (prev_hash),
    constraint audit_event_hash_hex check (hash ~ '^[0-9a-f]{64}$'),
    constraint audit_event_prev_hash_hex check (prev_hash ~ '^[0-9a-f]{64}$')
);

-- Searches filter on one of these and read newest first.
create index audit_event_by_type on audit_event (type, seq);
create index audit_event_by_subject on audit_event (subject, seq);
create index audit_event_by_team on audit_event (team, seq);
create index audit_event_by_actor on audit_event (actor, seq);
create index audit_event_by_time on audit_event (occurred_at, seq);

-- Append-only in the database itself, whatever the service's code does: any UPDATE, DELETE or
-- TRUNCATE fails. A statement-level trigger also refuses statements that match no row, so a
-- probe cannot tell an empty match from a permitted change. Operators should in addition grant
-- the service's role only SELECT and INSERT on this table.
create function audit_event_refuse_change() returns trigger
    language plpgsql as
$$
begin
    raise exception 'audit_event is append-only: % is not allowed', tg_op
        using errcode = 'insufficient_privilege';
end;
$$;

create trigger audit_event_append_only
    before update or delete or truncate on audit_event
    for each statement execute function audit_event_refuse_change();
