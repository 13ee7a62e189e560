-- Coupons redeemed by a customer rather than one subscription (issue 12 point 3): subscription_id is null and the
-- redemption discounts every invoice of the customer within the coupon's duration and plan limits. One redemption
-- of a coupon per customer; archiving a coupon stops new redemptions and keeps the running ones.
ALTER TABLE coupon_redemptions ALTER COLUMN subscription_id DROP NOT NULL;
CREATE UNIQUE INDEX coupon_redemptions_one_per_customer ON coupon_redemptions (tenant_id, customer_id, coupon_id) WHERE subscription_id IS NULL;
CREATE INDEX coupon_redemptions_by_customer ON coupon_redemptions (tenant_id, customer_id) WHERE subscription_id IS NULL;
ALTER TABLE coupons ADD COLUMN archived_at timestamptz;
