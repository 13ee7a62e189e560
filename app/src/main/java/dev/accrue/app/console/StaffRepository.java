package dev.accrue.app.console;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

public interface StaffRepository {
    /** Inserts, or returns false when the email is taken (by any tenant). */
    boolean insert(StaffUser user, String passwordHash);

    record WithHash(StaffUser user, String passwordHash) {
    }

    /** The active (not deactivated) staff user with this email, in any tenant. */
    Optional<WithHash> findByEmail(String email);

    /**
     * Locks every staff row of the tenant until the transaction ends, so two admins demoting or deactivating each
     * other at once cannot both pass the "another active admin remains" check.
     */
    void lockTenantStaff(String tenantId);

    void updateRole(String tenantId, String id, StaffRole role);

    void deactivate(String tenantId, String id, Instant at);

    Optional<StaffUser> find(String tenantId, String id);

    List<StaffUser> list(String tenantId);

    /** Failed sign-ins of {@code email}: the count in the current window and when a lock ends. */
    record Failures(int count, Instant windowStart, Instant lockedUntil) {
    }

    Optional<Failures> failures(String email);

    void saveFailures(String email, Failures failures);

    void clearFailures(String email);
}
