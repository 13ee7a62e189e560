-- Issue 16 point 7: a billing cycle day (1-31, clamped to the month end) chosen per subscription, and a change of it
-- waiting for the end of the paid period. NULL: the boundaries follow the alignment (the 1st, or the anniversary).
ALTER TABLE subscriptions ADD COLUMN billing_cycle_day smallint CHECK (billing_cycle_day BETWEEN 1 AND 31);
ALTER TABLE subscriptions ADD COLUMN pending_billing_cycle_day smallint CHECK (pending_billing_cycle_day BETWEEN 1 AND 31);
-- The default for the customer's new subscriptions on monthly-based intervals.
ALTER TABLE customers ADD COLUMN billing_cycle_day smallint CHECK (billing_cycle_day BETWEEN 1 AND 31);
