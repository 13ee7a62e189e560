package dev.accrue.app.addon;

import java.time.LocalDate;
import java.util.List;

public interface AddOnRepository {
    void insert(String tenantId, PurchasedAddOn addOn);

    List<PurchasedAddOn> forSubscription(String tenantId, String subscriptionId);

    void setEnd(String tenantId, String id, LocalDate end);

    void setBilledThrough(String tenantId, String id, LocalDate billedThrough);

    void setInvoice(String tenantId, String id, String invoiceId);
}
