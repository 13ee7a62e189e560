package dev.accrue.adapters.postgres;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Metrics;
import org.jdbi.v3.core.Handle;

import java.math.BigDecimal;

/**
 * Counts finalized invoices and their totals by currency for /metrics ({@code accrue_invoices_finalized_total},
 * {@code accrue_invoices_finalized_amount_total}), once their transaction commits: a billing batch that rolls back
 * counts nothing. The amount is a monitoring figure (a double), never a source for accounting.
 */
final class FinalizedInvoices {
    record Amount(String currency, BigDecimal total) {
    }

    private FinalizedInvoices() {
    }

    static void countAfterCommit(Handle handle, Amount amount) {
        handle.afterCommit(() -> {
            Counter.builder("accrue_invoices_finalized").description("Invoices finalized (numbered), by currency").tag("currency", amount.currency())
                    .register(Metrics.globalRegistry).increment();
            Counter.builder("accrue_invoices_finalized_amount").description("Totals of finalized invoices, by currency (major units)")
                    .tag("currency", amount.currency()).register(Metrics.globalRegistry).increment(amount.total().doubleValue());
        });
    }
}
