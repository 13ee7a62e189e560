-- The transactional outbox of billing events (app/event/DomainEvents). A use case inserts its event in the same
-- transaction as its change; consumers (webhook delivery, notifications) read by sequence afterwards and keep
-- their own positions, so recording never waits on delivery. Sequence numbers are taken at insert but become
-- visible at commit, out of order; consumers therefore read in (tx_id, sequence) order and only transactions older
-- than every one still running (the snapshot's xmin), so a position once passed never has an event appear behind it.
CREATE TABLE domain_events (
    sequence     bigserial PRIMARY KEY,
    tenant_id    text NOT NULL REFERENCES tenants (id),
    id           text NOT NULL,
    type         text NOT NULL,
    object_type  text NOT NULL,
    object_id    text NOT NULL,
    customer_id  text,
    data         jsonb NOT NULL,
    occurred_at  timestamptz NOT NULL,
    recorded_at  timestamptz NOT NULL DEFAULT clock_timestamp(),
    tx_id        bigint NOT NULL DEFAULT pg_current_xact_id()::text::bigint,
    UNIQUE (tenant_id, id)
);

CREATE INDEX domain_events_by_tenant ON domain_events (tenant_id, sequence DESC);
CREATE INDEX domain_events_by_position ON domain_events (tx_id, sequence);
CREATE INDEX domain_events_by_object ON domain_events (tenant_id, object_id, sequence);
