-- Growth (issue 18 point 5): usage_events partitioned by month of the event's day (the customer's local date the event
-- bills to, the unit of usage windows and of retention), so that old months leave the table whole (a partition is
-- compacted to the few rows that must stay and truncated, DataLifecycle) instead of by row-wise deletes, and every
-- query of a window touches only its months.
--
-- De-duplication stays exact: a partitioned table's unique keys must contain the partition key, and (tenant, event id,
-- day) would let a reused id in under another date ("an id is used up once stored, whatever the event was"). So the
-- ids live in usage_event_ids, one narrow unpartitioned table whose primary key is (tenant_id, event_id), written by the
-- same statement as the event: an id is stored once, and its row says in which partition (day) the event is. The id goes
-- with its event (retention, erasure), as before this migration.
--
-- The conversion runs in this migration's transaction (the table is locked meanwhile): create the partitioned table
-- with the same columns in the same order, one partition per month holding data plus the current month and the next
-- three, and a default partition for what no month partition covers (an event dated outside them: a test clock far
-- away, a late event before the first month); move the rows; check the counts; swap.
ALTER TABLE usage_events RENAME TO usage_events_unpartitioned;
ALTER TABLE usage_events_unpartitioned RENAME CONSTRAINT usage_events_pkey TO usage_events_unpartitioned_pkey;
ALTER INDEX usage_events_units RENAME TO usage_events_unpartitioned_units;

CREATE TABLE usage_events (LIKE usage_events_unpartitioned INCLUDING DEFAULTS INCLUDING CONSTRAINTS) PARTITION BY RANGE (day);
CREATE TABLE usage_events_default PARTITION OF usage_events DEFAULT;

DO $$
DECLARE
    first_month date := date_trunc('month', least(current_date - 31, (SELECT min(day) FROM usage_events_unpartitioned)));
    last_month date := date_trunc('month', greatest(current_date, (SELECT max(day) FROM usage_events_unpartitioned))) + interval '3 months';
    m date;
BEGIN
    m := first_month;
    WHILE m <= last_month LOOP
        -- only months that hold data, and the current month with its neighbours: no empty partitions for old gaps
        IF m >= date_trunc('month', current_date - 31)
           OR EXISTS (SELECT 1 FROM usage_events_unpartitioned WHERE day >= m AND day < m + interval '1 month') THEN
            EXECUTE format('CREATE TABLE %I PARTITION OF usage_events FOR VALUES FROM (%L) TO (%L)',
                           'usage_events_' || to_char(m, 'YYYY_MM'), m, (m + interval '1 month')::date);
        END IF;
        m := (m + interval '1 month')::date;
    END LOOP;
END $$;

INSERT INTO usage_events SELECT * FROM usage_events_unpartitioned;

CREATE TABLE usage_event_ids (
    tenant_id    text NOT NULL,
    event_id     text NOT NULL,
    customer_id  text NOT NULL,
    day          date NOT NULL,
    PRIMARY KEY (tenant_id, event_id)
);
INSERT INTO usage_event_ids (tenant_id, event_id, customer_id, day) SELECT tenant_id, event_id, customer_id, day FROM usage_events_unpartitioned;

DO $$
BEGIN
    IF (SELECT count(*) FROM usage_events) <> (SELECT count(*) FROM usage_events_unpartitioned)
       OR (SELECT count(*) FROM usage_event_ids) <> (SELECT count(*) FROM usage_events_unpartitioned) THEN
        RAISE EXCEPTION 'usage_events partitioning moved a different number of rows';
    END IF;
END $$;

DROP TABLE usage_events_unpartitioned;

-- by id inside a partition (corrections, cancellations: the day comes from usage_event_ids), unique like before
ALTER TABLE usage_events ADD PRIMARY KEY (tenant_id, event_id, day);
CREATE INDEX usage_events_units ON usage_events (tenant_id, subscription_id, metric, occurred_at) WHERE unit_op IS NOT NULL;

-- Month partitions whose raw events were compacted away by the retention rule (UsagePartitioning): each is compacted
-- once, when it is old enough; what stayed is left to the hourly row-wise sweep.
CREATE TABLE usage_partition_compactions (
    partition_name  text PRIMARY KEY,
    compacted_at    timestamptz NOT NULL,
    kept            bigint NOT NULL,
    dropped         bigint NOT NULL
);
