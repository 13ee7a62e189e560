package dev.accrue.app.lifecycle;

import dev.accrue.app.audit.AuditLog;
import dev.accrue.app.auth.Caller;
import dev.accrue.app.customer.CustomerRepository;
import dev.accrue.app.tx.Transactions;
import dev.accrue.core.error.AccrueException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

/**
 * What happens to data over time (issue 17 point 7): raw usage is dropped once its window was invoiced long enough
 * ago; a cancelled customer's data is kept for the tenant's retention period and then erased, except what tax law
 * keeps (invoices, credit notes, payments, ledgers, and the name, address and tax id they show); and everything about
 * a customer can be exported at any time before. {@link #sweep} is the scheduled job; each erasure is one
 * transaction with its audit entry, so a customer is erased whole or not at all.
 */
public final class DataLifecycle {
    private static final Logger LOG = LoggerFactory.getLogger(DataLifecycle.class);
    private static final int USAGE_BATCH = 10_000;
    private static final int ERASURE_BATCH = 100;
    private static final Duration JOB_HISTORY = Duration.ofDays(30);
    private final Transactions tx;
    private final CustomerDataRepository data;
    private final CustomerRepository customers;
    private final AuditLog audit;
    private final Clock clock;

    public DataLifecycle(Transactions tx, CustomerDataRepository data, CustomerRepository customers, AuditLog audit, Clock clock) {
        this.tx = tx;
        this.data = data;
        this.customers = customers;
        this.audit = audit;
        this.clock = clock;
    }

    public RetentionSettings settings(Caller caller) {
        return tx.inTransaction(() -> data.settings(caller.tenantId()));
    }

    public RetentionSettings replaceSettings(Caller caller, RetentionSettings settings) {
        caller.requireWrite();
        return tx.inTransaction(() -> {
            RetentionSettings before = data.settings(caller.tenantId());
            data.saveSettings(caller.tenantId(), settings, clock.instant());
            audit.record(caller, "tenant", caller.tenantId(), "tenant.data_retention_updated", before, settings);
            return settings;
        });
    }

    /** What one sweep did. */
    public record Sweep(int usageEventsDropped, int customersErased, int customersFailed) {
    }

    /**
     * Drops invoiced usage past retention (in batches, each its own transaction) and erases the customers due; a
     * customer whose erasure fails is logged and left for the next sweep, the others go on.
     */
    public Sweep sweep() {
        Instant now = clock.instant();
        int dropped = 0;
        int batch;
        do {
            batch = tx.inTransaction(() -> data.dropInvoicedUsage(now, USAGE_BATCH));
            dropped += batch;
        } while (batch == USAGE_BATCH);
        int erased = 0;
        int failed = 0;
        for (var due : tx.inTransaction(() -> data.dueForErasure(now, ERASURE_BATCH))) {
            try {
                erase(due);
                erased++;
            } catch (RuntimeException e) {
                failed++;
                LOG.error("Erasing customer {} of tenant {} failed; the next sweep tries again", due.customerId(), due.tenantId(), e);
            }
        }
        int pruned = tx.inTransaction(() -> data.pruneJobHistory(now.minus(JOB_HISTORY)));
        if (dropped > 0 || erased > 0 || failed > 0) {
            LOG.info("Data retention: {} usage events dropped, {} customers erased, {} failed, {} job runs forgotten", dropped, erased, failed, pruned);
        }
        return new Sweep(dropped, erased, failed);
    }

    private void erase(CustomerDataRepository.CustomerRef due) {
        tx.run(() -> {
            var customer = customers.findForUpdate(due.tenantId(), due.customerId()).orElseThrow();
            Map<String, Integer> removed = data.erase(due.tenantId(), due.customerId(), clock.instant());
            audit.record(Caller.system(due.tenantId()), "customer", customer.id(), "customer.erased", null,
                    Map.of("reason", "retention period after cancellation ended", "rows", removed));
            LOG.info("Erased customer {} of tenant {} after its retention period: {}", customer.id(), due.tenantId(), removed);
        });
    }

    /** Everything stored about the customer, for {@code sink}; unknown customer: not_found. */
    public void export(Caller caller, String customerId, CustomerDataRepository.ExportSink sink) {
        tx.run(() -> {
            customers.find(caller.tenantId(), customerId).orElseThrow(() -> AccrueException.notFound("customer", customerId));
            data.export(caller.tenantId(), customerId, sink);
        });
    }
}
