-- The sandbox gateway's outgoing events (docs/payments.md#the-sandbox-gateway): a bank debit answers "processing" and
-- settles later by an event, as Stripe's SEPA debits do. The event is queued here, in the sandbox's own books, in the
-- transaction that accepted the debit; SandboxEvents delivers it, signed, to the gateway-event intake (the handler of
-- POST /v1/gateway_events/sandbox, deduplicated by event id in gateway_events). delivered_at: when Accrue took it.
CREATE TABLE sandbox_events (
    id            text PRIMARY KEY,
    body          text NOT NULL,
    due_at        timestamptz NOT NULL,
    delivered_at  timestamptz,
    attempts      integer NOT NULL DEFAULT 0,
    created_at    timestamptz NOT NULL
);
CREATE INDEX sandbox_events_due ON sandbox_events (due_at) WHERE delivered_at IS NULL;
