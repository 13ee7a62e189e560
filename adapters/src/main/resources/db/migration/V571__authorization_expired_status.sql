-- A hold never committed or released used to stay 'held' forever: every check already left it out of its held sum
-- (expires_at > now), but it stayed in the partial index of held rows (V530), which grew with every abandoned call.
-- AuthorizationService.expireDue — a recurring job, the one place holds expire — now marks such holds 'expired'
-- (a minute after their expiry by the customer's clock), which takes them out of that index. An expired hold can still
-- be committed (the call's usage is billed) or released, as before.
ALTER TABLE authorizations DROP CONSTRAINT authorizations_status_check;
ALTER TABLE authorizations ADD CONSTRAINT authorizations_status_check CHECK (status IN ('held', 'committed', 'released', 'expired'));
