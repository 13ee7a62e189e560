-- Real-time authorization in as few round trips as possible (see AuthorizationService and docs/metering.md).
--
-- accrue_authorization_lock locks every subscription of the customer (the rows, and the order, of the
-- locking read it replaces) and returns a fingerprint of them and of the customer's clock and currency
-- (null when there is no such customer). The application caches what it derives from those rows (the
-- running subscription, its priced terms) and trusts the cache only while the fingerprint it was built
-- from is still the current one: any change to any column of any of the customer's subscriptions (a new
-- one, a plan change, a suspension) changes it.
--
-- The two functions below lock first and read "used" (the same usage_daily aggregates invoices read) and
-- the live reservations in a LATER statement. Under READ COMMITTED each statement of a VOLATILE function
-- takes a fresh snapshot, so that read sees every reservation and usage committed by the transaction that
-- held the lock before us. (A single statement — a CTE that both locks and sums — would not: its snapshot
-- predates the wait for the lock.) They refuse any other isolation level, whose snapshot is the
-- transaction's and would not have that property.
CREATE FUNCTION accrue_authorization_lock(p_tenant text, p_customer text) RETURNS text
    LANGUAGE plpgsql VOLATILE AS
$$
DECLARE
    v_signature text;
BEGIN
    IF current_setting('transaction_isolation') <> 'read committed' THEN
        RAISE EXCEPTION 'authorization needs READ COMMITTED, not %', current_setting('transaction_isolation');
    END IF;
    SELECT md5(c.time_zone || '#' || coalesce(c.test_clock_id, '') || '#' || c.currency || '#' ||
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

-- Locks (above) and, when a subscription is named, reads its usage of the metric over [p_from, p_to)
-- (null when p_from is null: metrics that are not additive are folded by the application) and its live
-- reservations. For the application's locked path, inside a transaction that keeps the locks.
CREATE FUNCTION accrue_authorization_balance(p_tenant text, p_customer text, p_subscription text, p_metric text,
                                             p_from date, p_to date, p_now timestamptz)
    RETURNS TABLE (signature text, used numeric, held numeric)
    LANGUAGE plpgsql VOLATILE AS
$$
DECLARE
    v_signature text := accrue_authorization_lock(p_tenant, p_customer);
BEGIN
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

-- Compare-and-reserve, for the application's one-round-trip path (run as its own transaction): the
-- application decided how much to grant (p_reserved, 0 for a refusal) from a balance it believed to be
-- (p_seen_used, p_seen_held), with terms derived from rows whose fingerprint was p_signature. Under the
-- lock, if the fingerprint and both figures are still exactly those, the decision stands: the reservation
-- (if any) is inserted and `decided` is true. Otherwise nothing is written and the current figures are
-- returned, for the application to decide again. The decision itself — available = included + overage
-- allowed − used − held — stays in the application.
--
-- The insert commits with synchronous_commit off (transaction-local; only when nothing was written
-- before in the transaction): a database crash within ~3 × wal_writer_delay of the answer may lose the reservation, which is
-- then as if it had expired early. WAL is flushed in order, so nothing committed synchronously later
-- (the call's usage) can be lost while an earlier reservation survives.
CREATE FUNCTION accrue_authorization_reserve(p_tenant text, p_customer text, p_signature text, p_subscription text, p_metric text,
                                             p_from date, p_to date, p_now timestamptz, p_seen_used numeric, p_seen_held numeric,
                                             p_id text, p_reserved numeric, p_expires_at timestamptz, p_created_at timestamptz)
    RETURNS TABLE (signature text, used numeric, held numeric, decided boolean)
    LANGUAGE plpgsql VOLATILE AS
$$
DECLARE
    -- true when this statement is its own transaction, as it must be (nothing was written before it)
    v_alone     boolean := pg_current_xact_id_if_assigned() IS NULL;
    v_signature text    := accrue_authorization_lock(p_tenant, p_customer);
    v_used      numeric;
    v_held      numeric;
BEGIN
    IF v_signature IS DISTINCT FROM p_signature THEN
        RETURN QUERY SELECT v_signature, NULL::numeric, NULL::numeric, false;
        RETURN;
    END IF;
    SELECT (SELECT coalesce(sum(d.quantity), 0) FROM usage_daily d
            WHERE d.tenant_id = p_tenant AND d.subscription_id = p_subscription AND d.metric = p_metric
              AND d.day >= p_from AND d.day < p_to),
           (SELECT coalesce(sum(a.reserved), 0) FROM authorizations a
            WHERE a.tenant_id = p_tenant AND a.subscription_id = p_subscription AND a.metric = p_metric
              AND a.status = 'held' AND a.expires_at > p_now)
    INTO v_used, v_held;
    IF v_used = p_seen_used AND v_held = p_seen_held THEN
        IF p_reserved > 0 THEN
            IF v_alone THEN -- never relax the commit of a transaction that wrote anything else
                PERFORM set_config('synchronous_commit', 'off', true);
            END IF;
            INSERT INTO authorizations (tenant_id, id, subscription_id, customer_id, metric, reserved, status, expires_at, created_at)
            VALUES (p_tenant, p_id, p_subscription, p_customer, p_metric, p_reserved, 'held', p_expires_at, p_created_at);
        END IF;
        RETURN QUERY SELECT v_signature, v_used, v_held, true;
        RETURN;
    END IF;
    RETURN QUERY SELECT v_signature, v_used, v_held, false;
END
$$;
