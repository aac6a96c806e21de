-- The transactional outbox: a service writes a row here in the same transaction as the state
-- change it describes; the relay publishes rows to Kafka in seq order and then deletes them.
create table runnel_outbox (
    seq          bigserial primary key,
    id           uuid        not null unique,
    topic        text        not null,
    type         text        not null,
    subject      text        not null,
    team         text,
    actor        text,
    traceparent  text,
    occurred_at  timestamptz not null,
    data         text        not null
);

-- The inbox: ids of events a consumer has already handled, written in the handler's transaction,
-- so a redelivered event is skipped.
create table runnel_inbox (
    consumer      text        not null,
    event_id      text        not null,
    processed_at  timestamptz not null default now(),
    primary key (consumer, event_id)
);
