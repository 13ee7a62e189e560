-- Issue 16 point 11: what happens to existing subscriptions when a catalog version changes a plan's prices. Per plan and
-- version the tenant decides once: grandfather (they stay on their version) or migrate (they move on a date, after notice).
CREATE TABLE price_migrations (
    tenant_id       text        NOT NULL,
    id              text        NOT NULL,
    plan_code       text        NOT NULL,
    catalog_version int         NOT NULL,
    policy          text        NOT NULL CHECK (policy IN ('grandfather', 'migrate')),
    effective_date  date,
    notice_days     int         CHECK (notice_days BETWEEN 0 AND 365),
    created_at      timestamptz NOT NULL,
    PRIMARY KEY (tenant_id, id),
    UNIQUE (tenant_id, plan_code, catalog_version)
);

-- One row per subscription a migration moves: noticed on the customer's day the migration was decided, moved at the
-- first period boundary on or after earliest_on (the effective date, or later when the notice would otherwise be short).
CREATE TABLE price_migration_moves (
    tenant_id        text    NOT NULL,
    migration_id     text    NOT NULL,
    subscription_id  text    NOT NULL,
    customer_id      text    NOT NULL,
    from_version     int     NOT NULL,
    notice_on        date    NOT NULL,
    earliest_on      date    NOT NULL,
    status           text    NOT NULL CHECK (status IN ('scheduled', 'moved', 'skipped')),
    moved_on         date,
    PRIMARY KEY (tenant_id, migration_id, subscription_id),
    FOREIGN KEY (tenant_id, migration_id) REFERENCES price_migrations (tenant_id, id),
    FOREIGN KEY (tenant_id, subscription_id) REFERENCES subscriptions (tenant_id, id),
    FOREIGN KEY (tenant_id, customer_id) REFERENCES customers (tenant_id, id)
);
CREATE INDEX price_migration_moves_due ON price_migration_moves (tenant_id, subscription_id) WHERE status = 'scheduled';
