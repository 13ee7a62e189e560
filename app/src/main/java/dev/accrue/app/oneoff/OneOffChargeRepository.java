package dev.accrue.app.oneoff;

import dev.accrue.app.page.Page;
import dev.accrue.app.page.PageRequest;

public interface OneOffChargeRepository {
    void insert(String tenantId, OneOffCharge charge);

    /** A customer's one-off charges, newest first. */
    Page<OneOffCharge> list(String tenantId, String customerId, PageRequest page);
}
