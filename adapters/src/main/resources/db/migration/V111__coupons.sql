-- Coupons (issue 12 point 3): defined per tenant by code, redeemed by subscriptions, applied as discount lines by
-- invoice issuance. redemptions counts the subscriptions that redeemed it; one conditional update keeps it within
-- max_redemptions. A redemption counts the invoices it discounted (applied), which ends a once / repeating coupon.
CREATE TABLE coupons (
    tenant_id         text NOT NULL REFERENCES tenants (id),
    id                text NOT NULL,
    code              text NOT NULL,
    name              text NOT NULL,
    percent_off       numeric(7, 4) CHECK (percent_off > 0 AND percent_off <= 100),
    amount_off        numeric(20, 6) CHECK (amount_off > 0),
    currency          char(3),
    duration          text NOT NULL CHECK (duration IN ('once', 'repeating', 'forever')),
    duration_periods  integer CHECK (duration_periods >= 1),
    plans             text[] NOT NULL,
    charges           text[] NOT NULL,
    expires_on        date,
    max_redemptions   integer CHECK (max_redemptions >= 1),
    redemptions       integer NOT NULL DEFAULT 0,
    created_at        timestamptz NOT NULL,
    PRIMARY KEY (tenant_id, id),
    UNIQUE (tenant_id, code),
    CHECK ((percent_off IS NULL) <> (amount_off IS NULL)),
    CHECK (max_redemptions IS NULL OR redemptions <= max_redemptions)
);

CREATE TABLE coupon_redemptions (
    tenant_id        text NOT NULL,
    id               text NOT NULL,
    coupon_id        text NOT NULL,
    customer_id      text NOT NULL,
    subscription_id  text NOT NULL,
    applied          integer NOT NULL DEFAULT 0,
    created_at       timestamptz NOT NULL,
    PRIMARY KEY (tenant_id, id),
    UNIQUE (tenant_id, subscription_id, coupon_id),
    FOREIGN KEY (tenant_id, coupon_id) REFERENCES coupons (tenant_id, id),
    FOREIGN KEY (tenant_id, customer_id) REFERENCES customers (tenant_id, id),
    FOREIGN KEY (tenant_id, subscription_id) REFERENCES subscriptions (tenant_id, id)
);
