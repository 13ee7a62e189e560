-- When the credit-wallets job first handed a top-up to the gateway (stamped, by the customer's clock, in the transaction
-- before the call). A top-up is requested when its wallet falls below the threshold and charged later by the job, so
-- its request time says nothing about its idempotency key's age at the gateway: this does. NULL: never sent, so
-- sending it under its key cannot charge twice; older than ACCRUE_GATEWAY_RESEND_WINDOW: looked up, never resent.
ALTER TABLE credit_wallet_top_ups ADD COLUMN sent_at timestamptz;
