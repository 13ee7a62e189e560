package dev.accrue.app.billingrun;

import dev.accrue.app.page.Page;
import dev.accrue.app.page.PageRequest;

import java.time.Instant;
import java.util.Map;
import java.util.Optional;

/** Where billing runs and their per-tenant progress are kept. */
public interface BillingRunRepository {
    void start(String runId, Instant at, String triggeredBy, String node, Map<String, Integer> dueByTenant);

    /** Sets the counts of each tenant named (adding the tenant when it became due after the run started). */
    void progress(String runId, Instant at, Map<String, Totals> byTenant);

    void finish(String runId, Instant at, Map<String, Integer> heldElsewhereByTenant);

    Page<BillingRun> list(String tenantId, PageRequest page);

    Optional<BillingRun> find(String tenantId, String runId);

    record Totals(int done, int failed, int invoices) {
    }
}
