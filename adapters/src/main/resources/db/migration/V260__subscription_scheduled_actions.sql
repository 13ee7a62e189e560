-- Dated actions (issue 16 point 9): a plan change, quantity change or cancellation asked for a date, performed by the
-- billing run on that date as the same request sent that day would have been. Status moves once, from 'scheduled' to
-- 'applied', 'revoked' or 'failed' (the request was no longer possible on its date; failure says why).
CREATE TABLE subscription_scheduled_actions (
    tenant_id       text NOT NULL,
    id              text NOT NULL,
    subscription_id text NOT NULL,
    action          text NOT NULL CHECK (action IN ('change_plan', 'change_quantity', 'cancel')),
    effective_on    date NOT NULL,
    plan            text,
    quantity        integer CHECK (quantity >= 1),
    reason          text,
    requested_on    date NOT NULL,
    status          text NOT NULL CHECK (status IN ('scheduled', 'applied', 'revoked', 'failed')),
    failure         text,
    created_at      timestamptz NOT NULL,
    settled_at      timestamptz,
    PRIMARY KEY (tenant_id, id),
    FOREIGN KEY (tenant_id, subscription_id) REFERENCES subscriptions (tenant_id, id),
    CHECK ((action = 'change_plan') = (plan IS NOT NULL)),
    CHECK ((action = 'change_quantity') = (quantity IS NOT NULL))
);
CREATE INDEX subscription_scheduled_actions_by_subscription ON subscription_scheduled_actions (tenant_id, subscription_id, effective_on);
-- one scheduled action of a kind per subscription and date: two would leave the order of their effects to chance
CREATE UNIQUE INDEX subscription_scheduled_actions_one_per_day ON subscription_scheduled_actions (tenant_id, subscription_id, action, effective_on)
    WHERE status = 'scheduled';
