-- Pause and resume (issue 16 point 10): while paused (paused_on inclusive to resumed_on exclusive) the subscription's
-- periods bill no recurring or counted fees; the unused part of the paid period was credited when it paused (credit_id is
-- the pause's id as the credit's source). resume_on is an automatic resume the billing run performs on that day.
CREATE TABLE subscription_pauses (
    tenant_id       text NOT NULL,
    id              text NOT NULL,
    subscription_id text NOT NULL,
    paused_on       date NOT NULL,
    resume_on       date CHECK (resume_on > paused_on),
    resumed_on      date CHECK (resumed_on >= paused_on),
    created_at      timestamptz NOT NULL,
    PRIMARY KEY (tenant_id, id),
    FOREIGN KEY (tenant_id, subscription_id) REFERENCES subscriptions (tenant_id, id)
);
CREATE INDEX subscription_pauses_by_subscription ON subscription_pauses (tenant_id, subscription_id, paused_on);
-- at most one open pause per subscription
CREATE UNIQUE INDEX subscription_pauses_one_open ON subscription_pauses (tenant_id, subscription_id) WHERE resumed_on IS NULL;
