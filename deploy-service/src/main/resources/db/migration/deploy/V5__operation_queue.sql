-- Operations wait in a per-cluster queue ('queued') before they run. A queued operation is as much
-- "the instance's operation" as a running one, so the one-at-a-time rule covers it too.
drop index operation_one_active;
create unique index operation_one_active on operation (instance_id) where status in ('queued', 'pending', 'running');
-- The time limit counts from when an operation starts running; a queued one has none yet.
alter table operation alter column deadline_at drop not null;
