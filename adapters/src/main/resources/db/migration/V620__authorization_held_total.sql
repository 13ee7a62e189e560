-- Live reservations as a running total per subscription and metric, so that a check's cost no longer grows with the
-- customer's concurrent calls (issue 18 point 3).
--
-- Every check compares the live reservations of its subscription and metric with what the application last saw. They
-- were summed from authorizations_held_live (V530): one index entry, and a heap page for each entry not yet marked
-- all-visible, per hold. Holds live as long as their calls, so a customer with 180 calls under way (2,000 call starts a
-- second over 2,000 customers, three minutes each) cost every check of that customer 180 entries; measured on the
-- benchmark's database with 177 holds, about 1 ms per sum on a loaded machine against ~10 µs for a lookup by key, and
-- the sum was 63 % of the group statement's execution (pg_stat_statements, bench/run authorize in batches of 20).
--
-- authorization_held keeps, per (tenant, subscription, metric), the sum of `reserved` over the rows whose status is
-- 'held'. Triggers on authorizations own it — one place for every writer (the reserve functions, the application's
-- locked path, commit, release, the expiry job, customer erasure, and anything typed by hand): per statement, from its
-- transition tables, with one ordered upsert, so a group of checks moves each total once and two writers always lock
-- totals in the same order. The live figure is that total minus the holds still 'held' but past their expiry by the
-- check's clock (accrue_authorization_held below): those are the index's entries with expires_at <= now, normally none,
-- since the expiry job marks them 'expired' (which takes them out of the total) a minute after they expire.
--
-- Same answers as the sum, under the same locks: a reservation's total moves in the transaction that inserts it, under
-- the subscription's row lock; commit, release and expiry move it in their own transactions, as they moved the rows the
-- sum read. A reader under READ COMMITTED sees the total of every transaction committed before its statement began.
CREATE TABLE authorization_held (
    tenant_id       text NOT NULL,
    subscription_id text NOT NULL,
    metric          text NOT NULL,
    held            numeric(30, 9) NOT NULL,
    PRIMARY KEY (tenant_id, subscription_id, metric)
) WITH (fillfactor = 50); -- room on the page for the updated version: every reservation and settlement updates its row (HOT)

CREATE FUNCTION accrue_authorization_held_moved() RETURNS trigger
    LANGUAGE plpgsql AS
$$
BEGIN
    -- new_rows and old_rows are the statement's transition tables; only the branch of this operation is planned and run
    IF TG_OP = 'INSERT' THEN
        INSERT INTO authorization_held AS t (tenant_id, subscription_id, metric, held)
        SELECT n.tenant_id, n.subscription_id, n.metric, sum(n.reserved) FROM new_rows n WHERE n.status = 'held'
        GROUP BY n.tenant_id, n.subscription_id, n.metric
        ORDER BY n.tenant_id, n.subscription_id, n.metric
        ON CONFLICT (tenant_id, subscription_id, metric) DO UPDATE SET held = t.held + EXCLUDED.held;
    ELSIF TG_OP = 'UPDATE' THEN
        INSERT INTO authorization_held AS t (tenant_id, subscription_id, metric, held)
        SELECT d.tenant_id, d.subscription_id, d.metric, sum(d.reserved)
        FROM (SELECT n.tenant_id, n.subscription_id, n.metric, n.reserved FROM new_rows n WHERE n.status = 'held'
              UNION ALL
              SELECT o.tenant_id, o.subscription_id, o.metric, -o.reserved FROM old_rows o WHERE o.status = 'held') d
        GROUP BY d.tenant_id, d.subscription_id, d.metric
        HAVING sum(d.reserved) <> 0
        ORDER BY d.tenant_id, d.subscription_id, d.metric
        ON CONFLICT (tenant_id, subscription_id, metric) DO UPDATE SET held = t.held + EXCLUDED.held;
    ELSIF TG_OP = 'DELETE' THEN
        INSERT INTO authorization_held AS t (tenant_id, subscription_id, metric, held)
        SELECT o.tenant_id, o.subscription_id, o.metric, -sum(o.reserved) FROM old_rows o WHERE o.status = 'held'
        GROUP BY o.tenant_id, o.subscription_id, o.metric
        ORDER BY o.tenant_id, o.subscription_id, o.metric
        ON CONFLICT (tenant_id, subscription_id, metric) DO UPDATE SET held = t.held + EXCLUDED.held;
    ELSE -- TRUNCATE
        DELETE FROM authorization_held;
    END IF;
    RETURN NULL;
END
$$;

-- The backfill below must see every held row and miss none inserted meanwhile: writers wait for this transaction
LOCK TABLE authorizations IN SHARE ROW EXCLUSIVE MODE;

CREATE TRIGGER authorizations_held_inserted AFTER INSERT ON authorizations
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION accrue_authorization_held_moved();
CREATE TRIGGER authorizations_held_updated AFTER UPDATE ON authorizations
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION accrue_authorization_held_moved();
CREATE TRIGGER authorizations_held_deleted AFTER DELETE ON authorizations
    REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION accrue_authorization_held_moved();
CREATE TRIGGER authorizations_held_truncated AFTER TRUNCATE ON authorizations
    FOR EACH STATEMENT EXECUTE FUNCTION accrue_authorization_held_moved();

INSERT INTO authorization_held (tenant_id, subscription_id, metric, held)
SELECT tenant_id, subscription_id, metric, sum(reserved) FROM authorizations WHERE status = 'held'
GROUP BY tenant_id, subscription_id, metric;

-- The live reservations of a subscription and metric at p_now (the customer's clock): the running total less the holds
-- past their expiry that the expiry job has not marked yet (an index range of authorizations_held_live, normally empty).
-- PL/pgSQL, not SQL: a SQL function whose body holds subqueries is never inlined, and its body was then planned anew at
-- every call (measured: the single-check path slower than with the sum); PL/pgSQL keeps its plan for the session.
CREATE FUNCTION accrue_authorization_held(p_tenant text, p_subscription text, p_metric text, p_now timestamptz) RETURNS numeric
    LANGUAGE plpgsql STABLE AS
$$
DECLARE
    v_held numeric;
BEGIN
    SELECT coalesce((SELECT h.held FROM authorization_held h
                     WHERE h.tenant_id = p_tenant AND h.subscription_id = p_subscription AND h.metric = p_metric), 0)
         - (SELECT coalesce(sum(a.reserved), 0) FROM authorizations a
            WHERE a.tenant_id = p_tenant AND a.subscription_id = p_subscription AND a.metric = p_metric
              AND a.status = 'held' AND a.expires_at <= p_now)
    INTO v_held;
    RETURN v_held;
END
$$;

-- The four readers of the live reservations, as before (V40, V570, V572) with that function in place of the sum.
CREATE OR REPLACE FUNCTION accrue_authorization_balance(p_tenant text, p_customer text, p_subscription text, p_metric text,
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
               accrue_authorization_held(p_tenant, p_subscription, p_metric, p_now);
END
$$;

CREATE OR REPLACE FUNCTION accrue_authorization_reserve(p_tenant text, p_customer text, p_signature text, p_subscription text, p_metric text,
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
           accrue_authorization_held(p_tenant, p_subscription, p_metric, p_now)
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

CREATE OR REPLACE FUNCTION accrue_authorization_reserve_group(p_tenant text, p_customers text[], p_signatures text[], p_subscriptions text[],
                                                   p_metrics text[], p_from date[], p_to date[], p_now timestamptz[],
                                                   p_seen_used numeric[], p_seen_held numeric[], p_ids text[], p_reserved numeric[],
                                                   p_expires_at timestamptz[], p_created_at timestamptz[])
    RETURNS TABLE (signature text, used numeric, held numeric, decided boolean, busy boolean)
    LANGUAGE plpgsql VOLATILE AS
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
                 CASE WHEN t.first THEN accrue_authorization_held(p_tenant, t.sub, t.metric, t.at) END AS held
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
           accrue_authorization_held(p_tenant, p_subscription, p_metric, p_now)
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
