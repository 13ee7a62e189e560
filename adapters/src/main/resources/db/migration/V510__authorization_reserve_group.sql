-- Compare-and-reserve for a whole batch of authorization checks (POST /v1/authorizations/batch) in one
-- statement that is its own transaction: one round trip and one (asynchronous) commit instead of one per
-- check. Element i of the arrays is check i, exactly what accrue_authorization_reserve (V40) takes for one
-- check; the answer has one row per check, in order, with the same meaning plus `busy`.
--
-- A customer's subscriptions are locked once, at its first check, with SKIP LOCKED: a statement that holds
-- several customers' locks must never wait for another (a batch stalled behind one busy customer, or two
-- statements locking in different orders). When any of the customer's rows is locked elsewhere, all its
-- checks answer busy and nothing is written for it; the application then answers them one at a time by the
-- single-check path, which waits for the lock as usual.
--
-- Checks of one customer are decided in their order: the application chains its expectations (check 2
-- expects the reservation check 1 holds), and the first check whose expectation is wrong stops the
-- customer — its later checks answer undecided and write nothing, so a later check is never granted what
-- an earlier one (answered afterwards, one at a time) would have been given. Used and held are read fresh
-- for every check, after the lock and after this statement's own earlier inserts (each statement of a
-- VOLATILE function sees those), so the comparison is the single path's, check by check.
CREATE FUNCTION accrue_authorization_reserve_group(p_tenant text, p_customers text[], p_signatures text[], p_subscriptions text[],
                                                   p_metrics text[], p_from date[], p_to date[], p_now timestamptz[],
                                                   p_seen_used numeric[], p_seen_held numeric[], p_ids text[], p_reserved numeric[],
                                                   p_expires_at timestamptz[], p_created_at timestamptz[])
    RETURNS TABLE (signature text, used numeric, held numeric, decided boolean, busy boolean)
    LANGUAGE plpgsql VOLATILE AS
$$
DECLARE
    v_alone     boolean := pg_current_xact_id_if_assigned() IS NULL;
    v_locked    text[]  := '{}'; -- customers locked (or found busy) so far, and for each:
    v_sigs      text[]  := '{}'; --   its fingerprint (null: no such customer)
    v_busy      boolean[] := '{}'; -- whether a row was locked elsewhere
    v_stopped   text[]  := '{}'; -- customers whose remaining checks are undecided
    v_at        int;
    v_rows      text;
    v_count     int;
    v_total     int;
    v_used      numeric;
    v_held      numeric;
    c           text;
BEGIN
    IF current_setting('transaction_isolation') <> 'read committed' THEN
        RAISE EXCEPTION 'authorization needs READ COMMITTED, not %', current_setting('transaction_isolation');
    END IF;
    FOR i IN 1 .. coalesce(array_length(p_customers, 1), 0) LOOP
        c := p_customers[i];
        v_at := array_position(v_locked, c);
        IF v_at IS NULL THEN
            -- the rows and the fingerprint of accrue_authorization_lock (V41), taken without waiting
            SELECT count(*), string_agg(l.row_text, '|' ORDER BY l.id) INTO v_count, v_rows
            FROM (SELECT s.id, s::text AS row_text FROM subscriptions s
                  WHERE s.tenant_id = p_tenant AND s.customer_id = c
                  ORDER BY s.id DESC FOR UPDATE SKIP LOCKED) l;
            SELECT count(*) INTO v_total FROM subscriptions s WHERE s.tenant_id = p_tenant AND s.customer_id = c;
            v_locked := v_locked || c;
            v_busy := v_busy || (v_count < v_total);
            v_sigs := v_sigs || (SELECT md5(k.time_zone || '#' || coalesce(k.test_clock_id, '') || '#' || k.currency || '#' || k.account_type || '#' ||
                                            coalesce(v_rows, ''))
                                 FROM customers k WHERE k.tenant_id = p_tenant AND k.id = c);
            v_at := array_length(v_locked, 1);
        END IF;
        IF v_busy[v_at] THEN
            RETURN QUERY SELECT NULL::text, NULL::numeric, NULL::numeric, false, true;
            CONTINUE;
        END IF;
        IF v_sigs[v_at] IS DISTINCT FROM p_signatures[i] OR c = ANY (v_stopped) THEN
            v_stopped := v_stopped || c;
            RETURN QUERY SELECT v_sigs[v_at], NULL::numeric, NULL::numeric, false, false;
            CONTINUE;
        END IF;
        SELECT (SELECT coalesce(sum(d.quantity), 0) FROM usage_daily d
                WHERE d.tenant_id = p_tenant AND d.subscription_id = p_subscriptions[i] AND d.metric = p_metrics[i]
                  AND d.day >= p_from[i] AND d.day < p_to[i]),
               (SELECT coalesce(sum(a.reserved), 0) FROM authorizations a
                WHERE a.tenant_id = p_tenant AND a.subscription_id = p_subscriptions[i] AND a.metric = p_metrics[i]
                  AND a.status = 'held' AND a.expires_at > p_now[i])
        INTO v_used, v_held;
        IF v_used = p_seen_used[i] AND v_held = p_seen_held[i] THEN
            IF p_reserved[i] > 0 THEN
                IF v_alone THEN -- never relax the commit of a transaction that wrote anything else
                    PERFORM set_config('synchronous_commit', 'off', true);
                END IF;
                INSERT INTO authorizations (tenant_id, id, subscription_id, customer_id, metric, reserved, status, expires_at, created_at)
                VALUES (p_tenant, p_ids[i], p_subscriptions[i], c, p_metrics[i], p_reserved[i], 'held', p_expires_at[i], p_created_at[i]);
            END IF;
            RETURN QUERY SELECT v_sigs[v_at], v_used, v_held, true, false;
        ELSE
            v_stopped := v_stopped || c;
            RETURN QUERY SELECT v_sigs[v_at], v_used, v_held, false, false;
        END IF;
    END LOOP;
END
$$;
