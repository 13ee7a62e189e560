package dev.accrue.app.audit;

import dev.accrue.app.auth.Caller;
import dev.accrue.app.page.Page;
import dev.accrue.app.page.PageRequest;
import dev.accrue.core.error.AccrueException;
import dev.accrue.app.tx.Transactions;

/** Reads the audit trail of one object, within the caller's tenant only. */
public final class AuditHistory {
    private final Transactions tx;
    private final AuditLog audit;

    public AuditHistory(Transactions tx, AuditLog audit) {
        this.tx = tx;
        this.audit = audit;
    }

    /** The tenant-wide feed, or one object's history, filtered by object type, actor and time range. */
    public Page<AuditEntry> find(Caller caller, AuditQuery query, PageRequest page) {
        if (query.from() != null && query.to() != null && !query.from().isBefore(query.to())) {
            throw AccrueException.invalid("from", "from (" + query.from() + ") must be before to (" + query.to() + ")");
        }
        return tx.inTransaction(() -> audit.find(caller.tenantId(), query, page));
    }
}
