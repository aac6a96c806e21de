-- Idempotency-Key of the request that started an operation: a retried POST gets the same one.
alter table market_operation add column idempotency_key text;
create unique index market_operation_idempotency
    on market_operation (kind, target, idempotency_key) where idempotency_key is not null;
