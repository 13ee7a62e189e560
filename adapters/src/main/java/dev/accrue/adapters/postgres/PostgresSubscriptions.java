package dev.accrue.adapters.postgres;

import dev.accrue.app.page.Page;
import dev.accrue.app.page.PageRequest;
import dev.accrue.app.subscription.SubscriptionRepository;
import dev.accrue.core.catalog.PlanOverrides;
import dev.accrue.core.subscription.Subscription;
import dev.accrue.core.time.Alignment;
import dev.accrue.core.time.BillingInterval;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.mapper.RowMapper;
import org.jdbi.v3.core.statement.Query;
import org.jdbi.v3.core.statement.SqlStatement;
import org.jdbi.v3.core.statement.UnableToExecuteStatementException;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

public final class PostgresSubscriptions implements SubscriptionRepository {
    static final RowMapper<Subscription> MAPPER = (rs, ctx) -> new Subscription(rs.getString("id"), rs.getString("customer_id"),
            rs.getInt("catalog_version"), rs.getString("plan_code"), BillingInterval.fromWire(rs.getString("billing_interval")),
            Alignment.fromWire(rs.getString("alignment")), date(rs, "start_date"), date(rs, "trial_end"),
            date(rs, "anchor"), date(rs, "next_bill_date"), date(rs, "billed_through"),
            rs.getString("pending_plan_code"), BillingInterval.fromWire(rs.getString("pending_interval")), rs.getBoolean("cancel_at_period_end"), rs.getString("cancel_reason"),
            date(rs, "ended_on"), date(rs, "lock_in_until"),
            overrides(rs.getString("overrides")), rs.getInt("quantity"),
            (Integer) rs.getObject("pending_quantity"), date(rs, "suspended_on"),
            date(rs, "usage_invoiced_through"), rs.getInt("version"),
            smallint(rs, "billing_cycle_day"), smallint(rs, "pending_billing_cycle_day"));
    private final JdbiTransactions tx;
    /** Whose usage a view's first round trip reads ahead ({@link #findWithOwners}); null: nothing read ahead. */
    private final PostgresUsage usage;

    /**
     * A subscription row a billing batch claimed (and so holds locked) in the current transaction, as it was read then:
     * {@link #find} and {@link #findForUpdate} answer from memory until this repository writes the row.
     */
    private record Claimed(String tenantId, String id) {
    }

    /**
     * Which subscriptions are due at {@code :now} (judged in each customer's own time zone; customers on test clocks
     * move only with their clock): the one definition behind claiming them and counting them.
     */
    private static final String UPDATE = """
            UPDATE subscriptions SET catalog_version = :catalog_version, plan_code = :plan, next_bill_date = :next_bill,
              trial_end = :trial_end, anchor = :anchor, billing_interval = :interval, pending_interval = :pending_interval,
              billed_through = :billed_through, pending_plan_code = :pending, cancel_at_period_end = :cancel, cancel_reason = :reason,
              ended_on = :ended, overrides = CAST(:overrides AS jsonb), quantity = :quantity, pending_quantity = :pending_quantity, suspended_on = :suspended_on, usage_invoiced_through = :usage_through,
              billing_cycle_day = :cycle_day, pending_billing_cycle_day = :pending_cycle_day,
              updated_at = :at, version = version + 1
            WHERE tenant_id = :tenant AND id = :id""";

    private static final String DUE = """
                        WHERE c.test_clock_id IS NULL AND ((s.ended_on IS NULL
                          AND (s.next_bill_date <= (CAST(:now AS timestamptz) AT TIME ZONE c.time_zone)::date
                               OR s.next_usage_date <= (CAST(:now AS timestamptz) AT TIME ZONE c.time_zone)::date
                               OR EXISTS (SELECT 1 FROM subscription_add_ons a WHERE a.tenant_id = s.tenant_id AND a.subscription_id = s.id
                                          AND a.billed_through <= (CAST(:now AS timestamptz) AT TIME ZONE c.time_zone)::date
                                          AND (a.end_date IS NULL OR a.billed_through < a.end_date))
                               OR EXISTS (SELECT 1 FROM phone_numbers n WHERE n.tenant_id = s.tenant_id AND n.subscription_id = s.id AND n.status <> 'released'
                                          AND least(CASE WHEN n.status = 'active' THEN n.billed_through END, n.hold_release_on)
                                              <= (CAST(:now AS timestamptz) AT TIME ZONE c.time_zone)::date)
                               -- a dated action (plan, quantity, cancellation) whose day has come
                               OR EXISTS (SELECT 1 FROM subscription_scheduled_actions x WHERE x.tenant_id = s.tenant_id AND x.subscription_id = s.id
                                          AND x.status = 'scheduled' AND x.effective_on <= (CAST(:now AS timestamptz) AT TIME ZONE c.time_zone)::date)
                               -- a pause whose automatic resume day has come
                               OR EXISTS (SELECT 1 FROM subscription_pauses z WHERE z.tenant_id = s.tenant_id AND z.subscription_id = s.id
                                          AND z.resumed_on IS NULL AND z.resume_on <= (CAST(:now AS timestamptz) AT TIME ZONE c.time_zone)::date)))
                               -- an ended subscription owes its final usage document, and adjustments of usage changed later
                               OR (s.ended_on IS NOT NULL AND (
                                      (NOT s.usage_closed AND s.ended_on <= (CAST(:now AS timestamptz) AT TIME ZONE c.time_zone)::date)
                                      OR EXISTS (SELECT 1 FROM billed_usage b WHERE b.tenant_id = s.tenant_id AND b.subscription_id = s.id
                                                 AND (b.dirty OR b.recheck_after <= CAST(:now AS timestamptz))))))
            """;

    /** The billing batch's updates of its claimed subscriptions, written as one batch (see {@link #update}). */
    private static final Object UPDATES = new Object();

    public PostgresSubscriptions(JdbiTransactions tx) {
        this(tx, null);
    }

    /** {@code usage}: a usage view's first round trip also reads the window the subscription's last view read. */
    public PostgresSubscriptions(JdbiTransactions tx, PostgresUsage usage) {
        this.tx = tx;
        this.usage = usage;
    }

    /** The transaction's handle, after writing the updates this repository deferred: every statement here sees them. */
    private Handle handle() {
        tx.flushDeferred(UPDATES);
        return tx.handle();
    }

    private record Update(String tenantId, Subscription subscription, Instant at) {
    }

    /**
     * A batch's subscription updates as one statement: each column travels as one array and {@code unnest} turns them back
     * into rows joined to theirs by key — one execution for the batch, where a JDBC batch of {@link #UPDATE} still ran 500
     * (each planned, each its own index lookups and executor start). The same columns as {@link #UPDATE}; a subscription is in
     * {@code updates} once ({@link #update} forgets the claim it defers).
     */
    private static void writeUpdates(Handle h, List<Update> updates) {
        h.createUpdate("""
                        UPDATE subscriptions s SET catalog_version = u.catalog_version, plan_code = u.plan, next_bill_date = u.next_bill,
                          trial_end = u.trial_end, anchor = u.anchor, billing_interval = u.interval, pending_interval = u.pending_interval,
                          billed_through = u.billed_through, pending_plan_code = u.pending, cancel_at_period_end = u.cancel,
                          cancel_reason = u.reason, ended_on = u.ended, overrides = CAST(u.overrides AS jsonb), quantity = u.quantity,
                          pending_quantity = u.pending_quantity, suspended_on = u.suspended_on, usage_invoiced_through = u.usage_through,
                          billing_cycle_day = u.cycle_day, pending_billing_cycle_day = u.pending_cycle_day, updated_at = u.at, version = s.version + 1
                        FROM unnest(CAST(:tenants AS text[]), CAST(:ids AS text[]), CAST(:catalogVersions AS integer[]), CAST(:plans AS text[]),
                          CAST(:nextBills AS date[]), CAST(:trialEnds AS date[]), CAST(:anchors AS date[]), CAST(:intervals AS text[]),
                          CAST(:pendingIntervals AS text[]), CAST(:billedThroughs AS date[]), CAST(:pendings AS text[]), CAST(:cancels AS boolean[]),
                          CAST(:reasons AS text[]), CAST(:endeds AS date[]), CAST(:overrides AS text[]), CAST(:quantities AS integer[]),
                          CAST(:pendingQuantities AS integer[]), CAST(:suspendedOns AS date[]), CAST(:usageThroughs AS date[]),
                          CAST(:cycleDays AS smallint[]), CAST(:pendingCycleDays AS smallint[]), CAST(:ats AS timestamptz[]))
                          AS u(tenant_id, id, catalog_version, plan, next_bill, trial_end, anchor, interval, pending_interval, billed_through,
                               pending, cancel, reason, ended, overrides, quantity, pending_quantity, suspended_on, usage_through, cycle_day,
                               pending_cycle_day, at)
                        WHERE s.tenant_id = u.tenant_id AND s.id = u.id""")
                .bindArray("tenants", String.class, InvoiceWrites.column(updates, Update::tenantId))
                .bindArray("ids", String.class, InvoiceWrites.column(updates, u -> u.subscription().id()))
                .bindArray("catalogVersions", String.class, InvoiceWrites.column(updates, u -> Integer.toString(u.subscription().catalogVersion())))
                .bindArray("plans", String.class, InvoiceWrites.column(updates, u -> u.subscription().planCode()))
                .bindArray("nextBills", String.class, InvoiceWrites.column(updates, u -> InvoiceWrites.text(u.subscription().nextBillDate())))
                .bindArray("trialEnds", String.class, InvoiceWrites.column(updates, u -> InvoiceWrites.text(u.subscription().trialEnd())))
                .bindArray("anchors", String.class, InvoiceWrites.column(updates, u -> InvoiceWrites.text(u.subscription().anchor())))
                .bindArray("intervals", String.class, InvoiceWrites.column(updates, u -> u.subscription().interval().wire()))
                .bindArray("pendingIntervals", String.class, InvoiceWrites.column(updates,
                        u -> u.subscription().pendingInterval() == null ? null : u.subscription().pendingInterval().wire()))
                .bindArray("billedThroughs", String.class, InvoiceWrites.column(updates, u -> InvoiceWrites.text(u.subscription().billedThrough())))
                .bindArray("pendings", String.class, InvoiceWrites.column(updates, u -> u.subscription().pendingPlanCode()))
                .bindArray("cancels", String.class, InvoiceWrites.column(updates, u -> Boolean.toString(u.subscription().cancelAtPeriodEnd())))
                .bindArray("reasons", String.class, InvoiceWrites.column(updates, u -> u.subscription().cancelReason()))
                .bindArray("endeds", String.class, InvoiceWrites.column(updates, u -> InvoiceWrites.text(u.subscription().endedOn())))
                .bindArray("overrides", String.class, InvoiceWrites.column(updates, u -> StoredJson.write(u.subscription().overrides())))
                .bindArray("quantities", String.class, InvoiceWrites.column(updates, u -> Integer.toString(u.subscription().quantity())))
                .bindArray("pendingQuantities", String.class, InvoiceWrites.column(updates, u -> InvoiceWrites.text(u.subscription().pendingQuantity())))
                .bindArray("suspendedOns", String.class, InvoiceWrites.column(updates, u -> InvoiceWrites.text(u.subscription().suspendedOn())))
                .bindArray("usageThroughs", String.class, InvoiceWrites.column(updates, u -> InvoiceWrites.text(u.subscription().usageInvoicedThrough())))
                .bindArray("cycleDays", String.class, InvoiceWrites.column(updates, u -> InvoiceWrites.text(u.subscription().billingCycleDay())))
                .bindArray("pendingCycleDays", String.class, InvoiceWrites.column(updates, u -> InvoiceWrites.text(u.subscription().pendingBillingCycleDay())))
                .bindArray("ats", String.class, InvoiceWrites.column(updates, u -> InvoiceWrites.text(u.at())))
                .execute();
    }

    /** Most subscriptions have no deal; skipping the JSON parse for them matters when a usage batch loads thousands. */
    private static PlanOverrides overrides(String json) {
        return json == null || json.equals("{}") ? PlanOverrides.NONE : StoredJson.read(json, PlanOverrides.class);
    }

    private static Integer smallint(ResultSet rs, String column) throws SQLException {
        int value = rs.getInt(column);
        return rs.wasNull() ? null : value;
    }

    /** A date column read as a LocalDate directly (no java.sql.Date and Calendar per value: batches load thousands of rows). */
    private static LocalDate date(ResultSet rs, String column) throws SQLException {
        return rs.getObject(column, LocalDate.class);
    }

    @Override
    public void insert(String tenantId, Subscription s, Instant at) {
        tx.forget(new Claimed(tenantId, s.id()));
        bind(handle().createUpdate("""
                INSERT INTO subscriptions (tenant_id, id, customer_id, catalog_version, plan_code, billing_interval, alignment, start_date,
                  trial_end, anchor, next_bill_date, billed_through, pending_plan_code, cancel_at_period_end, cancel_reason, ended_on,
                  lock_in_until, overrides, quantity, pending_quantity, created_at, updated_at, version, billing_cycle_day, pending_billing_cycle_day)
                VALUES (:tenant, :id, :customer, :catalog_version, :plan, :interval, :alignment, :start, :trial_end, :anchor, :next_bill,
                  :billed_through, :pending, :cancel, :reason, :ended, :lock_in, CAST(:overrides AS jsonb), :quantity, :pending_quantity, :at, :at, 1,
                  :cycle_day, :pending_cycle_day)"""), tenantId, s, at).execute();
    }

    @Override
    public void update(String tenantId, Subscription s, Instant at) {
        Claimed claimed = new Claimed(tenantId, s.id());
        if (tx.remembers(claimed)) {
            // a billing batch's subscription (locked by its claim): its new dates go with the batch's other updates in one round trip
            // before commit, or before this repository's next statement — nothing else in the batch reads its row
            tx.forget(claimed);
            tx.<Update>deferred(UPDATES, PostgresSubscriptions::writeUpdates).add(new Update(tenantId, s, at));
            return;
        }
        bind(handle().createUpdate(UPDATE), tenantId, s, at).execute();
    }

    @Override
    public void touch(String tenantId, String id, Instant at) {
        tx.forget(new Claimed(tenantId, id));
        handle().createUpdate("UPDATE subscriptions SET updated_at = :at, version = version + 1 WHERE tenant_id = :tenant AND id = :id")
                .bind("at", Rows.utc(at)).bind("tenant", tenantId).bind("id", id).execute();
    }

    @Override
    public void markUsageClosed(String tenantId, String id) {
        tx.forget(new Claimed(tenantId, id));
        handle().createUpdate("UPDATE subscriptions SET usage_closed = true WHERE tenant_id = :tenant AND id = :id")
                .bind("tenant", tenantId).bind("id", id).execute();
    }

    @Override
    public boolean usageClosed(String tenantId, String id) {
        return handle().createQuery("SELECT usage_closed FROM subscriptions WHERE tenant_id = :tenant AND id = :id")
                .bind("tenant", tenantId).bind("id", id).mapTo(Boolean.class).one();
    }

    private static <S extends SqlStatement<S>> S bind(S q, String tenantId, Subscription s, Instant at) {
        return q.bind("tenant", tenantId).bind("id", s.id()).bind("customer", s.customerId()).bind("catalog_version", s.catalogVersion())
                .bind("plan", s.planCode()).bind("interval", s.interval().wire()).bind("alignment", s.alignment().wire())
                .bind("start", s.startDate()).bind("trial_end", s.trialEnd()).bind("anchor", s.anchor()).bind("next_bill", s.nextBillDate())
                .bind("billed_through", s.billedThrough()).bind("pending", s.pendingPlanCode()).bind("pending_interval", s.pendingInterval() == null ? null : s.pendingInterval().wire()).bind("cancel", s.cancelAtPeriodEnd())
                .bind("reason", s.cancelReason()).bind("ended", s.endedOn()).bind("lock_in", s.lockInUntil())
                .bind("overrides", StoredJson.write(s.overrides())).bind("quantity", s.quantity()).bind("pending_quantity", s.pendingQuantity()).bind("suspended_on", s.suspendedOn()).bind("usage_through", s.usageInvoicedThrough()).bind("at", Rows.utc(at))
                .bind("cycle_day", s.billingCycleDay()).bind("pending_cycle_day", s.pendingBillingCycleDay());
    }

    @Override
    public Optional<Subscription> find(String tenantId, String id) {
        Subscription claimed = tx.recall(new Claimed(tenantId, id));
        if (claimed != null) {
            return Optional.of(claimed);
        }
        if (tx.readingOnly()) {
            return findWithOwners(tenantId, id);
        }
        return handle().createQuery("SELECT * FROM subscriptions WHERE tenant_id = :tenant AND id = :id")
                .bind("tenant", tenantId).bind("id", id).map(MAPPER).findOne();
    }

    /**
     * A usage view (the one read-only unit, {@link JdbiTransactions#readOnly}) reads the subscription, then its customer, then its tenant's settings,
     * then the subscription's add-ons, and most subscriptions have none: three statements sent in one round trip
     * (pgjdbc sends them with one Sync and reads their results in turn) answer all four. The customer and the tenant are
     * remembered for the transaction, so {@link PostgresCustomers#find} and {@link PostgresTenants#find} answer from
     * memory, and so is the absence of add-ons. Exact: nothing in a read-only unit can change those rows, and each
     * statement reads one moment, as three round trips did a moment apart.
     */
    private static final String WITH_OWNERS_NAMED = """
            SELECT s.*, EXISTS (SELECT 1 FROM subscription_add_ons x WHERE x.tenant_id = s.tenant_id AND x.subscription_id = s.id) AS has_add_ons
            FROM subscriptions s WHERE s.tenant_id = :tenant AND s.id = :id;
            SELECT c.* FROM subscriptions s JOIN customers c ON c.tenant_id = s.tenant_id AND c.id = s.customer_id
            WHERE s.tenant_id = :tenant AND s.id = :id;
            SELECT * FROM tenants WHERE id = :tenant""";
    private static final PositionalSql WITH_OWNERS = PositionalSql.of(WITH_OWNERS_NAMED);
    /** The same, and the usage sums of the window this subscription's last view read ({@link PostgresUsage#aheadFor}). */
    private static final PositionalSql WITH_OWNERS_AND_SUMS = PositionalSql.of(WITH_OWNERS_NAMED + ";\n" + UsageRollups.READ_ONE);

    /**
     * Sent as a plain PreparedStatement ({@link PositionalSql}): every usage view starts with it. With the window the
     * subscription's last view read, its sums go in the same round trip ({@link PostgresUsage#readAhead}): a view whose
     * window has not moved since is one round trip.
     */
    private Optional<Subscription> findWithOwners(String tenantId, String id) {
        PostgresUsage.SumRows ahead = usage == null ? null : usage.aheadFor(tenantId, id);
        PositionalSql sql = ahead == null ? WITH_OWNERS : WITH_OWNERS_AND_SUMS;
        try (PreparedStatement statement = tx.connection().prepareStatement(sql.sql())) {
            sql.bind(statement, ahead == null ? Map.of("tenant", tenantId, "id", id)
                    : Map.of("tenant", tenantId, "id", id, "sub", id, "metric", ahead.metric(), "from", ahead.from(), "to", ahead.to()));
            statement.execute();
            Subscription found = null;
            try (ResultSet rs = statement.getResultSet()) {
                if (rs.next()) {
                    found = MAPPER.map(rs, null);
                    if (!rs.getBoolean("has_add_ons")) {
                        AbsentRows.none(tx, AbsentRows.Table.ADD_ONS, tenantId, id);
                    }
                }
            }
            statement.getMoreResults();
            try (ResultSet rs = statement.getResultSet()) {
                if (rs.next()) {
                    PostgresCustomers.learn(tx, tenantId, rs, null);
                }
            }
            statement.getMoreResults();
            try (ResultSet rs = statement.getResultSet()) {
                if (rs.next()) {
                    PostgresTenants.learn(tx, rs, null);
                }
            }
            if (ahead != null) {
                statement.getMoreResults();
                try (ResultSet rs = statement.getResultSet()) {
                    usage.readAhead(ahead, rs);
                }
            }
            return Optional.ofNullable(found);
        } catch (SQLException e) {
            throw new UnableToExecuteStatementException(e, null);
        }
    }

    @Override
    public List<Subscription> findAll(String tenantId, java.util.Collection<String> ids) {
        return handle().createQuery("""
                        SELECT s.* FROM unnest(CAST(:ids AS text[])) AS i(id)
                        JOIN subscriptions s ON s.tenant_id = :tenant AND s.id = i.id""")
                .bind("tenant", tenantId).bindArray("ids", String.class, List.copyOf(ids)).map(MAPPER).list();
    }

    @Override
    public Optional<Subscription> findForUpdate(String tenantId, String id) {
        Subscription claimed = tx.recall(new Claimed(tenantId, id));
        if (claimed != null) {
            return Optional.of(claimed); // locked by the claim, in this transaction
        }
        return handle().createQuery("SELECT * FROM subscriptions WHERE tenant_id = :tenant AND id = :id FOR UPDATE")
                .bind("tenant", tenantId).bind("id", id).map(MAPPER).findOne();
    }

    @Override
    public Page<Subscription> list(String tenantId, String customerId, PageRequest page) {
        var rows = handle().createQuery("""
                        SELECT * FROM subscriptions WHERE tenant_id = :tenant AND (:customer IS NULL OR customer_id = :customer)
                          AND (:after IS NULL OR id < :after) ORDER BY id DESC LIMIT :limit""")
                .bind("tenant", tenantId).bind("customer", customerId).bind("after", page.startingAfter()).bind("limit", page.limit() + 1)
                .map(MAPPER).list();
        return Page.fromOverfetch(rows, page.limit());
    }

    @Override
    public List<Subscription> forCustomer(String tenantId, String customerId) {
        return handle().createQuery("SELECT * FROM subscriptions WHERE tenant_id = :tenant AND customer_id = :customer ORDER BY id DESC")
                .bind("tenant", tenantId).bind("customer", customerId).map(MAPPER).list();
    }

    @Override
    public List<Subscription> forCustomerForUpdate(String tenantId, String customerId) {
        return handle().createQuery("SELECT * FROM subscriptions WHERE tenant_id = :tenant AND customer_id = :customer ORDER BY id DESC FOR UPDATE")
                .bind("tenant", tenantId).bind("customer", customerId).map(MAPPER).list();
    }

    @Override
    public List<Subscription> forCustomers(String tenantId, java.util.Collection<String> customerIds) {
        return handle().createQuery(FOR_CUSTOMERS)
                .bind("tenant", tenantId).bindArray("customers", String.class, List.copyOf(customerIds)).map(MAPPER).list();
    }

    /**
     * The subscriptions of a few customers, each customer's found by its own probe of {@code subscriptions_by_customer}. Not
     * "customer_id = ANY (:customers)" (see PostgresCustomers.clocks), and not a plain join on the unnested ids either: the
     * index is not unique, so under the generic plan a prepared statement settles on (which guesses 10 ids) PostgreSQL
     * judged a hash join over all the tenant's subscriptions cheaper for a tenant of a few thousand, and read all of them
     * for every call's end (2 ms against 0.15 ms for 3 customers of 2,000, measured). {@code OFFSET 0} keeps the lateral
     * subquery from being flattened back into that join; for a batch of 1,000 customers the probes cost what the hash
     * join did. {@code SubscriptionLookupPlanTest} checks the plan.
     */
    public static final String FOR_CUSTOMERS = """
            SELECT s.* FROM unnest(CAST(:customers AS text[])) AS i(customer_id)
            CROSS JOIN LATERAL (SELECT * FROM subscriptions x WHERE x.tenant_id = :tenant AND x.customer_id = i.customer_id OFFSET 0) s
            ORDER BY s.id DESC""";

    @Override
    public void setNextUsageDate(String tenantId, String subscriptionId, LocalDate date) {
        tx.forget(new Claimed(tenantId, subscriptionId));
        handle().createUpdate("UPDATE subscriptions SET next_usage_date = :d WHERE tenant_id = :tenant AND id = :id")
                .bind("d", date).bind("tenant", tenantId).bind("id", subscriptionId).execute();
    }

    @Override
    public List<DueSubscription> claimDue(Instant now, int limit, Set<String> excluding) {
        // "Due" is judged in each customer's own time zone; customers on test clocks move only with their clock. No customer's
        // today is later than the date at UTC+18, so a subscription whose next date is later is due only through another row.
        LocalDate horizon = LocalDate.ofInstant(now, ZoneOffset.MAX);
        List<DueSubscription> claimed = new ArrayList<>(claimDated(now, horizon, limit, excluding));
        if (claimed.size() < limit) {
            claimed.addAll(claim(handle().createQuery(OTHERWISE_DUE).bind("horizon", horizon).bind("limit", limit - claimed.size()), now, excluding));
        }
        if (!claimed.isEmpty()) {
            ClaimedBatch.claimed(tx); // its invoices, lines and events are written behind, one statement per kind
        }
        AbsentRows.learn(tx, claimed); // one query spares the batch a read per subscription and table that has nothing for it
        // one range of invoice numbers per tenant for the batch: about one finalized invoice per claimed subscription
        claimed.stream().collect(Collectors.groupingBy(DueSubscription::tenantId, Collectors.counting()))
                .forEach((tenant, n) -> GaplessCounters.expect(tx, GaplessCounters.Series.INVOICE, tenant, n.intValue()));
        PostgresCustomers.learn(tx, claimed.stream().map(d -> {
            Subscription s = tx.recall(new Claimed(d.tenantId(), d.subscriptionId()));
            return new PostgresCustomers.Key(d.tenantId(), s.customerId());
        }).toList());
        return claimed;
    }

    /**
     * The dated part of the due rules, first step: a window of active subscriptions whose least next date is at most the
     * horizon, after {@code (:afterDate, :afterId)}, read from {@code subscriptions_due_order} alone in the claim's order
     * (V500) — a single-table ORDER BY … LIMIT on the index's own columns, which PostgreSQL reads as a range that stops at the
     * window's size, whatever its estimates (joined to customers, it sorted them all instead).
     */
    private static final String DATED_WINDOW = """
            SELECT tenant_id, id, least(next_bill_date, coalesce(next_usage_date, next_bill_date)) AS due_on FROM subscriptions
            WHERE ended_on IS NULL AND least(next_bill_date, coalesce(next_usage_date, next_bill_date)) <= :horizon
              AND (least(next_bill_date, coalesce(next_usage_date, next_bill_date)), id) > (CAST(:afterDate AS date), :afterId)
            ORDER BY least(next_bill_date, coalesce(next_usage_date, next_bill_date)), id
            LIMIT :limit""";

    /** Second step: the window's subscriptions that the full rules find due, locked unless another claimer holds them. */
    private static final String DATED = """
            SELECT s.* FROM unnest(CAST(:tenants AS text[]), CAST(:ids AS text[])) WITH ORDINALITY AS k(tenant_id, id, n)
            JOIN subscriptions s ON s.tenant_id = k.tenant_id AND s.id = k.id
            JOIN customers c ON c.tenant_id = s.tenant_id AND c.id = s.customer_id
            """ + DUE + """
              AND s.ended_on IS NULL AND NOT (s.id = ANY (:excluding))
            ORDER BY k.n
            FOR UPDATE OF s SKIP LOCKED""";

    private record Candidate(String tenantId, String id, LocalDate dueOn) {
    }

    /**
     * Claims up to {@code limit} of the dated due subscriptions, window after window of the index range. Rows of the range
     * that are not due (a customer whose today is behind the horizon, a test clock's) or that another claimer holds are
     * passed over; the next window starts after the last row read, so each row is read once per claim.
     */
    private List<DueSubscription> claimDated(Instant now, LocalDate horizon, int limit, Set<String> excluding) {
        List<DueSubscription> claimed = new ArrayList<>();
        LocalDate afterDate = LocalDate.of(1, 1, 1);
        String afterId = "";
        while (claimed.size() < limit) {
            int window = limit - claimed.size();
            List<Candidate> candidates = handle().createQuery(DATED_WINDOW).bind("horizon", horizon).bind("afterDate", afterDate)
                    .bind("afterId", afterId).bind("limit", window)
                    .map((rs, ctx) -> new Candidate(rs.getString("tenant_id"), rs.getString("id"), date(rs, "due_on"))).list();
            if (candidates.isEmpty()) {
                break;
            }
            claimed.addAll(claim(handle().createQuery(DATED)
                    .bindArray("tenants", String.class, candidates.stream().map(Candidate::tenantId).toList())
                    .bindArray("ids", String.class, candidates.stream().map(Candidate::id).toList()), now, excluding));
            if (candidates.size() < window) {
                break;
            }
            Candidate last = candidates.getLast();
            afterDate = last.dueOn();
            afterId = last.id();
        }
        return claimed;
    }

    /**
     * Every other due subscription (none of {@link #DATED}'s range): found from the rows that can make it due — each
     * candidate set is a superset of what its rule in {@link #DUE} accepts, so the rules, applied after, decide — instead of
     * testing every subscription; read once a run, when the dated ones are exhausted.
     */
    private static final String OTHERWISE_DUE = """
            SELECT s.* FROM subscriptions s
            JOIN customers c ON c.tenant_id = s.tenant_id AND c.id = s.customer_id
            """ + DUE + """
              AND NOT (s.ended_on IS NULL AND least(s.next_bill_date, coalesce(s.next_usage_date, s.next_bill_date)) <= :horizon)
              AND (s.tenant_id, s.id) IN (
                    SELECT tenant_id, subscription_id FROM subscription_add_ons
                    WHERE billed_through <= :horizon AND (end_date IS NULL OR billed_through < end_date)
                    UNION SELECT tenant_id, subscription_id FROM phone_numbers
                    WHERE status <> 'released' AND least(CASE WHEN status = 'active' THEN billed_through END, hold_release_on) <= :horizon
                    UNION SELECT tenant_id, subscription_id FROM subscription_scheduled_actions WHERE status = 'scheduled' AND effective_on <= :horizon
                    UNION SELECT tenant_id, subscription_id FROM subscription_pauses WHERE resumed_on IS NULL AND resume_on <= :horizon
                    UNION SELECT tenant_id, subscription_id FROM billed_usage WHERE dirty OR recheck_after <= CAST(:now AS timestamptz)
                    UNION SELECT tenant_id, id FROM subscriptions WHERE ended_on IS NOT NULL AND NOT usage_closed AND ended_on <= :horizon)
              AND NOT (s.id = ANY (:excluding))
            ORDER BY least(s.next_bill_date, coalesce(s.next_usage_date, s.next_bill_date)), s.id
            LIMIT :limit
            FOR UPDATE OF s SKIP LOCKED""";

    private List<DueSubscription> claim(Query query, Instant now, Set<String> excluding) {
        return query.bind("now", Rows.utc(now)).bindArray("excluding", String.class, List.copyOf(excluding))
                .map((rs, ctx) -> {
                    // the row is locked now, so it is what this transaction's billing step reads: kept, not read again
                    tx.remember(new Claimed(rs.getString("tenant_id"), rs.getString("id")), MAPPER.map(rs, ctx));
                    return new DueSubscription(rs.getString("tenant_id"), rs.getString("id"));
                }).list();
    }

    @Override
    public java.util.Map<String, Integer> countDue(Instant now, Set<String> excluding) {
        // no lock taken: a count for progress and backlog, which may include rows another node is billing
        return handle().createQuery("SELECT s.tenant_id, count(*) AS n FROM subscriptions s "
                        + "JOIN customers c ON c.tenant_id = s.tenant_id AND c.id = s.customer_id " + DUE
                        + " AND NOT (s.id = ANY (:excluding)) GROUP BY s.tenant_id")
                .bind("now", Rows.utc(now)).bindArray("excluding", String.class, List.copyOf(excluding))
                .reduceRows(new java.util.TreeMap<String, Integer>(), (map, row) -> {
                    map.put(row.getColumn("tenant_id", String.class), row.getColumn("n", Integer.class));
                    return map;
                });
    }

    @Override
    public List<DueSubscription> onTestClock(String tenantId, String testClockId) {
        return handle().createQuery("""
                        SELECT s.tenant_id, s.id FROM subscriptions s
                        JOIN customers c ON c.tenant_id = s.tenant_id AND c.id = s.customer_id
                        WHERE s.tenant_id = :tenant AND c.test_clock_id = :clock
                          AND (s.ended_on IS NULL OR NOT s.usage_closed
                               OR EXISTS (SELECT 1 FROM billed_usage b WHERE b.tenant_id = s.tenant_id AND b.subscription_id = s.id
                                          AND (b.dirty OR b.recheck_after <= now())))
                        ORDER BY s.next_bill_date, s.id""")
                .bind("tenant", tenantId).bind("clock", testClockId)
                .map((rs, ctx) -> new DueSubscription(rs.getString("tenant_id"), rs.getString("id"))).list();
    }
}
