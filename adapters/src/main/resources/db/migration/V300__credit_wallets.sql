-- Credit wallets (issue 16 point 14): credits beyond money. A customer may hold several wallets, each in a unit of its own
-- ("credits", or money) with a rate: the money one credit is worth in the customer's currency. A wallet holds lots of
-- credits, granted (free) or paid, each with an optional expiry (half-open: usable before expires_at, not at it). Invoices
-- consume the lots (granted first unless the wallet says paid_first), only for the charges the wallet applies to when it
-- is restricted. Every movement is an append-only entry; a lot's remaining credits are its own credits plus the (negative)
-- entries that name it. An expired lot's remaining credits are written off by one 'expired' entry, never paid back.
CREATE TABLE credit_wallets (
    tenant_id          text NOT NULL,
    id                 text NOT NULL,
    customer_id        text NOT NULL,
    name               text NOT NULL,
    unit               text NOT NULL,
    currency           char(3) NOT NULL,
    rate               numeric(20, 6) NOT NULL CHECK (rate > 0),
    priority           integer NOT NULL,
    paid_first         boolean NOT NULL DEFAULT false,
    applies_to         text[],
    recurring_credits  numeric(24, 6) CHECK (recurring_credits > 0),
    recurring_expires  boolean NOT NULL DEFAULT true,
    top_up_threshold   numeric(24, 6) CHECK (top_up_threshold >= 0),
    top_up_target      numeric(24, 6) CHECK (top_up_target > top_up_threshold),
    created_at         timestamptz NOT NULL,
    PRIMARY KEY (tenant_id, id),
    FOREIGN KEY (tenant_id, customer_id) REFERENCES customers (tenant_id, id)
);
CREATE INDEX credit_wallets_by_customer ON credit_wallets (tenant_id, customer_id, priority, id);

CREATE TABLE credit_wallet_entries (
    tenant_id     text NOT NULL,
    id            text NOT NULL,
    wallet_id     text NOT NULL,
    customer_id   text NOT NULL,
    kind          text NOT NULL CHECK (kind IN ('granted', 'purchased', 'consumed', 'expired')),
    lot_id        text,
    credits       numeric(24, 6) NOT NULL CHECK (credits <> 0),
    amount        numeric(20, 4) NOT NULL,
    expires_at    timestamptz,
    source_key    text NOT NULL,
    description   text NOT NULL,
    effective_at  timestamptz NOT NULL,
    created_at    timestamptz NOT NULL,
    PRIMARY KEY (tenant_id, id),
    UNIQUE (tenant_id, source_key),
    CHECK ((kind IN ('granted', 'purchased')) = (lot_id IS NULL)),
    CHECK ((kind IN ('granted', 'purchased')) = (credits > 0)),
    FOREIGN KEY (tenant_id, wallet_id) REFERENCES credit_wallets (tenant_id, id)
);
CREATE INDEX credit_wallet_entries_by_wallet ON credit_wallet_entries (tenant_id, wallet_id, effective_at, id);

CREATE OR REPLACE FUNCTION credit_wallet_entries_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'credit_wallet_entries is append-only';
END $$;
CREATE TRIGGER credit_wallet_entries_append_only BEFORE UPDATE OR DELETE ON credit_wallet_entries
    FOR EACH ROW EXECUTE FUNCTION credit_wallet_entries_append_only();

-- Target top-ups charged through the customer's default payment method: one pending per wallet at most; the id is the
-- gateway's idempotency key, so a retried charge moves no money twice and its lot is credited once (source_key = id).
CREATE TABLE credit_wallet_top_ups (
    tenant_id          text NOT NULL,
    id                 text NOT NULL,
    wallet_id          text NOT NULL,
    customer_id        text NOT NULL,
    credits            numeric(24, 6) NOT NULL CHECK (credits > 0),
    amount             numeric(20, 4) NOT NULL CHECK (amount > 0),
    currency           char(3) NOT NULL,
    method_id          text NOT NULL,
    status             text NOT NULL CHECK (status IN ('pending', 'succeeded', 'failed')),
    gateway_reference  text,
    failure_code       text,
    requested_at       timestamptz NOT NULL,
    settled_at         timestamptz,
    PRIMARY KEY (tenant_id, id),
    FOREIGN KEY (tenant_id, wallet_id) REFERENCES credit_wallets (tenant_id, id)
);
CREATE UNIQUE INDEX credit_wallet_top_ups_one_pending ON credit_wallet_top_ups (tenant_id, wallet_id) WHERE status = 'pending';
