-- Gateway webhooks received (docs/payments-stripe.md): one row per gateway event id, written in the transaction
-- that applies the event, so a redelivered or replayed event is recognised and changes nothing. result: what the
-- delivery did (applied, ignored and why); tenant_id when the event named a tenant Accrue knows.
CREATE TABLE gateway_events (
    gateway      text NOT NULL,
    event_id     text NOT NULL,
    type         text NOT NULL,
    tenant_id    text,
    payment_id   text,
    result       text NOT NULL,
    received_at  timestamptz NOT NULL,
    PRIMARY KEY (gateway, event_id)
);

-- A gateway event names the charge by the gateway's reference (Stripe: the PaymentIntent), across tenants.
CREATE INDEX payments_by_gateway_reference ON payments (gateway, gateway_reference) WHERE gateway_reference IS NOT NULL;
