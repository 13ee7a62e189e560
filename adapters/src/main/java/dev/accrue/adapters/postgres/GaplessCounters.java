package dev.accrue.adapters.postgres;

import org.jdbi.v3.core.Handle;

/**
 * Per-tenant gapless number series (invoices, proformas, credit notes): the counter row is created or bumped and
 * stays locked until the calling transaction ends, so two documents never share a number and a rollback gives its
 * number back.
 */
final class GaplessCounters {
    enum Series {
        INVOICE("invoice_counters"), PROFORMA("proforma_counters"), CREDIT_NOTE("credit_note_counters");

        private final String table;

        Series(String table) {
            this.table = table;
        }
    }

    private GaplessCounters() {
    }

    static long next(Handle h, Series series, String tenantId) {
        return h.createQuery("INSERT INTO " + series.table + " (tenant_id, last_number) VALUES (:tenant, 1) "
                        + "ON CONFLICT (tenant_id) DO UPDATE SET last_number = " + series.table + ".last_number + 1 RETURNING last_number")
                .bind("tenant", tenantId).mapTo(Long.class).one();
    }
}
