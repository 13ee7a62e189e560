-- The compare-and-reserve functions run fewer statements per check (issue 18 point 3). Same meaning, same answers.
--
-- Each statement a PL/pgSQL function runs pays its executor's start and end: building the plan's expression states,
-- locking and checking its relations, its memory contexts. `perf record` of the benchmark's PostgreSQL backends at
-- 2,000 checks/s (bench/run authorize 40000 64 2000, 2026-12-03) put those at the top of the profile
-- (ExecInitExprRec, ExprEvalPushStep, AllocSet*, SearchCatCache, AcquireExecutorLocks, ScanQueryForLocks), above any
-- index or heap work, and pg_stat_statements showed a lone check running eight statements inside its function.
--
-- accrue_authorization_reserve_one: the live reservations (accrue_authorization_held, V620) are read in the statement
-- that reads the fingerprint and usage, not by a nested function call running its own statement; the answer row is
-- returned from the function's own columns (RETURN NEXT) instead of by a last SELECT. Two statements and one function
-- call fewer per check.
-- accrue_authorization_reserve_group: the live reservations likewise inlined, so a group no longer calls a function,
-- with its own statement, for each of its balance keys.
-- accrue_authorization_held stays, for the locked path and the balance (V620), which run it once per request.

CREATE OR REPLACE FUNCTION accrue_authorization_reserve_group(p_tenant text, p_customers text[], p_signatures text[], p_subscriptions text[],
                                                   p_metrics text[], p_from date[], p_to date[], p_now timestamptz[],
                                                   p_seen_used numeric[], p_seen_held numeric[], p_ids text[], p_reserved numeric[],
                                                   p_expires_at timestamptz[], p_created_at timestamptz[])
    RETURNS TABLE (signature text, used numeric, held numeric, decided boolean, busy boolean)
    LANGUAGE plpgsql VOLATILE
    SET plan_cache_mode = force_generic_plan -- V621: replacing the function would drop it otherwise
    AS
$$
DECLARE
    v_alone     boolean := pg_current_xact_id_if_assigned() IS NULL;
    n           int     := coalesce(array_length(p_customers, 1), 0);
    v_customers text[];    -- each customer once, and for each:
    v_sigs      text[];    --   its fingerprint (null: no such customer)
    v_busy      boolean[]; --   whether one of its rows was locked elsewhere
    v_stopped   text[]  := '{}';
    v_first_used numeric[]; -- per check: its balance key's figures when it is the key's first check, else null
    v_first_held numeric[];
    v_keys      text[]  := '{}'; -- balance keys met so far, and for each the running figures
    v_used      numeric[] := '{}';
    v_held      numeric[] := '{}';
    o_sig       text[]  := '{}';
    o_used      numeric[] := '{}';
    o_held      numeric[] := '{}';
    o_decided   boolean[] := '{}';
    o_busy      boolean[] := '{}';
    v_insert    int[]   := '{}'; -- the checks whose reservation is written
    v_at        int;
    v_key       text;
    k           int;
BEGIN
    IF current_setting('transaction_isolation') <> 'read committed' THEN
        RAISE EXCEPTION 'authorization needs READ COMMITTED, not %', current_setting('transaction_isolation');
    END IF;
    SELECT array_agg(u.customer),
           array_agg(md5(c.time_zone || '#' || coalesce(c.test_clock_id, '') || '#' || c.currency || '#' || c.account_type || '#' ||
                         coalesce(l.versions, ''))),
           array_agg(coalesce(l.locked, 0) < (SELECT count(*) FROM subscriptions s WHERE s.tenant_id = p_tenant AND s.customer_id = u.customer))
    INTO v_customers, v_sigs, v_busy
    FROM (SELECT DISTINCT x AS customer FROM unnest(p_customers) x) u
    LEFT JOIN (SELECT r.customer_id, count(*) AS locked, string_agg(r.version, '|' ORDER BY r.id) AS versions
               FROM (SELECT s.customer_id, s.id, s.id || ':' || s.xmin AS version FROM subscriptions s
                     WHERE s.tenant_id = p_tenant AND s.customer_id = ANY (p_customers)
                     FOR UPDATE SKIP LOCKED) r
               GROUP BY r.customer_id) l ON l.customer_id = u.customer
    LEFT JOIN customers c ON c.tenant_id = p_tenant AND c.id = u.customer;

    SELECT array_agg(f.used ORDER BY f.i), array_agg(f.held ORDER BY f.i) INTO v_first_used, v_first_held
    FROM (SELECT t.i,
                 CASE WHEN t.first THEN (SELECT coalesce(sum(d.quantity), 0) FROM usage_daily d
                                         WHERE d.tenant_id = p_tenant AND d.subscription_id = t.sub AND d.metric = t.metric
                                           AND d.day >= t.day_from AND d.day < t.day_to) END AS used,
                 CASE WHEN t.first THEN coalesce((SELECT h.held FROM authorization_held h
                                                   WHERE h.tenant_id = p_tenant AND h.subscription_id = t.sub AND h.metric = t.metric), 0)
                                       - (SELECT coalesce(sum(a.reserved), 0) FROM authorizations a
                                          WHERE a.tenant_id = p_tenant AND a.subscription_id = t.sub AND a.metric = t.metric
                                            AND a.status = 'held' AND a.expires_at <= t.at) END AS held
          FROM (SELECT q.*, row_number() OVER (PARTITION BY q.sub, q.metric, q.day_from, q.day_to, q.at ORDER BY q.i) = 1 AS first
                FROM unnest(p_subscriptions, p_metrics, p_from, p_to, p_now) WITH ORDINALITY AS q(sub, metric, day_from, day_to, at, i)) t) f;

    FOR i IN 1 .. n LOOP
        v_at := array_position(v_customers, p_customers[i]);
        IF v_busy[v_at] THEN
            o_sig[i] := NULL; o_used[i] := NULL; o_held[i] := NULL; o_decided[i] := false; o_busy[i] := true;
            CONTINUE;
        END IF;
        o_sig[i] := v_sigs[v_at];
        o_busy[i] := false;
        o_decided[i] := false;
        IF v_sigs[v_at] IS DISTINCT FROM p_signatures[i] OR p_customers[i] = ANY (v_stopped) THEN
            v_stopped := v_stopped || p_customers[i];
            o_used[i] := NULL; o_held[i] := NULL;
            CONTINUE;
        END IF;
        v_key := p_subscriptions[i] || '|' || p_metrics[i] || '|' || p_from[i] || '|' || p_to[i] || '|' || p_now[i];
        k := array_position(v_keys, v_key);
        IF k IS NULL THEN
            v_keys := v_keys || v_key;
            k := array_length(v_keys, 1);
            v_used[k] := v_first_used[i];
            v_held[k] := v_first_held[i];
        END IF;
        o_used[i] := v_used[k];
        o_held[i] := v_held[k];
        IF v_used[k] = p_seen_used[i] AND v_held[k] = p_seen_held[i] THEN
            o_decided[i] := true;
            IF p_reserved[i] > 0 THEN
                v_insert := v_insert || i;
                v_held[k] := v_held[k] + p_reserved[i]::numeric(30, 9);
            END IF;
        ELSE
            v_stopped := v_stopped || p_customers[i];
        END IF;
    END LOOP;

    IF array_length(v_insert, 1) > 0 THEN
        IF v_alone THEN -- never relax the commit of a transaction that wrote anything else
            PERFORM set_config('synchronous_commit', 'off', true);
        END IF;
        INSERT INTO authorizations (tenant_id, id, subscription_id, customer_id, metric, reserved, status, expires_at, created_at)
        SELECT p_tenant, p_ids[j], p_subscriptions[j], p_customers[j], p_metrics[j], p_reserved[j], 'held', p_expires_at[j], p_created_at[j]
        FROM unnest(v_insert) j;
    END IF;
    RETURN QUERY SELECT o.sig, o.used, o.held, o.decided, o.busy
                 FROM unnest(o_sig, o_used, o_held, o_decided, o_busy) WITH ORDINALITY AS o(sig, used, held, decided, busy, i)
                 ORDER BY o.i;
END
$$;

CREATE OR REPLACE FUNCTION accrue_authorization_reserve_one(p_tenant text, p_customer text, p_signature text, p_subscription text, p_metric text,
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
BEGIN
    IF current_setting('transaction_isolation') <> 'read committed' THEN
        RAISE EXCEPTION 'authorization needs READ COMMITTED, not %', current_setting('transaction_isolation');
    END IF;
    SELECT count(*), string_agg(l.version, '|' ORDER BY l.id) INTO v_locked, v_versions
    FROM (SELECT s.id, s.id || ':' || s.xmin AS version FROM subscriptions s
          WHERE s.tenant_id = p_tenant AND s.customer_id = p_customer
          FOR UPDATE SKIP LOCKED) l;
    -- the answer row's own columns are the variables read into: nothing left to select when it is returned
    SELECT md5(c.time_zone || '#' || coalesce(c.test_clock_id, '') || '#' || c.currency || '#' || c.account_type || '#' || coalesce(v_versions, '')),
           (SELECT count(*) FROM subscriptions s WHERE s.tenant_id = p_tenant AND s.customer_id = p_customer),
           (SELECT coalesce(sum(d.quantity), 0) FROM usage_daily d
            WHERE d.tenant_id = p_tenant AND d.subscription_id = p_subscription AND d.metric = p_metric AND d.day >= p_from AND d.day < p_to),
           -- accrue_authorization_held (V620), inlined
           coalesce((SELECT h.held FROM authorization_held h
                     WHERE h.tenant_id = p_tenant AND h.subscription_id = p_subscription AND h.metric = p_metric), 0)
           - (SELECT coalesce(sum(a.reserved), 0) FROM authorizations a
              WHERE a.tenant_id = p_tenant AND a.subscription_id = p_subscription AND a.metric = p_metric
                AND a.status = 'held' AND a.expires_at <= p_now)
    INTO signature, v_all, used, held
    FROM customers c WHERE c.tenant_id = p_tenant AND c.id = p_customer;
    decided := false;
    busy := false;
    IF v_locked < coalesce(v_all, 0) THEN
        signature := NULL; used := NULL; held := NULL; busy := true;
    ELSIF signature IS DISTINCT FROM p_signature THEN
        used := NULL; held := NULL;
    ELSIF used = p_seen_used AND held = p_seen_held THEN
        IF p_reserved > 0 THEN
            IF v_alone THEN -- never relax the commit of a transaction that wrote anything else
                PERFORM set_config('synchronous_commit', 'off', true);
            END IF;
            INSERT INTO authorizations (tenant_id, id, subscription_id, customer_id, metric, reserved, status, expires_at, created_at)
            VALUES (p_tenant, p_id, p_subscription, p_customer, p_metric, p_reserved, 'held', p_expires_at, p_created_at);
        END IF;
        decided := true;
    END IF;
    RETURN NEXT;
END
$$;
