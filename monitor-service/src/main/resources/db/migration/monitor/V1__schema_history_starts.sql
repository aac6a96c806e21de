-- monitor-service's own tables arrive with its capabilities; the platform kit's outbox and inbox
-- are migrated separately (flyway_kit_history). This first version marks where the history starts.
comment on schema public is 'Runnel monitor-service';
