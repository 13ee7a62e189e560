-- How far a subscription may start in the past or the future (issue 11: a start in 1900 issued 1,524 invoices),
-- and the per-API-key request rate of the tenant (NULL: the node's default, ACCRUE_RATE_LIMIT_KEY).
ALTER TABLE tenants
    ADD COLUMN subscription_backdate_days integer NOT NULL DEFAULT 366 CHECK (subscription_backdate_days BETWEEN 0 AND 3660),
    ADD COLUMN subscription_future_days   integer NOT NULL DEFAULT 366 CHECK (subscription_future_days BETWEEN 0 AND 3660),
    ADD COLUMN api_requests_per_second    integer CHECK (api_requests_per_second BETWEEN 1 AND 1000000);
