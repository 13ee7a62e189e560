-- A group compare-and-reserve of ONE check, as one plain statement per step instead of accrue_authorization_reserve_group's
-- set-based form (V511 with V570's fingerprint). Same meaning, same answer row, for exactly one check — what
-- SharedReserve sends whenever a single check finds no other waiting, i.e. nearly always below ~2,000 checks/s on 2 cores.
--
-- Why: measured on the benchmark's database (bench/run authorize, 300 calls each, alternating, in one rolled-back
-- transaction, loaded machine), the group function answered one check in 1.7–2.0 ms and this one in 0.13–0.20 ms.
-- pg_stat_statements showed where: of the group function's ~1.06 ms per call, its statements ran 0.21 ms; the rest is
-- outside them — planning statements whose inputs are arrays (unnest, a window, array_agg in order) anew at every call
-- (a generic plan, forced, was slower still), and their executor start and end. Scalar parameters plan once per
-- connection and stay planned.
--
-- As in the group function: the customer's subscriptions are locked with SKIP LOCKED (answers busy, writing nothing,
-- when one is locked elsewhere: the caller then takes the single-check path, which waits); used and held are read in a
-- later statement, whose snapshot sees everything committed before the lock was granted; the reservation is written only
-- when the fingerprint, used and held are exactly what the decision assumed; the commit is asynchronous only when the
-- statement is its own transaction.
CREATE FUNCTION accrue_authorization_reserve_one(p_tenant text, p_customer text, p_signature text, p_subscription text, p_metric text,
                                                 p_from date, p_to date, p_now timestamptz, p_seen_used numeric, p_seen_held numeric,
                                                 p_id text, p_reserved numeric, p_expires_at timestamptz, p_created_at timestamptz)
    RETURNS TABLE (signature text, used numeric, held numeric, decided boolean, busy boolean)
    LANGUAGE plpgsql VOLATILE AS
$$
DECLARE
    v_alone    boolean := pg_current_xact_id_if_assigned() IS NULL;
    v_locked   bigint;
    v_versions text;
    v_all      bigint;
    v_sig      text;
    v_used     numeric;
    v_held     numeric;
BEGIN
    IF current_setting('transaction_isolation') <> 'read committed' THEN
        RAISE EXCEPTION 'authorization needs READ COMMITTED, not %', current_setting('transaction_isolation');
    END IF;
    SELECT count(*), string_agg(l.version, '|' ORDER BY l.id) INTO v_locked, v_versions
    FROM (SELECT s.id, s.id || ':' || s.xmin AS version FROM subscriptions s
          WHERE s.tenant_id = p_tenant AND s.customer_id = p_customer
          FOR UPDATE SKIP LOCKED) l;
    SELECT md5(c.time_zone || '#' || coalesce(c.test_clock_id, '') || '#' || c.currency || '#' || c.account_type || '#' || coalesce(v_versions, '')),
           (SELECT count(*) FROM subscriptions s WHERE s.tenant_id = p_tenant AND s.customer_id = p_customer),
           (SELECT coalesce(sum(d.quantity), 0) FROM usage_daily d
            WHERE d.tenant_id = p_tenant AND d.subscription_id = p_subscription AND d.metric = p_metric AND d.day >= p_from AND d.day < p_to),
           (SELECT coalesce(sum(a.reserved), 0) FROM authorizations a
            WHERE a.tenant_id = p_tenant AND a.subscription_id = p_subscription AND a.metric = p_metric
              AND a.status = 'held' AND a.expires_at > p_now)
    INTO v_sig, v_all, v_used, v_held
    FROM customers c WHERE c.tenant_id = p_tenant AND c.id = p_customer;
    IF v_locked < coalesce(v_all, 0) THEN
        RETURN QUERY SELECT NULL::text, NULL::numeric, NULL::numeric, false, true;
    ELSIF v_sig IS DISTINCT FROM p_signature THEN
        RETURN QUERY SELECT v_sig, NULL::numeric, NULL::numeric, false, false;
    ELSIF v_used = p_seen_used AND v_held = p_seen_held THEN
        IF p_reserved > 0 THEN
            IF v_alone THEN -- never relax the commit of a transaction that wrote anything else
                PERFORM set_config('synchronous_commit', 'off', true);
            END IF;
            INSERT INTO authorizations (tenant_id, id, subscription_id, customer_id, metric, reserved, status, expires_at, created_at)
            VALUES (p_tenant, p_id, p_subscription, p_customer, p_metric, p_reserved, 'held', p_expires_at, p_created_at);
        END IF;
        RETURN QUERY SELECT v_sig, v_used, v_held, true, false;
    ELSE
        RETURN QUERY SELECT v_sig, v_used, v_held, false, false;
    END IF;
END
$$;
