-- The cancel page may offer a pause (issue 15): the customer picks the resume date, so the row carries only its message.
ALTER TABLE cancel_alternatives
    DROP CONSTRAINT cancel_alternatives_kind_check,
    DROP CONSTRAINT cancel_alternatives_check,
    ADD CONSTRAINT cancel_alternatives_kind_check CHECK (kind IN ('downgrade', 'contact', 'pause')),
    ADD CONSTRAINT cancel_alternatives_check CHECK ((kind = 'downgrade' AND plan IS NOT NULL)
        OR (kind = 'contact' AND url IS NOT NULL AND label IS NOT NULL)
        OR (kind = 'pause' AND plan IS NULL AND url IS NULL AND label IS NULL));
