-- What the test handler saw: no unique constraint, so a duplicate that got past the inbox shows.
create table handled (
    event_id text not null,
    subject  text not null,
    type     text not null,
    data     text not null,
    seq      bigserial primary key
);
