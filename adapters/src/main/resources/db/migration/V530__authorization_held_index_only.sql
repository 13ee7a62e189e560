-- Every authorization check sums the live reservations of its subscription and metric (accrue_authorization_reserve,
-- _balance and _reserve_group: status = 'held' AND expires_at > now). With the V9 index that meant one heap page
-- per held row — ~40 page visits per check at the benchmark's 20–40 held rows per subscription, growing with every
-- reservation never committed or released (an expired hold stays 'held' and was still visited, then filtered).
-- This index answers the sum from the index alone: expires_at in the key, so expired holds are skipped by the
-- index condition, and reserved carried in the leaf (an index-only scan; heap pages are visited only for rows
-- not yet all-visible, i.e. inserted since the last vacuum). Same prefix as the index it replaces, so every other
-- lookup by (tenant, subscription, metric) of held rows still uses it.
CREATE INDEX authorizations_held_live ON authorizations (tenant_id, subscription_id, metric, expires_at) INCLUDE (reserved)
    WHERE status = 'held';
DROP INDEX authorizations_held;
