-- A usage event cancelled or corrected after its period was invoiced leaves its change here: the quantity
-- removed (negative, at its old dimensions) and added (positive, at its new ones). The next invoice bills the
-- difference it makes to that period as a labelled adjustment, exactly like late usage.
CREATE TABLE usage_adjustments (
    tenant_id            text NOT NULL,
    id                   text NOT NULL,
    subscription_id      text NOT NULL,
    event_id             text NOT NULL,
    metric               text NOT NULL,
    day                  date NOT NULL,
    dimension_key        text NOT NULL,
    quantity             numeric(30, 9) NOT NULL,
    adjusted_invoice_id  text,
    created_at           timestamptz NOT NULL,
    PRIMARY KEY (tenant_id, id)
);
CREATE INDEX usage_adjustments_pending ON usage_adjustments (tenant_id, subscription_id) WHERE adjusted_invoice_id IS NULL;
