-- How far usage billed on its own cadence (weekly SMS, cut at month starts) has been invoiced, and the day
-- the next such period closes (what makes the scheduler pick the subscription up between monthly dates).
ALTER TABLE subscriptions ADD COLUMN usage_invoiced_through date;
ALTER TABLE subscriptions ADD COLUMN next_usage_date date;
CREATE INDEX subscriptions_usage_due ON subscriptions (next_usage_date) WHERE next_usage_date IS NOT NULL AND ended_on IS NULL;
