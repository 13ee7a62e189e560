package dev.accrue.adapters.postgres;

import dev.accrue.app.billingrun.BillingRun;
import dev.accrue.app.billingrun.BillingRunRepository;
import dev.accrue.app.page.Page;
import dev.accrue.app.page.PageRequest;
import org.jdbi.v3.core.mapper.RowMapper;

import java.time.Instant;
import java.util.Map;
import java.util.Optional;

public final class PostgresBillingRuns implements BillingRunRepository {
    private static final RowMapper<BillingRun> RUN = (rs, ctx) -> new BillingRun(rs.getString("id"), Rows.instant(rs, "started_at"),
            Rows.instant(rs, "finished_at"), Rows.instant(rs, "progressed_at"), rs.getString("triggered_by"), rs.getString("node"),
            rs.getInt("due"), rs.getInt("done"), rs.getInt("failed"), rs.getInt("invoices"), (Integer) rs.getObject("held_elsewhere"));
    private static final String SELECT = """
            SELECT r.id, r.started_at, r.finished_at, r.progressed_at, r.triggered_by, r.node, t.due, t.done, t.failed, t.invoices, t.held_elsewhere
            FROM billing_run_tenants t JOIN billing_runs r ON r.id = t.run_id
            """;
    private final JdbiTransactions tx;

    public PostgresBillingRuns(JdbiTransactions tx) {
        this.tx = tx;
    }

    @Override
    public void start(String runId, Instant at, String triggeredBy, String node, Map<String, Integer> dueByTenant) {
        tx.handle().createUpdate("INSERT INTO billing_runs (id, started_at, triggered_by, node, progressed_at) VALUES (:id, :at, :by, :node, :at)")
                .bind("id", runId).bind("at", Rows.utc(at)).bind("by", triggeredBy).bind("node", node).execute();
        var batch = tx.handle().prepareBatch("INSERT INTO billing_run_tenants (run_id, tenant_id, due) VALUES (:run, :tenant, :due)");
        dueByTenant.forEach((tenant, due) -> batch.bind("run", runId).bind("tenant", tenant).bind("due", due).add());
        if (!dueByTenant.isEmpty()) {
            batch.execute();
        }
    }

    @Override
    public void progress(String runId, Instant at, Map<String, Totals> byTenant) {
        tx.handle().createUpdate("UPDATE billing_runs SET progressed_at = :at WHERE id = :id").bind("at", Rows.utc(at)).bind("id", runId).execute();
        var batch = tx.handle().prepareBatch("""
                INSERT INTO billing_run_tenants (run_id, tenant_id, due, done, failed, invoices) VALUES (:run, :tenant, 0, :done, :failed, :invoices)
                ON CONFLICT (run_id, tenant_id) DO UPDATE SET done = EXCLUDED.done, failed = EXCLUDED.failed, invoices = EXCLUDED.invoices""");
        byTenant.forEach((tenant, t) -> batch.bind("run", runId).bind("tenant", tenant).bind("done", t.done()).bind("failed", t.failed())
                .bind("invoices", t.invoices()).add());
        if (!byTenant.isEmpty()) {
            batch.execute();
        }
    }

    @Override
    public void finish(String runId, Instant at, Map<String, Integer> heldElsewhereByTenant) {
        tx.handle().createUpdate("UPDATE billing_runs SET finished_at = :at, progressed_at = :at WHERE id = :id")
                .bind("at", Rows.utc(at)).bind("id", runId).execute();
        tx.handle().createUpdate("UPDATE billing_run_tenants SET held_elsewhere = 0 WHERE run_id = :id").bind("id", runId).execute();
        var batch = tx.handle().prepareBatch("""
                INSERT INTO billing_run_tenants (run_id, tenant_id, due, held_elsewhere) VALUES (:run, :tenant, :held, :held)
                ON CONFLICT (run_id, tenant_id) DO UPDATE SET held_elsewhere = EXCLUDED.held_elsewhere""");
        heldElsewhereByTenant.forEach((tenant, held) -> batch.bind("run", runId).bind("tenant", tenant).bind("held", held).add());
        if (!heldElsewhereByTenant.isEmpty()) {
            batch.execute();
        }
    }

    @Override
    public Page<BillingRun> list(String tenantId, PageRequest page) {
        return Page.fromOverfetch(tx.handle().createQuery(SELECT + " WHERE t.tenant_id = :tenant AND (:after IS NULL OR t.run_id < :after) ORDER BY t.run_id DESC LIMIT :limit")
                .bind("tenant", tenantId).bind("after", page.startingAfter()).bind("limit", page.limit() + 1).map(RUN).list(), page.limit());
    }

    @Override
    public Optional<BillingRun> find(String tenantId, String runId) {
        return tx.handle().createQuery(SELECT + " WHERE t.tenant_id = :tenant AND t.run_id = :id").bind("tenant", tenantId).bind("id", runId)
                .map(RUN).findOne();
    }
}
