-- Learning a charge's outcome from the gateway instead of waiting or resending (docs/payments.md#unknown-outcomes).
--
-- review_reason: a pending attempt whose outcome could not be learned before the gateway forgot its idempotency
-- key (Stripe keeps keys 24 hours) and that the gateway does not know either. It is never sent again (a resend
-- under a forgotten key could charge twice); an operator decides, and a late webhook still settles it.
-- polled_at: when the gateway was last asked about a charge left processing (a bank debit whose webhook is late).
ALTER TABLE payments
    ADD COLUMN review_reason text,
    ADD COLUMN review_since  timestamptz,
    ADD COLUMN polled_at     timestamptz;

-- the polling job's scan: pending charges the gateway accepted as processing
CREATE INDEX payments_processing ON payments (created_at) WHERE status = 'pending' AND gateway_reference IS NOT NULL;
