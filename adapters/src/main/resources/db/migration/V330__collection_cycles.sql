-- Collecting an invoice again after it was paid (a lost dispute took the money back: docs/payments.md#disputes).
-- cycle: 0 for the collection that followed finalization, n for the n-th time the invoice is collected again. It is part
-- of every attempt's idempotency key (invoice:round:method, then invoice:cN:round:method), so a new cycle's first try
-- on the default method is a new charge and not the paid attempt of cycle 0 sent again; rounds (and so the dunning
-- schedule) start over in each cycle.
ALTER TABLE collections ADD COLUMN cycle integer NOT NULL DEFAULT 0;
