-- When usage was last folded into each daily aggregate row (issue 14). A node keeps the usage it has yet to evaluate
-- for alerts in memory, for under a second; one that stops in between would lose those alerts. On start, a node
-- evaluates every (subscription, metric) whose aggregates took usage shortly before (UsageAlertEvaluator.sweep), found
-- by this column; fired_alerts' unique key keeps what already fired from firing twice. Null on rows written before
-- and on rows rebuilt by corrections (recomputeDay). Not indexed: an index would cost every ingestion upsert (the column
-- changes on each one), and the sweep runs once per start.
ALTER TABLE usage_daily ADD COLUMN received_at timestamptz;
