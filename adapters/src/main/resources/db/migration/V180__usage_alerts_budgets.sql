-- Usage alerts and budgets (issue 14 points 1, 2, 6). Settings of a customer (its alert rules, its budgets) go
-- with it (ON DELETE CASCADE, which BillingHistory reads as "not billing history"); what fired is history.

-- Alert thresholds a customer sets for itself (user_email null) or for one of its users, per metric. They add to
-- the plan's thresholds (catalog usage_alerts, or the defaults); each audience's thresholds fire on their own.
CREATE TABLE usage_alert_rules (
    tenant_id    text NOT NULL,
    id           text NOT NULL,
    customer_id  text NOT NULL,
    user_email   text,
    metric       text NOT NULL,
    percents     numeric[] NOT NULL,
    amounts      numeric[] NOT NULL,
    created_at   timestamptz NOT NULL,
    PRIMARY KEY (tenant_id, id),
    UNIQUE NULLS NOT DISTINCT (tenant_id, customer_id, user_email, metric),
    FOREIGN KEY (tenant_id, customer_id) REFERENCES customers (tenant_id, id) ON DELETE CASCADE
);

-- Monthly budgets: overall (dimension null) or for one value of a usage dimension (team=support).
CREATE TABLE budgets (
    tenant_id        text NOT NULL,
    id               text NOT NULL,
    customer_id      text NOT NULL,
    dimension        text,
    dimension_value  text,
    amount           numeric(20, 6) NOT NULL CHECK (amount > 0),
    currency         char(3) NOT NULL,
    alert_percents   numeric[] NOT NULL,
    created_at       timestamptz NOT NULL,
    PRIMARY KEY (tenant_id, id),
    UNIQUE NULLS NOT DISTINCT (tenant_id, customer_id, dimension, dimension_value),
    CHECK ((dimension IS NULL) = (dimension_value IS NULL)),
    FOREIGN KEY (tenant_id, customer_id) REFERENCES customers (tenant_id, id) ON DELETE CASCADE
);

-- Every alert that fired, once: the unique key is what makes "once per window" hold across threads and nodes
-- (the evaluator inserts ... ON CONFLICT DO NOTHING and records the domain event only when its row went in).
-- subject: <subscription>/<metric> for usage, the budget id for budgets; window_start: the allowance window
-- (ChargeWindows) or the budget's period; audience: plan, customer, or a user's email; threshold: 75%, 3600,
-- allowance or cap.
CREATE TABLE fired_alerts (
    tenant_id     text NOT NULL,
    id            text NOT NULL,
    customer_id   text NOT NULL,
    kind          text NOT NULL CHECK (kind IN ('usage_threshold', 'overage_projected', 'budget_threshold')),
    subject       text NOT NULL,
    window_start  date NOT NULL,
    window_end    date NOT NULL,
    audience      text NOT NULL,
    threshold     text NOT NULL,
    event_id      text NOT NULL,
    data          jsonb NOT NULL,
    fired_at      timestamptz NOT NULL,
    PRIMARY KEY (tenant_id, id),
    UNIQUE (tenant_id, kind, subject, window_start, audience, threshold),
    FOREIGN KEY (tenant_id, customer_id) REFERENCES customers (tenant_id, id)
);
CREATE INDEX fired_alerts_by_customer ON fired_alerts (tenant_id, customer_id, fired_at DESC, id DESC);
