-- Progressive billing (issue 16): what each mid-period invoice billed per charge, keyed by the threshold level it was
-- issued for (per period, or once per subscription for lifetime thresholds). The level makes a retry or a concurrent
-- check a no-op; the amounts per charge are what later progressive invoices and the period-end deduction subtract.
CREATE TABLE progressive_invoices (
    tenant_id        text NOT NULL,
    subscription_id  text NOT NULL,
    scope_key        text NOT NULL,            -- the period's start date, or 'lifetime'
    level            bigint NOT NULL,          -- how many thresholds the usage amount had reached
    period_start     date NOT NULL,            -- the billing period whose usage it billed (and whose end deducts it)
    charge_code      text NOT NULL,
    amount           numeric(20, 6) NOT NULL,
    invoice_id       text NOT NULL,
    created_at       timestamptz NOT NULL,
    PRIMARY KEY (tenant_id, subscription_id, scope_key, level, charge_code)
);
CREATE INDEX progressive_invoices_by_period ON progressive_invoices (tenant_id, subscription_id, period_start);
