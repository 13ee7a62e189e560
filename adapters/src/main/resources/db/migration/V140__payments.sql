-- Getting paid (docs/payments.md): payment methods, payment attempts, refunds, collection and dunning state.
-- Accrue never stores a card number or CVC: a method is the gateway's token, brand, last four digits, expiry
-- and billing address.

-- ---- the built-in sandbox gateway's own books -------------------------------------------------------------
-- The sandbox behaves like an external gateway: its state lives outside any Accrue transaction (it writes on
-- its own connection) and is shared by every node, so its idempotency holds across nodes and restarts.
CREATE TABLE sandbox_tokens (
    token              text PRIMARY KEY,
    kind               text NOT NULL CHECK (kind IN ('card', 'bank_account', 'upi')),
    brand              text NOT NULL,
    last4              text NOT NULL,
    exp_month          integer,
    exp_year           integer,
    mandate_reference  text,
    -- what the test instrument does when charged: succeeds, or the decline it stands for
    behaviour          text NOT NULL,
    gateway_customer   text,
    detached           boolean NOT NULL DEFAULT false,
    created_at         timestamptz NOT NULL
);
-- The first answer to every idempotency key (a repeated key answers it again, charging nothing).
CREATE TABLE sandbox_requests (
    idempotency_key  text PRIMARY KEY,
    operation        text NOT NULL,
    answer           jsonb NOT NULL,
    created_at       timestamptz NOT NULL
);
-- Money the sandbox moved: one row per approved charge or refund (what the tests and the benchmark count).
CREATE TABLE sandbox_movements (
    reference        text PRIMARY KEY,
    kind             text NOT NULL CHECK (kind IN ('charge', 'refund')),
    token            text,
    charge           text,
    amount           numeric(20, 6) NOT NULL,
    currency         char(3) NOT NULL,
    idempotency_key  text NOT NULL UNIQUE,
    created_at       timestamptz NOT NULL
);

-- ---- per tenant ---------------------------------------------------------------------------------------------
CREATE TABLE payment_settings (
    tenant_id              text PRIMARY KEY REFERENCES tenants (id),
    retry_days             integer[] NOT NULL,
    grace_days             integer NOT NULL CHECK (grace_days BETWEEN 0 AND 60),
    accepted_card_brands   text[] NOT NULL,
    updated_at             timestamptz NOT NULL
);

-- The customer's record at the gateway that saved methods hang off.
CREATE TABLE gateway_customers (
    tenant_id    text NOT NULL,
    customer_id  text NOT NULL,
    gateway      text NOT NULL,
    reference    text NOT NULL,
    PRIMARY KEY (tenant_id, customer_id, gateway),
    FOREIGN KEY (tenant_id, customer_id) REFERENCES customers (tenant_id, id)
);

-- Saved methods. priority 1 is the default, 2.. the backups in the order they are tried; removed methods keep
-- their row (payments name them) with priority NULL.
CREATE TABLE payment_methods (
    tenant_id          text NOT NULL,
    id                 text NOT NULL,
    customer_id        text NOT NULL,
    gateway            text NOT NULL,
    token              text NOT NULL,
    kind               text NOT NULL CHECK (kind IN ('card', 'bank_account', 'upi')),
    brand              text NOT NULL,
    last4              text NOT NULL,
    exp_month          integer,
    exp_year           integer,
    mandate_reference  text,
    billing_address    jsonb,
    priority           integer,
    status             text NOT NULL CHECK (status IN ('active', 'removed')),
    created_at         timestamptz NOT NULL,
    updated_at         timestamptz NOT NULL,
    PRIMARY KEY (tenant_id, id),
    FOREIGN KEY (tenant_id, customer_id) REFERENCES customers (tenant_id, id),
    CHECK ((status = 'active') = (priority IS NOT NULL))
);
CREATE INDEX payment_methods_of_customer ON payment_methods (tenant_id, customer_id, priority) WHERE status = 'active';

-- What was paid on an invoice so far (automatic and manual payments, less refunds given back on it).
ALTER TABLE invoices ADD COLUMN amount_paid numeric(20, 6) NOT NULL DEFAULT 0;

-- Every payment: an automatic attempt (stored, and committed, BEFORE the gateway is called — its id is the
-- gateway's idempotency key) or a manual payment recorded by the operator. purpose: an invoice, or a wallet
-- recharge. An automatic attempt is unique per (invoice, dunning round, method), so two nodes cannot make two
-- attempts of the same try; a wallet recharge is unique per recharge request.
CREATE TABLE payments (
    tenant_id          text NOT NULL,
    id                 text NOT NULL,
    customer_id        text NOT NULL,
    invoice_id         text,
    purpose            text NOT NULL CHECK (purpose IN ('invoice', 'wallet_recharge')),
    source             text NOT NULL CHECK (source IN ('automatic', 'manual')),
    attempt_key        text,
    round              integer,
    method_id          text,
    method_kind        text NOT NULL,
    brand              text,
    last4              text,
    gateway            text,
    currency           char(3) NOT NULL,
    amount             numeric(20, 6) NOT NULL CHECK (amount > 0),
    applied            numeric(20, 6) NOT NULL DEFAULT 0,
    credited           numeric(20, 6) NOT NULL DEFAULT 0,
    refunded           numeric(20, 6) NOT NULL DEFAULT 0,
    status             text NOT NULL CHECK (status IN ('pending', 'succeeded', 'failed')),
    gateway_reference  text,
    failure_code       text,
    failure_message    text,
    hard_decline       boolean NOT NULL DEFAULT false,
    reference          text,
    received_on        date,
    receipt_number     text,
    created_at         timestamptz NOT NULL,
    settled_at         timestamptz,
    PRIMARY KEY (tenant_id, id),
    UNIQUE (tenant_id, attempt_key),
    UNIQUE (tenant_id, receipt_number),
    FOREIGN KEY (tenant_id, customer_id) REFERENCES customers (tenant_id, id),
    FOREIGN KEY (tenant_id, invoice_id) REFERENCES invoices (tenant_id, id),
    FOREIGN KEY (tenant_id, method_id) REFERENCES payment_methods (tenant_id, id),
    CHECK (refunded <= amount)
);
CREATE INDEX payments_of_customer ON payments (tenant_id, customer_id, id DESC);
CREATE INDEX payments_of_invoice ON payments (tenant_id, invoice_id, id DESC) WHERE invoice_id IS NOT NULL;

-- A refund, stored before the gateway is called (its id is the idempotency key).
CREATE TABLE refunds (
    tenant_id          text NOT NULL,
    id                 text NOT NULL,
    payment_id         text NOT NULL,
    customer_id        text NOT NULL,
    invoice_id         text,
    credit_note_id     text,
    currency           char(3) NOT NULL,
    amount             numeric(20, 6) NOT NULL CHECK (amount > 0),
    reason             text,
    status             text NOT NULL CHECK (status IN ('pending', 'succeeded', 'failed')),
    gateway_reference  text,
    failure_message    text,
    created_at         timestamptz NOT NULL,
    settled_at         timestamptz,
    PRIMARY KEY (tenant_id, id),
    FOREIGN KEY (tenant_id, payment_id) REFERENCES payments (tenant_id, id),
    FOREIGN KEY (tenant_id, customer_id) REFERENCES customers (tenant_id, id)
);
CREATE INDEX refunds_of_payment ON refunds (tenant_id, payment_id);
CREATE UNIQUE INDEX refunds_once_per_credit_note ON refunds (tenant_id, credit_note_id) WHERE credit_note_id IS NOT NULL AND status <> 'failed';

-- Collecting one invoice of an auto-pay customer: written by a trigger in the transaction that finalizes the
-- invoice (only a row: charging happens later, from CollectionRunner, after that transaction committed).
-- stage: waiting_for_method (no saved method yet; nothing is tried and nobody is dunned), collecting (a try is
-- due at next_attempt_at), grace (retries exhausted; suspension at next_attempt_at), suspended, paid, closed.
-- round: 0 for the first try, n for the n-th retry. in_flight_*: the attempt handed to the gateway and when, so
-- another node leaves it alone until it is stale, then retries it with the same idempotency key.
CREATE TABLE collections (
    tenant_id             text NOT NULL,
    invoice_id            text NOT NULL,
    customer_id           text NOT NULL,
    stage                 text NOT NULL CHECK (stage IN ('waiting_for_method', 'collecting', 'grace', 'suspended', 'paid', 'closed')),
    round                 integer NOT NULL DEFAULT 0,
    first_failed_at       timestamptz,
    next_attempt_at       timestamptz,
    hard_declined         text[] NOT NULL DEFAULT '{}',
    in_flight_payment_id  text,
    in_flight_since       timestamptz,
    last_failure          text,
    created_at            timestamptz NOT NULL,
    updated_at            timestamptz NOT NULL,
    PRIMARY KEY (tenant_id, invoice_id),
    FOREIGN KEY (tenant_id, invoice_id) REFERENCES invoices (tenant_id, id),
    FOREIGN KEY (tenant_id, customer_id) REFERENCES customers (tenant_id, id)
);
CREATE INDEX collections_due ON collections (next_attempt_at) WHERE next_attempt_at IS NOT NULL;
CREATE INDEX collections_of_customer ON collections (tenant_id, customer_id) WHERE stage NOT IN ('paid', 'closed');

-- A customer suspended for non-payment: what dunning suspended and held, so reinstatement restores exactly
-- that (and never what an operator suspended for another reason).
CREATE TABLE dunning_suspensions (
    tenant_id         text NOT NULL,
    customer_id       text NOT NULL,
    suspended_at      timestamptz NOT NULL,
    subscription_ids  text[] NOT NULL,
    numbers           text[] NOT NULL,
    PRIMARY KEY (tenant_id, customer_id),
    FOREIGN KEY (tenant_id, customer_id) REFERENCES customers (tenant_id, id)
);

CREATE FUNCTION enqueue_invoice_collection() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    method   text;
    due_at   timestamptz;
BEGIN
    IF NEW.status <> 'finalized' OR NEW.total <= 0 OR (TG_OP = 'UPDATE' AND OLD.status <> 'draft') THEN
        RETURN NEW;
    END IF;
    SELECT c.collection_method, coalesce(tc.frozen_time, NEW.finalized_at, clock_timestamp()) INTO method, due_at
    FROM customers c LEFT JOIN test_clocks tc ON tc.tenant_id = c.tenant_id AND tc.id = c.test_clock_id
    WHERE c.tenant_id = NEW.tenant_id AND c.id = NEW.customer_id;
    IF method IS DISTINCT FROM 'auto_pay' THEN
        RETURN NEW;
    END IF;
    INSERT INTO collections (tenant_id, invoice_id, customer_id, stage, next_attempt_at, created_at, updated_at)
    SELECT NEW.tenant_id, NEW.id, NEW.customer_id,
           CASE WHEN has_method THEN 'collecting' ELSE 'waiting_for_method' END,
           CASE WHEN has_method THEN due_at END, clock_timestamp(), clock_timestamp()
    FROM (SELECT EXISTS (SELECT 1 FROM payment_methods m WHERE m.tenant_id = NEW.tenant_id AND m.customer_id = NEW.customer_id
                         AND m.status = 'active') AS has_method) x
    ON CONFLICT DO NOTHING;
    RETURN NEW;
END $$;
CREATE TRIGGER invoices_enqueue_collection AFTER INSERT OR UPDATE OF status ON invoices
    FOR EACH ROW EXECUTE FUNCTION enqueue_invoice_collection();

-- A credit note may be resolved as a refund to the payment method (docs/payments.md#refunds) instead of credit.
ALTER TABLE credit_notes DROP CONSTRAINT credit_notes_resolution_check;
ALTER TABLE credit_notes ADD CONSTRAINT credit_notes_resolution_check CHECK (resolution IN ('credit', 'refund'));
