package dev.accrue.app.audit;

import dev.accrue.app.auth.Caller;
import dev.accrue.app.page.Page;
import dev.accrue.app.page.PageRequest;
import dev.accrue.app.tx.Transactions;

/** Reads the audit trail of one object, within the caller's tenant only. */
public final class AuditHistory {
    private final Transactions tx;
    private final AuditLog audit;

    public AuditHistory(Transactions tx, AuditLog audit) {
        this.tx = tx;
        this.audit = audit;
    }

    public Page<AuditEntry> forObject(Caller caller, String objectId, PageRequest page) {
        return tx.inTransaction(() -> audit.forObject(caller.tenantId(), objectId, page));
    }
}
