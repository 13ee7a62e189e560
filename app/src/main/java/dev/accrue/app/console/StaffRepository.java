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

    /** Clears {@code deactivated_at}: the user can sign in again (with the password they had). */
    void reactivate(String tenantId, String id);

    void updatePassword(String tenantId, String id, String passwordHash);

    /** Stores a password reset token's hash for the user, valid until {@code expiresAt}. */
    void insertReset(String tenantId, String staffId, byte[] tokenHash, Instant createdAt, Instant expiresAt);

    /** Resets asked for by the user since {@code since} (the request throttle). */
    int resetsSince(String tenantId, String staffId, Instant since);

    /**
     * Uses the reset token once: marks it used if it is unused and unexpired at {@code now} and its user is active,
     * in one conditional update, so two browsers racing with one link cannot both set a password.
     */
    Optional<StaffUser> redeemReset(byte[] tokenHash, Instant now);

    /** Marks every unused reset token of the user used (their password just changed). */
    void retireResets(String tenantId, String staffId, Instant now);
}
