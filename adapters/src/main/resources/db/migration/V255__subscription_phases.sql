-- Plan phases (issue 16 point 6): when a subscription's introductory price and fixed term end, fixed when it starts on a
-- plan with phases. They apply while the subscription stays on that plan and catalog version: a plan change ends them.
CREATE TABLE subscription_phases (
    tenant_id           text NOT NULL,
    subscription_id     text NOT NULL,
    plan_code           text NOT NULL,
    catalog_version     integer NOT NULL,
    introduction_ends   date,
    term_ends           date,
    PRIMARY KEY (tenant_id, subscription_id),
    FOREIGN KEY (tenant_id, subscription_id) REFERENCES subscriptions (tenant_id, id)
);
