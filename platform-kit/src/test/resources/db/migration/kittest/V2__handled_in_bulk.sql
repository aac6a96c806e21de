-- What the bulk test handler wrote, one statement per poll; no unique constraint either.
create table handled_in_bulk (
    event_id text not null,
    seq      bigserial primary key
);
