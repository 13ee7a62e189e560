-- Prepaid wallets. A wallet row holds only settings (credit limit, auto-recharge rule); its balance is the
-- sum of its entries, which are append-only: a trigger refuses UPDATE and DELETE. Every change to a
-- balance is written under the wallet row's lock, so concurrent top-ups and debits serialise per wallet.
CREATE TABLE wallets (
    tenant_id                text NOT NULL,
    customer_id              text NOT NULL,
    currency                 char(3) NOT NULL,
    credit_limit             numeric(30, 9) NOT NULL DEFAULT 0 CHECK (credit_limit >= 0),
    auto_recharge_threshold  numeric(30, 9) CHECK (auto_recharge_threshold >= 0),
    auto_recharge_amount     numeric(30, 9) CHECK (auto_recharge_amount > 0),
    recharge_requested_at    timestamptz,
    created_at               timestamptz NOT NULL,
    updated_at               timestamptz NOT NULL,
    PRIMARY KEY (tenant_id, customer_id),
    FOREIGN KEY (tenant_id, customer_id) REFERENCES customers (tenant_id, id),
    CHECK ((auto_recharge_threshold IS NULL) = (auto_recharge_amount IS NULL))
);

-- One movement of money. amount > 0 credits the wallet (top-up, refund), < 0 debits it (usage, invoice).
-- Usage drawn in real time names the usage window it pays for (subscription, cadence, window), so the
-- invoice that later bills that window knows what was already paid.
CREATE TABLE wallet_entries (
    tenant_id        text NOT NULL,
    id               text NOT NULL,
    customer_id      text NOT NULL,
    currency         char(3) NOT NULL,
    kind             text NOT NULL CHECK (kind IN ('top_up', 'usage', 'invoice', 'adjustment')),
    amount           numeric(30, 9) NOT NULL CHECK (amount <> 0),
    balance_after    numeric(30, 9) NOT NULL,
    subscription_id  text,
    window_key       text,
    window_end       date,
    description      text NOT NULL,
    created_at       timestamptz NOT NULL,
    PRIMARY KEY (tenant_id, id),
    FOREIGN KEY (tenant_id, customer_id) REFERENCES wallets (tenant_id, customer_id)
);
CREATE INDEX wallet_entries_history ON wallet_entries (tenant_id, customer_id, created_at, id);
CREATE INDEX wallet_entries_window ON wallet_entries (tenant_id, subscription_id, window_key) WHERE window_key IS NOT NULL;

CREATE FUNCTION wallet_entries_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'wallet_entries is append-only';
END $$;
CREATE TRIGGER wallet_entries_append_only BEFORE UPDATE OR DELETE ON wallet_entries
    FOR EACH ROW EXECUTE FUNCTION wallet_entries_append_only();

-- Which invoice settled a usage entry drawn in real time (kept apart so entries never change).
CREATE TABLE wallet_entry_settlements (
    tenant_id   text NOT NULL,
    entry_id    text NOT NULL,
    invoice_id  text NOT NULL,
    PRIMARY KEY (tenant_id, entry_id),
    FOREIGN KEY (tenant_id, entry_id) REFERENCES wallet_entries (tenant_id, id)
);

-- A receipt for every top-up: amount credited, VAT on it, total paid, balance after. Numbers are gapless
-- per tenant (RCT-000001), taken from a counter row locked in the top-up's transaction.
CREATE TABLE receipts (
    tenant_id      text NOT NULL,
    id             text NOT NULL,
    number         text NOT NULL,
    customer_id    text NOT NULL,
    entry_id       text NOT NULL,
    currency       char(3) NOT NULL,
    amount         numeric(30, 9) NOT NULL,
    tax_rate       numeric(12, 9) NOT NULL,
    tax            numeric(30, 9) NOT NULL,
    total          numeric(30, 9) NOT NULL,
    balance_after  numeric(30, 9) NOT NULL,
    created_at     timestamptz NOT NULL,
    PRIMARY KEY (tenant_id, id),
    UNIQUE (tenant_id, number),
    FOREIGN KEY (tenant_id, entry_id) REFERENCES wallet_entries (tenant_id, id)
);
CREATE TABLE document_counters (
    tenant_id    text NOT NULL,
    series       text NOT NULL,
    last_number  bigint NOT NULL,
    PRIMARY KEY (tenant_id, series)
);

-- Outbound email, written in the transaction of what it tells about (a receipt, an invoice), then sent by
-- the dispatcher; so a committed receipt always gets its email and a rolled-back one never does.
CREATE TABLE outbound_emails (
    tenant_id     text NOT NULL,
    id            text NOT NULL,
    customer_id   text,
    recipients    text[] NOT NULL,
    subject       text NOT NULL,
    body          text NOT NULL,
    object_type   text,
    object_id     text,
    status        text NOT NULL CHECK (status IN ('queued', 'sent', 'failed')),
    attempts      integer NOT NULL DEFAULT 0,
    last_error    text,
    created_at    timestamptz NOT NULL,
    sent_at       timestamptz,
    PRIMARY KEY (tenant_id, id)
);
CREATE INDEX outbound_emails_queued ON outbound_emails (created_at) WHERE status = 'queued';

ALTER TABLE tenants ADD COLUMN tax_rate numeric(12, 9) NOT NULL DEFAULT 0 CHECK (tax_rate >= 0 AND tax_rate < 1);
