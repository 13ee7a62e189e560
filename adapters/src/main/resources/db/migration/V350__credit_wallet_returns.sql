-- Voiding an invoice gives back the credit-wallet credits it consumed (issue 16 point 14): a 'returned' entry names the
-- lot the credits came from (so they keep that lot's expiry and kind) and carries them back (credits > 0). Checks are
-- rebuilt under names of their own: a lot has no lot_id; returns and lots add credits, consumptions and expiries take them.
DO $$
DECLARE c record;
BEGIN
    FOR c IN SELECT conname FROM pg_constraint WHERE conrelid = 'credit_wallet_entries'::regclass AND contype = 'c' LOOP
        EXECUTE format('ALTER TABLE credit_wallet_entries DROP CONSTRAINT %I', c.conname);
    END LOOP;
END $$;
ALTER TABLE credit_wallet_entries
    ADD CONSTRAINT credit_wallet_entries_kind CHECK (kind IN ('granted', 'purchased', 'consumed', 'expired', 'returned')),
    ADD CONSTRAINT credit_wallet_entries_credits_not_zero CHECK (credits <> 0),
    ADD CONSTRAINT credit_wallet_entries_lot CHECK ((kind IN ('granted', 'purchased')) = (lot_id IS NULL)),
    ADD CONSTRAINT credit_wallet_entries_sign CHECK ((kind IN ('granted', 'purchased', 'returned')) = (credits > 0));
