package dev.accrue.app.portal;

import java.util.List;

public interface CancelAlternativeRepository {
    /** The tenant's alternatives in their order; empty when none are configured. */
    List<CancelAlternative> list(String tenantId);

    /** Replaces the tenant's alternatives as a whole. */
    void replace(String tenantId, List<CancelAlternative> alternatives);
}
