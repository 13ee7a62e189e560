-- Which document each coupon redemption discounted, by billing key (unique per tenant, and kept by a regenerated draft):
-- a redemption counts a document once however often it is priced, and a draft priced again (POST /v1/invoices/{id}/regenerate)
-- withdraws its discounts — their count on coupon_redemptions.applied — before coupons apply afresh.
-- Ids only (no customer data): the redemption and its subscription own what erasure removes.
CREATE TABLE coupon_applications (
    tenant_id     text NOT NULL,
    billing_key   text NOT NULL,
    redemption_id text NOT NULL,
    PRIMARY KEY (tenant_id, billing_key, redemption_id)
);
