package dev.accrue.app.subscription;

import dev.accrue.core.invoice.InvoiceLine;

import java.time.Instant;
import java.util.List;

/** Charges parked for a subscription's next regular invoice (an upgrade's proration, when the plan says so). */
public interface PendingItems {
    void add(String tenantId, String subscriptionId, String customerId, InvoiceLine line, Instant at);

    /** Open items, locked; {@link #attach} marks them as invoiced. */
    List<InvoiceLine> open(String tenantId, String subscriptionId);

    void attach(String tenantId, String subscriptionId, String invoiceId);
}
