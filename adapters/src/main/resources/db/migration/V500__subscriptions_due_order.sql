-- Issue 18: a billing run claims its batches with ORDER BY least(next_bill_date, next_usage_date), id LIMIT n FOR UPDATE
-- SKIP LOCKED. With only subscriptions_due (next_bill_date) to go on, PostgreSQL joined every subscription to its
-- customer, tested each against the due rules and sorted them all to keep 500 — per batch, so a run of 100,000 read the
-- table about 200 times. The claim now reads the dated part of the due rules (an active subscription whose next bill or
-- usage date has come) as a range of this index, in the claim's own order, and stops at the batch's size.
DROP INDEX subscriptions_due;
CREATE INDEX subscriptions_due_order ON subscriptions ((least(next_bill_date, coalesce(next_usage_date, next_bill_date))), id)
    WHERE ended_on IS NULL;
-- The rest of the rules is found from the rows that make a subscription due (a due add-on, phone number, dated action,
-- pause, billed usage to re-check) — and, here, an ended subscription whose final usage document is still owed.
CREATE INDEX subscriptions_ended_open ON subscriptions (tenant_id, id) WHERE ended_on IS NOT NULL AND NOT usage_closed;
