-- (numbered after V600, merged first, so that a database already at V600 applies it in order)
-- Two indexes that every fired alert wrote an entry into and that no statement reads (docs/alerts.md#measured: during
-- the benchmark's phases pg_stat_user_indexes counted no scan of either, and every query on the two tables is listed
-- there):
--  * fired_alerts' primary key (tenant_id, id): an alert is found by its unique key (the evaluator's fired read and
--    ON CONFLICT) or by its customer (the alert list, erasure, export); its id (Ids.next) is never looked up.
--  * domain_events' primary key on sequence: the consumers read by (tx_id, sequence), the event list by tenant or
--    object, lookups go by (tenant_id, id); a sequence number comes from the column's own sequence, unique as issued.
-- Each table keeps its unique key, which now also identifies its rows for logical replication.
ALTER TABLE fired_alerts DROP CONSTRAINT fired_alerts_pkey;
ALTER TABLE fired_alerts REPLICA IDENTITY USING INDEX fired_alerts_tenant_id_kind_subject_window_start_audience_t_key;
ALTER TABLE domain_events DROP CONSTRAINT domain_events_pkey;
ALTER TABLE domain_events ALTER COLUMN sequence SET NOT NULL;
ALTER TABLE domain_events REPLICA IDENTITY USING INDEX domain_events_tenant_id_id_key;
