-- Real-time authorization's locked read in one round trip (see AuthorizationService and docs/metering.md).
--
-- 1. Locks every subscription of the customer (the rows, and the order, of the locking read it replaces)
--    and returns a fingerprint of them and of the customer's clock and currency: the application caches
--    what it derives from those rows (the running subscription, its priced terms) and trusts the cache
--    only while the fingerprint it was built from is still the current one. Any change to any column of
--    any of the customer's subscriptions (a new one, a plan change, a suspension) changes the fingerprint.
-- 2. Then reads "used" (the same usage_daily aggregates invoices read; skipped when p_from is null, for
--    metrics that are not additive) and the live reservations.
--
-- Step 2 is a separate statement of a VOLATILE function, and under READ COMMITTED each statement of a
-- VOLATILE function takes a fresh snapshot: it therefore sees every reservation and usage committed by
-- the transaction that held the lock before us. (A single statement — a CTE that both locks and sums —
-- would not: its snapshot predates the wait for the lock.) The function refuses any other isolation level,
-- whose snapshot is the transaction's and would not have that property.
CREATE FUNCTION accrue_authorization_balance(p_tenant text, p_customer text, p_subscription text, p_metric text,
                                             p_from date, p_to date, p_now timestamptz)
    RETURNS TABLE (signature text, used numeric, held numeric)
    LANGUAGE plpgsql VOLATILE AS
$$
DECLARE
    v_signature text;
BEGIN
    IF current_setting('transaction_isolation') <> 'read committed' THEN
        RAISE EXCEPTION 'accrue_authorization_balance needs READ COMMITTED, not %', current_setting('transaction_isolation');
    END IF;
    SELECT md5(c.time_zone || '#' || coalesce(c.test_clock_id, '') || '#' || c.currency || '#' ||
               coalesce((SELECT string_agg(l.row_text, '|' ORDER BY l.id)
                         FROM (SELECT s.id, s::text AS row_text FROM subscriptions s
                               WHERE s.tenant_id = p_tenant AND s.customer_id = p_customer
                               ORDER BY s.id DESC FOR UPDATE) l), ''))
    INTO v_signature
    FROM customers c
    WHERE c.tenant_id = p_tenant AND c.id = p_customer;

    IF p_subscription IS NULL THEN
        RETURN QUERY SELECT v_signature, NULL::numeric, NULL::numeric;
        RETURN;
    END IF;
    RETURN QUERY
        SELECT v_signature,
               CASE WHEN p_from IS NULL THEN NULL::numeric ELSE
                   (SELECT coalesce(sum(d.quantity), 0) FROM usage_daily d
                    WHERE d.tenant_id = p_tenant AND d.subscription_id = p_subscription AND d.metric = p_metric
                      AND d.day >= p_from AND d.day < p_to) END,
               (SELECT coalesce(sum(a.reserved), 0) FROM authorizations a
                WHERE a.tenant_id = p_tenant AND a.subscription_id = p_subscription AND a.metric = p_metric
                  AND a.status = 'held' AND a.expires_at > p_now);
END
$$;
