package dev.accrue.adapters.postgres;

import dev.accrue.app.billing.BilledUsageRepository;
import dev.accrue.core.time.Period;
import org.jdbi.v3.core.statement.PreparedBatch;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

public final class PostgresBilledUsage implements BilledUsageRepository {
    /** The charge code of a row marking that a cadence's window was closed, whatever its charges (V46): not a metered charge's window. */
    public static final String EVERY_CHARGE = "*";

    private final JdbiTransactions tx;

    public PostgresBilledUsage(JdbiTransactions tx) {
        this.tx = tx;
    }

    @Override
    public void record(String tenantId, String subscriptionId, List<Entry> entries, Instant at) {
        if (entries.isEmpty()) {
            return;
        }
        AbsentRows.adding(tx, AbsentRows.Table.USAGE_TO_RECHECK, tenantId, subscriptionId);
        // the subscription's row lock is held by the caller, so numbering a window's rows with max(seq) + 1 cannot race
        PreparedBatch batch = tx.handle().prepareBatch("""
                INSERT INTO billed_usage (tenant_id, subscription_id, charge_code, metric, cadence, window_start, window_end, seq,
                                          document_id, quantity, amount, created_at, recheck_after)
                SELECT :tenant, :sub, :charge, :metric, :cadence, :start, :end,
                       coalesce((SELECT max(seq) FROM billed_usage WHERE tenant_id = :tenant AND subscription_id = :sub
                                 AND charge_code = :charge AND cadence = :cadence AND window_start = :start), 0) + 1,
                       :document, :quantity, :amount, :at, CAST(:at AS timestamptz) + CAST(:settle AS interval)""");
        for (Entry e : entries) {
            batch.bind("tenant", tenantId).bind("sub", subscriptionId).bind("charge", e.chargeCode()).bind("metric", e.metric())
                    .bind("cadence", e.cadence()).bind("start", e.window().start()).bind("end", e.window().end())
                    .bind("document", e.documentId()).bind("quantity", e.quantity()).bind("amount", e.amount()).bind("at", Rows.utc(at))
                    .bind("settle", SETTLE.toSeconds() + " seconds").add();
        }
        batch.execute();
    }

    @Override
    public Optional<BigDecimal> billedAmount(String tenantId, String subscriptionId, String chargeCode, String cadence, LocalDate windowStart) {
        return tx.handle().createQuery("""
                        SELECT sum(amount) FROM billed_usage WHERE tenant_id = :tenant AND subscription_id = :sub AND charge_code = :charge
                          AND cadence = :cadence AND window_start = :start""")
                .bind("tenant", tenantId).bind("sub", subscriptionId).bind("charge", chargeCode).bind("cadence", cadence).bind("start", windowStart)
                .mapTo(BigDecimal.class).findOne().map(BigDecimal::stripTrailingZeros);
    }

    @Override
    public boolean billed(String tenantId, String subscriptionId, String cadence, LocalDate windowStart) {
        return tx.handle().createQuery("""
                        SELECT EXISTS (SELECT 1 FROM billed_usage WHERE tenant_id = :tenant AND subscription_id = :sub AND cadence = :cadence
                                       AND window_start = :start)""")
                .bind("tenant", tenantId).bind("sub", subscriptionId).bind("cadence", cadence).bind("start", windowStart)
                .mapTo(Boolean.class).one();
    }

    @Override
    public LocalDate billedThrough(String tenantId, String subscriptionId, String cadence) {
        return tx.handle().createQuery("""
                        SELECT max(window_end) FROM billed_usage WHERE tenant_id = :tenant AND subscription_id = :sub AND cadence = :cadence""")
                .bind("tenant", tenantId).bind("sub", subscriptionId).bind("cadence", cadence)
                .mapTo(LocalDate.class).findOne().orElse(null);
    }

    @Override
    public Map<String, Map<String, LocalDate>> lateBefore(String tenantId, Collection<String> subscriptionIds) {
        Map<String, Map<String, LocalDate>> out = new HashMap<>();
        if (subscriptionIds.isEmpty()) {
            return out;
        }
        tx.handle().createQuery("""
                        SELECT subscription_id, metric, max(window_end) AS through FROM billed_usage
                        WHERE tenant_id = :tenant AND subscription_id = ANY (:subs) AND charge_code <> :every_charge
                        GROUP BY subscription_id, metric""")
                .bind("tenant", tenantId).bindArray("subs", String.class, List.copyOf(subscriptionIds)).bind("every_charge", EVERY_CHARGE)
                .map((rs, ctx) -> {
                    out.computeIfAbsent(rs.getString("subscription_id"), k -> new HashMap<>())
                            .put(rs.getString("metric"), rs.getDate("through").toLocalDate());
                    return null;
                }).list();
        return out;
    }

    @Override
    public void markDirty(String tenantId, String subscriptionId, String metric, LocalDate day) {
        AbsentRows.adding(tx, AbsentRows.Table.USAGE_TO_RECHECK, tenantId, subscriptionId);
        tx.handle().createUpdate("""
                        UPDATE billed_usage SET dirty = true
                        WHERE tenant_id = :tenant AND subscription_id = :sub AND metric = :metric AND window_start <= :day AND :day < window_end
                          AND NOT dirty""")
                .bind("tenant", tenantId).bind("sub", subscriptionId).bind("metric", metric).bind("day", day).execute();
    }

    @Override
    public void markDirtyFrom(String tenantId, String subscriptionId, String metric, LocalDate day) {
        AbsentRows.adding(tx, AbsentRows.Table.USAGE_TO_RECHECK, tenantId, subscriptionId);
        tx.handle().createUpdate("""
                        UPDATE billed_usage SET dirty = true
                        WHERE tenant_id = :tenant AND subscription_id = :sub AND metric = :metric AND :day < window_end AND NOT dirty""")
                .bind("tenant", tenantId).bind("sub", subscriptionId).bind("metric", metric).bind("day", day).execute();
    }

    @Override
    public void markDirtyBilledBy(String tenantId, String subscriptionId, String documentId) {
        AbsentRows.adding(tx, AbsentRows.Table.USAGE_TO_RECHECK, tenantId, subscriptionId);
        tx.handle().createUpdate("""
                        UPDATE billed_usage b SET dirty = true
                        WHERE b.tenant_id = :tenant AND b.subscription_id = :sub AND NOT b.dirty AND EXISTS (
                          SELECT 1 FROM billed_usage d WHERE d.tenant_id = b.tenant_id AND d.subscription_id = b.subscription_id
                            AND d.charge_code = b.charge_code AND d.cadence = b.cadence AND d.window_start = b.window_start
                            AND d.document_id = :document)""")
                .bind("tenant", tenantId).bind("sub", subscriptionId).bind("document", documentId).execute();
    }

    @Override
    public List<DirtyWindow> claimDirty(String tenantId, String subscriptionId, Collection<String> cadences, Instant now) {
        if (AbsentRows.known(tx, AbsentRows.Table.USAGE_TO_RECHECK, tenantId, subscriptionId)) {
            return List.of();
        }
        return tx.handle().createQuery("""
                        WITH claimed AS (
                            UPDATE billed_usage SET dirty = false, recheck_after = NULL
                            WHERE tenant_id = :tenant AND subscription_id = :sub AND (cardinality(CAST(:cadences AS text[])) = 0 OR cadence = ANY (:cadences))
                              AND (dirty OR recheck_after <= :now)
                            RETURNING charge_code, cadence, window_start)
                        SELECT b.charge_code, b.metric, b.cadence, b.window_start, max(b.window_end) AS window_end,
                               sum(b.quantity) AS quantity, sum(b.amount) AS amount
                        FROM billed_usage b
                        JOIN (SELECT DISTINCT charge_code, cadence, window_start FROM claimed) c
                          ON c.charge_code = b.charge_code AND c.cadence = b.cadence AND c.window_start = b.window_start
                        WHERE b.tenant_id = :tenant AND b.subscription_id = :sub
                        GROUP BY b.charge_code, b.metric, b.cadence, b.window_start
                        ORDER BY b.window_start, b.charge_code""")
                .bind("tenant", tenantId).bind("sub", subscriptionId).bindArray("cadences", String.class, List.copyOf(cadences))
                .bind("now", Rows.utc(now))
                .map((rs, ctx) -> new DirtyWindow(rs.getString("charge_code"), rs.getString("metric"), rs.getString("cadence"),
                        new Period(rs.getDate("window_start").toLocalDate(), rs.getDate("window_end").toLocalDate()),
                        rs.getBigDecimal("quantity").stripTrailingZeros(), rs.getBigDecimal("amount").stripTrailingZeros()))
                .list();
    }
}
