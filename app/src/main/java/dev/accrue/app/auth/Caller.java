package dev.accrue.app.auth;

import dev.accrue.core.error.AccrueException;
import dev.accrue.core.error.ErrorCode;

/** An authenticated principal acting inside exactly one tenant. Every use case takes one; nothing crosses tenants. */
public record Caller(String tenantId, Actor actor, Role role) {

    public void requireWrite() {
        if (role != Role.ADMIN) {
            throw new AccrueException(ErrorCode.FORBIDDEN, "This credential is read-only; an admin key is needed to make changes");
        }
    }

    /** Accrue itself acting (billing runs, schedulers): recorded in the audit trail as system:accrue. */
    public static Caller system(String tenantId) {
        return new Caller(tenantId, Actor.system(), Role.ADMIN);
    }

    public static Caller operator(String tenantId) {
        return new Caller(tenantId, Actor.cli(), Role.ADMIN);
    }
}
