-- Foundation schema. Every business row carries tenant_id and is keyed by (tenant_id, id), so no query can
-- address another tenant's row by id alone.

CREATE TABLE tenants (
    id          text PRIMARY KEY,
    name        text NOT NULL UNIQUE,
    mode        text NOT NULL CHECK (mode IN ('live', 'sandbox')),
    created_at  timestamptz NOT NULL
);

CREATE TABLE api_keys (
    tenant_id       text NOT NULL REFERENCES tenants (id),
    id              text NOT NULL,
    name            text NOT NULL,
    role            text NOT NULL CHECK (role IN ('admin', 'read_only')),
    display_prefix  text NOT NULL,
    secret_sha256   text NOT NULL UNIQUE,
    created_at      timestamptz NOT NULL,
    revoked_at      timestamptz,
    PRIMARY KEY (tenant_id, id)
);

CREATE TABLE customers (
    tenant_id        text NOT NULL REFERENCES tenants (id),
    id               text NOT NULL,
    external_id      text,
    legal_name       text NOT NULL,
    billing_emails   text[] NOT NULL,
    billing_address  jsonb NOT NULL,
    currency         char(3) NOT NULL,
    time_zone        text NOT NULL,
    tax_id           text,
    alignment        text CHECK (alignment IN ('calendar', 'anniversary')),
    collection_method text NOT NULL CHECK (collection_method IN ('auto_pay', 'manual')),
    net_days         integer NOT NULL CHECK (net_days BETWEEN 0 AND 365),
    account_type     text NOT NULL CHECK (account_type IN ('prepaid', 'postpaid')),
    metadata         jsonb NOT NULL DEFAULT '{}',
    created_at       timestamptz NOT NULL,
    updated_at       timestamptz NOT NULL,
    version          integer NOT NULL,
    PRIMARY KEY (tenant_id, id),
    UNIQUE (tenant_id, external_id)
);
CREATE INDEX customers_search ON customers (tenant_id, lower(legal_name));

CREATE TABLE audit_events (
    tenant_id    text NOT NULL REFERENCES tenants (id),
    id           text NOT NULL,
    object_type  text NOT NULL,
    object_id    text NOT NULL,
    action       text NOT NULL,
    actor        text NOT NULL,
    occurred_at  timestamptz NOT NULL,
    before       jsonb,
    after        jsonb,
    PRIMARY KEY (tenant_id, id)
);
CREATE INDEX audit_events_by_object ON audit_events (tenant_id, object_id, id DESC);

CREATE TABLE idempotency_keys (
    tenant_id      text NOT NULL REFERENCES tenants (id),
    key            text NOT NULL,
    fingerprint    text NOT NULL,
    created_at     timestamptz NOT NULL,
    response_status integer,
    response_body  text,
    PRIMARY KEY (tenant_id, key)
);
