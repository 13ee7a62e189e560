-- The tenant-wide audit feed (GET /v1/audit_events without object_id) filters by object type or actor, newest first;
-- the primary key (tenant_id, id) serves the unfiltered feed and time ranges (ids are time-ordered).
CREATE INDEX audit_events_by_type ON audit_events (tenant_id, object_type, id DESC);
CREATE INDEX audit_events_by_actor ON audit_events (tenant_id, actor, id DESC);
