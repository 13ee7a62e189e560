-- What a budget's period is (issue 14 point 6, "monthly budgets"): the billing period of the customer's running
-- subscriptions (what budgets followed before, the default) or the calendar month in the customer's time zone.
ALTER TABLE budgets ADD COLUMN period text NOT NULL DEFAULT 'billing_period' CHECK (period IN ('billing_period', 'calendar_month'));
