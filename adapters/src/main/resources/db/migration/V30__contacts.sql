-- Contact-based pricing (issue #5.5). A customer's contacts as the tenant syncs them; whether a contact
-- qualifies (email, phone, user id, chat reply or web push) is decided by the application (Contact.qualifies)
-- and stored, so the count is one indexed COUNT.
CREATE TABLE contacts (
    tenant_id     text NOT NULL,
    customer_id   text NOT NULL,
    contact_id    text NOT NULL,
    email         text,
    phone         text,
    user_id       text,
    chat_replied  boolean NOT NULL DEFAULT false,
    web_push      boolean NOT NULL DEFAULT false,
    qualifies     boolean NOT NULL,
    updated_at    timestamptz NOT NULL,
    PRIMARY KEY (tenant_id, customer_id, contact_id),
    FOREIGN KEY (tenant_id, customer_id) REFERENCES customers (tenant_id, id)
);
CREATE INDEX contacts_qualifying ON contacts (tenant_id, customer_id) WHERE qualifies;

-- Append-only history of each customer's count (every sync or push appends one row, stamped with the
-- customer's time, i.e. its test clock in a sandbox). A renewal reads the count as it stood at its time.
CREATE TABLE contact_counts (
    tenant_id     text NOT NULL,
    customer_id   text NOT NULL,
    seq           bigserial NOT NULL,
    at            timestamptz NOT NULL,
    count         bigint NOT NULL CHECK (count >= 0),
    source        text NOT NULL CHECK (source IN ('contacts', 'pushed')),
    PRIMARY KEY (tenant_id, customer_id, seq),
    FOREIGN KEY (tenant_id, customer_id) REFERENCES customers (tenant_id, id)
);
CREATE INDEX contact_counts_at ON contact_counts (tenant_id, customer_id, at DESC, seq DESC);

-- One row per renewal of a counted charge: the count read, its band and the monthly price charged. The
-- latest one on the same plan is the floor of the next renewal (minimum_is_last_invoiced). The primary key
-- makes a rerun of the same period record nothing twice.
CREATE TABLE counted_renewals (
    tenant_id        text NOT NULL,
    subscription_id  text NOT NULL,
    charge_code      text NOT NULL,
    period_start     date NOT NULL,
    plan_code        text NOT NULL,
    count            bigint NOT NULL CHECK (count >= 0),
    band             integer NOT NULL,
    band_price       numeric(20, 9) NOT NULL,
    monthly_price    numeric(20, 9) NOT NULL,
    currency         char(3) NOT NULL,
    PRIMARY KEY (tenant_id, subscription_id, charge_code, period_start),
    FOREIGN KEY (tenant_id, subscription_id) REFERENCES subscriptions (tenant_id, id)
);
