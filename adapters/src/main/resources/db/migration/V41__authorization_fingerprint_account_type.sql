-- The fingerprint also covers the customer's account type: a customer turned prepaid (or back) must not be
-- answered from terms cached for the other kind (prepaid balances follow the wallet, on the locked path).
CREATE OR REPLACE FUNCTION accrue_authorization_lock(p_tenant text, p_customer text) RETURNS text
    LANGUAGE plpgsql VOLATILE AS
$$
DECLARE
    v_signature text;
BEGIN
    IF current_setting('transaction_isolation') <> 'read committed' THEN
        RAISE EXCEPTION 'authorization needs READ COMMITTED, not %', current_setting('transaction_isolation');
    END IF;
    SELECT md5(c.time_zone || '#' || coalesce(c.test_clock_id, '') || '#' || c.currency || '#' || c.account_type || '#' ||
               coalesce((SELECT string_agg(l.row_text, '|' ORDER BY l.id)
                         FROM (SELECT s.id, s::text AS row_text FROM subscriptions s
                               WHERE s.tenant_id = p_tenant AND s.customer_id = p_customer
                               ORDER BY s.id DESC FOR UPDATE) l), ''))
    INTO v_signature
    FROM customers c
    WHERE c.tenant_id = p_tenant AND c.id = p_customer;
    RETURN v_signature;
END
$$;
