-- Consumers of the billing-event outbox (domain_events) keep their place here: one row per consumer, locked
-- FOR UPDATE while a batch is fanned out, so two nodes never fan out the same events twice and a crash before
-- commit simply leaves the position where it was.
CREATE TABLE event_consumers (
    name        text PRIMARY KEY,
    tx_id       bigint NOT NULL,
    sequence    bigint NOT NULL,
    updated_at  timestamptz NOT NULL DEFAULT now()
);
INSERT INTO event_consumers (name, tx_id, sequence) VALUES ('webhooks', 0, 0), ('notifications', 0, 0);

-- A tenant's webhook endpoints (Standard Webhooks). The signing secret is kept to sign with (whsec_ + base64);
-- during a rotation's overlap the previous secret also signs until previous_secret_expires_at.
-- failing_since/consecutive_failures measure a run of failures, reset by any success; a long run disables the endpoint.
CREATE TABLE webhook_endpoints (
    tenant_id                  text NOT NULL REFERENCES tenants (id),
    id                         text NOT NULL,
    url                        text NOT NULL,
    description                text,
    event_types                text[] NOT NULL,
    enabled                    boolean NOT NULL,
    disabled_reason            text,
    secret                     text NOT NULL,
    previous_secret            text,
    previous_secret_expires_at timestamptz,
    failing_since              timestamptz,
    consecutive_failures       integer NOT NULL DEFAULT 0,
    created_at                 timestamptz NOT NULL,
    updated_at                 timestamptz NOT NULL,
    deleted                    boolean NOT NULL DEFAULT false,
    PRIMARY KEY (tenant_id, id)
);

-- One row per (endpoint, event): the fan-out inserts with ON CONFLICT DO NOTHING, so consuming an event twice
-- delivers it once. (position_tx, position_seq) is the event's outbox position: the order per object.
-- status: pending (due at next_attempt_at; a claimed delivery is pending with next_attempt_at pushed to its lease),
-- delivered, failed (retries exhausted; replay makes it pending again).
CREATE TABLE webhook_deliveries (
    tenant_id        text NOT NULL,
    id               text NOT NULL,
    endpoint_id      text NOT NULL,
    event_id         text NOT NULL,
    event_type       text NOT NULL,
    object_id        text NOT NULL,
    position_tx      bigint NOT NULL,
    position_seq     bigint NOT NULL,
    payload          text NOT NULL,
    status           text NOT NULL,
    attempts         integer NOT NULL DEFAULT 0,
    next_attempt_at  timestamptz NOT NULL,
    last_status_code integer,
    last_error       text,
    delivered_at     timestamptz,
    created_at       timestamptz NOT NULL,
    PRIMARY KEY (tenant_id, id),
    UNIQUE (tenant_id, endpoint_id, event_id),
    FOREIGN KEY (tenant_id, endpoint_id) REFERENCES webhook_endpoints (tenant_id, id)
);
CREATE INDEX webhook_deliveries_due ON webhook_deliveries (next_attempt_at) WHERE status = 'pending';
CREATE INDEX webhook_deliveries_by_object ON webhook_deliveries (tenant_id, endpoint_id, object_id, position_tx, position_seq)
    WHERE status = 'pending';
CREATE INDEX webhook_deliveries_by_endpoint ON webhook_deliveries (tenant_id, endpoint_id, created_at DESC);

-- The delivery log: one row per attempt.
CREATE TABLE webhook_attempts (
    tenant_id     text NOT NULL,
    delivery_id   text NOT NULL,
    attempt       integer NOT NULL,
    attempted_at  timestamptz NOT NULL,
    outcome       text NOT NULL,
    status_code   integer,
    duration_ms   integer NOT NULL,
    response_body text,
    error         text,
    PRIMARY KEY (tenant_id, delivery_id, attempt),
    FOREIGN KEY (tenant_id, delivery_id) REFERENCES webhook_deliveries (tenant_id, id)
);

-- In-app notifications: to a customer as a whole (recipient '') or to one customer user (recipient = email).
CREATE TABLE notifications (
    tenant_id    text NOT NULL REFERENCES tenants (id),
    id           text NOT NULL,
    customer_id  text,
    recipient    text NOT NULL,
    event_id     text NOT NULL,
    event_type   text NOT NULL,
    title        text NOT NULL,
    body         text NOT NULL,
    created_at   timestamptz NOT NULL,
    read_at      timestamptz,
    PRIMARY KEY (tenant_id, id),
    UNIQUE (tenant_id, event_id, recipient)
);
CREATE INDEX notifications_by_customer ON notifications (tenant_id, customer_id, recipient, created_at DESC);

-- Channel choices per event type, for a customer (user_email '') or one of its users (keyed by email).
-- recipient_emails (customer row only) replaces the customer's billing emails as email recipients.
CREATE TABLE notification_preferences (
    tenant_id    text NOT NULL REFERENCES tenants (id),
    customer_id  text NOT NULL,
    user_email   text NOT NULL,
    event_type   text NOT NULL,
    email        boolean NOT NULL,
    in_app       boolean NOT NULL,
    PRIMARY KEY (tenant_id, customer_id, user_email, event_type)
);

-- Email pacing: the last notification email of a type to a recipient; within the pacing window further ones wait
-- in notification_digest_items and leave together in one digest email.
CREATE TABLE notification_email_pacing (
    tenant_id     text NOT NULL,
    customer_id   text NOT NULL,
    recipient     text NOT NULL,
    event_type    text NOT NULL,
    last_sent_at  timestamptz NOT NULL,
    PRIMARY KEY (tenant_id, customer_id, recipient, event_type)
);
CREATE TABLE notification_digest_items (
    tenant_id    text NOT NULL,
    customer_id  text NOT NULL,
    recipient    text NOT NULL,
    event_id     text NOT NULL,
    event_type   text NOT NULL,
    title        text NOT NULL,
    body         text NOT NULL,
    due_at       timestamptz NOT NULL,
    created_at   timestamptz NOT NULL,
    sent_at      timestamptz,
    PRIMARY KEY (tenant_id, customer_id, recipient, event_id)
);
CREATE INDEX notification_digest_due ON notification_digest_items (due_at) WHERE sent_at IS NULL;

-- Reminders the scheduler has already recorded (subscription.renewing, subscription.trial_ending): once per
-- subscription, kind and the date they are about.
CREATE TABLE subscription_reminders (
    tenant_id        text NOT NULL,
    subscription_id  text NOT NULL,
    kind             text NOT NULL,
    about            date NOT NULL,
    recorded_at      timestamptz NOT NULL,
    PRIMARY KEY (tenant_id, subscription_id, kind, about)
);

-- Per-tenant notification settings: how many days before a renewal subscription.renewing is recorded.
CREATE TABLE notification_settings (
    tenant_id           text PRIMARY KEY REFERENCES tenants (id),
    renewal_notice_days integer NOT NULL CHECK (renewal_notice_days BETWEEN 0 AND 60),
    trial_notice_days   integer NOT NULL CHECK (trial_notice_days BETWEEN 0 AND 60)
);
