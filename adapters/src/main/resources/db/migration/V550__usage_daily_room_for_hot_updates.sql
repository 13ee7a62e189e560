-- Ingestion folds every batch into usage_daily with one upsert per (subscription, metric, day, dimension), so today's
-- rows are rewritten hundreds of times a day. With PostgreSQL's default fill factor (100) their pages are full, the new
-- row version lands on another page, and every update is a non-HOT update: a new index entry, a dead tuple the next
-- upsert must step over, and a heap that grew to ~30 MB for 1,000 live rows in the ingestion benchmark (22 % HOT, ~15
-- buffers per upserted row). Leaving half of each new page free keeps a row's versions on its page: updates are HOT,
-- pruned in place, and the index is not touched. Applies to pages written from now on (today's rows are new rows),
-- so no rewrite here. usage_values is folded the same way.
ALTER TABLE usage_daily SET (fillfactor = 50);
ALTER TABLE usage_values SET (fillfactor = 50);
