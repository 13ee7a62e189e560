-- Service suspended from this day (null = in service). Billing of the contract continues.
ALTER TABLE subscriptions ADD COLUMN suspended_on date;
