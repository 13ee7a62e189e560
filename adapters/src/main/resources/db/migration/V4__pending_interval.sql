-- An interval change waits for the end of the paid period; the new schedule starts there.
ALTER TABLE subscriptions ADD COLUMN pending_interval text;
