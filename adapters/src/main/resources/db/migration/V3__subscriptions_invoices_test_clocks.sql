-- Test clocks (sandbox only): customers attached to one live on its frozen time.
CREATE TABLE test_clocks (
    tenant_id    text NOT NULL REFERENCES tenants (id),
    id           text NOT NULL,
    name         text NOT NULL,
    frozen_time  timestamptz NOT NULL,
    created_at   timestamptz NOT NULL,
    PRIMARY KEY (tenant_id, id)
);
ALTER TABLE customers ADD COLUMN test_clock_id text;
ALTER TABLE customers ADD FOREIGN KEY (tenant_id, test_clock_id) REFERENCES test_clocks (tenant_id, id);

-- Dates are local dates in the customer's zone; periods are half-open [start, end).
CREATE TABLE subscriptions (
    tenant_id          text NOT NULL,
    id                 text NOT NULL,
    customer_id        text NOT NULL,
    catalog_version    integer NOT NULL,
    plan_code          text NOT NULL,
    billing_interval   text NOT NULL,
    alignment          text NOT NULL,
    start_date         date NOT NULL,
    trial_end          date,
    anchor             date NOT NULL,
    next_bill_date     date NOT NULL,
    billed_through     date,
    pending_plan_code  text,
    cancel_at_period_end boolean NOT NULL DEFAULT false,
    cancel_reason      text,
    ended_on           date,
    lock_in_until      date,
    overrides          jsonb NOT NULL DEFAULT '{}',
    created_at         timestamptz NOT NULL,
    updated_at         timestamptz NOT NULL,
    version            integer NOT NULL,
    PRIMARY KEY (tenant_id, id),
    FOREIGN KEY (tenant_id, customer_id) REFERENCES customers (tenant_id, id)
);
CREATE INDEX subscriptions_due ON subscriptions (next_bill_date) WHERE ended_on IS NULL;
CREATE INDEX subscriptions_by_customer ON subscriptions (tenant_id, customer_id);

-- Gapless per-tenant invoice numbers: the counter row is locked by the finalizing transaction.
CREATE TABLE invoice_counters (
    tenant_id    text PRIMARY KEY REFERENCES tenants (id),
    last_number  bigint NOT NULL
);

CREATE TABLE invoices (
    tenant_id        text NOT NULL,
    id               text NOT NULL,
    customer_id      text NOT NULL,
    subscription_id  text,
    -- what this invoice bills, unique per tenant: a period ("sub_…:2026-07-01") or a change ("chg_…").
    -- The constraint, not only the code, makes a billing run that runs twice bill nothing twice.
    billing_key      text NOT NULL,
    number           text,
    status           text NOT NULL CHECK (status IN ('draft', 'finalized', 'paid', 'void', 'uncollectible')),
    currency         char(3) NOT NULL,
    issue_date       date NOT NULL,
    due_date         date NOT NULL,
    period_start     date,
    period_end       date,
    subtotal         numeric(20, 6) NOT NULL,
    total            numeric(20, 6) NOT NULL,
    created_at       timestamptz NOT NULL,
    finalized_at     timestamptz,
    PRIMARY KEY (tenant_id, id),
    UNIQUE (tenant_id, billing_key),
    UNIQUE (tenant_id, number),
    FOREIGN KEY (tenant_id, customer_id) REFERENCES customers (tenant_id, id),
    FOREIGN KEY (tenant_id, subscription_id) REFERENCES subscriptions (tenant_id, id)
);
CREATE INDEX invoices_by_customer ON invoices (tenant_id, customer_id, id DESC);

CREATE TABLE invoice_lines (
    tenant_id     text NOT NULL,
    invoice_id    text NOT NULL,
    line_no       integer NOT NULL,
    kind          text NOT NULL,
    charge_code   text,
    description   text NOT NULL,
    period_start  date,
    period_end    date,
    quantity      numeric(30, 12) NOT NULL,
    unit_price    numeric(30, 12) NOT NULL,
    amount        numeric(20, 6) NOT NULL,
    PRIMARY KEY (tenant_id, invoice_id, line_no),
    FOREIGN KEY (tenant_id, invoice_id) REFERENCES invoices (tenant_id, id)
);

-- Charges waiting for the next regular invoice (an upgrade's proration when the plan says so).
CREATE TABLE pending_items (
    tenant_id        text NOT NULL,
    id               text NOT NULL,
    subscription_id  text NOT NULL,
    customer_id      text NOT NULL,
    kind             text NOT NULL,
    charge_code      text,
    description      text NOT NULL,
    period_start     date,
    period_end       date,
    quantity         numeric(30, 12) NOT NULL,
    unit_price       numeric(30, 12) NOT NULL,
    amount           numeric(20, 6) NOT NULL,
    invoice_id       text,
    created_at       timestamptz NOT NULL,
    PRIMARY KEY (tenant_id, id),
    FOREIGN KEY (tenant_id, subscription_id) REFERENCES subscriptions (tenant_id, id),
    FOREIGN KEY (tenant_id, customer_id) REFERENCES customers (tenant_id, id)
);
CREATE INDEX pending_items_open ON pending_items (tenant_id, subscription_id) WHERE invoice_id IS NULL;
