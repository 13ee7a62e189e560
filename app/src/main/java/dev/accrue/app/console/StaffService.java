package dev.accrue.app.console;

import dev.accrue.app.audit.AuditLog;
import dev.accrue.app.auth.Caller;
import dev.accrue.app.id.Ids;
import dev.accrue.app.tx.Transactions;
import dev.accrue.app.web.WebSession;
import dev.accrue.app.web.WebSessions;
import dev.accrue.core.error.AccrueException;
import dev.accrue.core.error.ErrorCode;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The tenant's staff and their sign-in to the console. Sign-in is throttled per email: after
 * {@link #MAX_FAILURES} wrong passwords within {@link #WINDOW} the email is locked for {@link #LOCK}, whether
 * or not it belongs to anyone, so the answer never tells which emails exist.
 */
public final class StaffService {
    public static final int MAX_FAILURES = 5;
    public static final Duration WINDOW = Duration.ofMinutes(15);
    public static final Duration LOCK = Duration.ofMinutes(15);
    public static final Duration SESSION_LIFETIME = Duration.ofHours(8);
    public static final int MIN_PASSWORD = 12;
    private static final Pattern EMAIL = Pattern.compile("[^@\\s]{1,64}@[^@\\s]+\\.[^@\\s]+");
    /** Verified against when the email is unknown, so a wrong email costs the same time as a wrong password. */
    private final String decoyHash;
    private final Transactions tx;
    private final StaffRepository staff;
    private final PasswordHasher hasher;
    private final WebSessions sessions;
    private final AuditLog audit;
    private final Clock clock;

    public StaffService(Transactions tx, StaffRepository staff, PasswordHasher hasher, WebSessions sessions, AuditLog audit, Clock clock) {
        this.tx = tx;
        this.staff = staff;
        this.hasher = hasher;
        this.sessions = sessions;
        this.audit = audit;
        this.clock = clock;
        this.decoyHash = hasher.hash("decoy password that no one has");
    }

    public StaffUser create(Caller caller, String email, String name, String role, String password) {
        caller.requireWrite();
        StaffRole staffRole = StaffRole.fromWire(role);
        if (staffRole == null) {
            throw AccrueException.invalid("role", "role must be admin, finance, support or read_only, got '" + role + "'");
        }
        if (email == null || email.length() > 254 || !EMAIL.matcher(email).matches()) {
            throw AccrueException.invalid("email", "email must be an email address");
        }
        if (name == null || name.isBlank() || name.length() > 200) {
            throw AccrueException.invalid("name", "name is required (at most 200 characters)");
        }
        if (password == null || password.length() < MIN_PASSWORD || password.length() > 200) {
            throw AccrueException.invalid("password", "password must have " + MIN_PASSWORD + " to 200 characters");
        }
        String hash = hasher.hash(password);
        StaffUser user = new StaffUser(caller.tenantId(), Ids.next("stf"), email.toLowerCase(Locale.ROOT), name.strip(), staffRole, clock.instant(), null);
        return tx.inTransaction(() -> {
            if (!staff.insert(user, hash)) {
                throw new AccrueException(ErrorCode.ALREADY_EXISTS, "email", "A staff user with this email already exists");
            }
            audit.record(caller, "staff_user", user.id(), "staff_user.created", null, Map.of("email", user.email(), "role", staffRole.wire()));
            return user;
        });
    }

    /** An admin of the console adds a staff user; only an active admin may (checked here, whatever page called). */
    public StaffUser add(Caller caller, String actingStaffId, String email, String name, String role, String password) {
        return tx.inTransaction(() -> {
            requireActiveAdmin(caller, actingStaffId);
            return create(caller, email, name, role, password);
        });
    }

    /**
     * Changes a staff user's role. The tenant's staff rows are locked first, so "is another active admin left?" is
     * answered once for concurrent changes: the last active admin cannot be demoted ({@code last_admin}). The
     * user's open sessions end (they carry the old role), so the new role applies from the next sign-in.
     */
    public StaffUser changeRole(Caller caller, String actingStaffId, String staffId, String role) {
        caller.requireWrite();
        StaffRole newRole = StaffRole.fromWire(role);
        if (newRole == null) {
            throw AccrueException.invalid("role", "role must be admin, finance, support or read_only, got '" + role + "'");
        }
        return tx.inTransaction(() -> {
            staff.lockTenantStaff(caller.tenantId());
            requireActiveAdmin(caller, actingStaffId);
            StaffUser target = activeTarget(caller, staffId);
            if (target.role() == newRole) {
                return target;
            }
            if (target.role() == StaffRole.ADMIN) {
                requireAnotherAdmin(caller, target, "demoted");
            }
            staff.updateRole(caller.tenantId(), target.id(), newRole);
            sessions.closeAll(caller.tenantId(), WebSession.CONSOLE, target.id());
            audit.record(caller, "staff_user", target.id(), "staff_user.role_changed", Map.of("role", target.role().wire()), Map.of("role", newRole.wire()));
            return new StaffUser(target.tenantId(), target.id(), target.email(), target.name(), newRole, target.createdAt(), null);
        });
    }

    /** Deactivates a staff user: they cannot sign in and their sessions end; the last active admin cannot be deactivated. */
    public StaffUser deactivate(Caller caller, String actingStaffId, String staffId) {
        caller.requireWrite();
        return tx.inTransaction(() -> {
            staff.lockTenantStaff(caller.tenantId());
            requireActiveAdmin(caller, actingStaffId);
            StaffUser target = activeTarget(caller, staffId);
            if (target.role() == StaffRole.ADMIN) {
                requireAnotherAdmin(caller, target, "deactivated");
            }
            Instant now = clock.instant();
            staff.deactivate(caller.tenantId(), target.id(), now);
            sessions.closeAll(caller.tenantId(), WebSession.CONSOLE, target.id());
            audit.record(caller, "staff_user", target.id(), "staff_user.deactivated", Map.of("active", true), Map.of("active", false));
            return new StaffUser(target.tenantId(), target.id(), target.email(), target.name(), target.role(), target.createdAt(), now);
        });
    }

    /**
     * Reactivates a deactivated staff user: they can sign in again with the password they had (or reset it). Their
     * old sessions ended when they were deactivated and stay ended.
     */
    public StaffUser reactivate(Caller caller, String actingStaffId, String staffId) {
        caller.requireWrite();
        return tx.inTransaction(() -> {
            staff.lockTenantStaff(caller.tenantId());
            requireActiveAdmin(caller, actingStaffId);
            StaffUser target = staff.find(caller.tenantId(), staffId).orElseThrow(() -> AccrueException.notFound("staff_user", staffId));
            if (target.active()) {
                return target;
            }
            staff.reactivate(caller.tenantId(), target.id());
            audit.record(caller, "staff_user", target.id(), "staff_user.reactivated", Map.of("active", false), Map.of("active", true));
            return new StaffUser(target.tenantId(), target.id(), target.email(), target.name(), target.role(), target.createdAt(), null);
        });
    }

    /** The acting staff user must be an active admin of the caller's tenant (the console's route rule, kept by the use case too). */
    private void requireActiveAdmin(Caller caller, String actingStaffId) {
        caller.requireWrite();
        StaffUser acting = actingStaffId == null ? null : staff.find(caller.tenantId(), actingStaffId).orElse(null);
        if (acting == null || !acting.active() || acting.role() != StaffRole.ADMIN) {
            throw new AccrueException(ErrorCode.FORBIDDEN, "Only an admin of the console manages staff");
        }
    }

    private StaffUser activeTarget(Caller caller, String staffId) {
        StaffUser target = staff.find(caller.tenantId(), staffId).orElseThrow(() -> AccrueException.notFound("staff_user", staffId));
        if (!target.active()) {
            throw AccrueException.invalid("staff_user", "This staff user is deactivated");
        }
        return target;
    }

    private void requireAnotherAdmin(Caller caller, StaffUser target, String what) {
        boolean another = staff.list(caller.tenantId()).stream().anyMatch(u -> u.active() && u.role() == StaffRole.ADMIN && !u.id().equals(target.id()));
        if (!another) {
            throw new AccrueException(ErrorCode.LAST_ADMIN, "role", target.email() + " is the last active admin and cannot be " + what
                    + "; make someone else an admin first");
        }
    }

    public List<StaffUser> list(Caller caller) {
        return tx.inTransaction(() -> staff.list(caller.tenantId()));
    }

    public StaffUser get(String tenantId, String id) {
        return tx.inTransaction(() -> staff.find(tenantId, id)).orElseThrow(() -> AccrueException.notFound("staff_user", id));
    }

    /** Checks the password and opens a console session; wrong email and wrong password are one answer. */
    public WebSessions.Opened signIn(String email, String password) {
        String key = email == null ? "" : email.strip().toLowerCase(Locale.ROOT);
        if (key.isEmpty() || key.length() > 254 || password == null || password.length() > 200) {
            throw wrong();
        }
        Instant now = clock.instant();
        var failures = tx.inTransaction(() -> staff.failures(key));
        if (failures.isPresent() && failures.get().lockedUntil() != null && now.isBefore(failures.get().lockedUntil())) {
            throw new AccrueException(ErrorCode.RATE_LIMITED, "Too many failed sign-ins; try again after " + failures.get().lockedUntil());
        }
        var found = tx.inTransaction(() -> staff.findByEmail(key));
        boolean ok = hasher.verify(password, found.map(StaffRepository.WithHash::passwordHash).orElse(decoyHash)) && found.isPresent();
        if (!ok) {
            tx.inTransaction(() -> {
                var f = staff.failures(key).filter(x -> x.windowStart().plus(WINDOW).isAfter(now)).orElse(new StaffRepository.Failures(0, now, null));
                int count = f.count() + 1;
                staff.saveFailures(key, new StaffRepository.Failures(count, f.windowStart(), count >= MAX_FAILURES ? now.plus(LOCK) : null));
                return null;
            });
            throw wrong();
        }
        StaffUser user = found.get().user();
        tx.inTransaction(() -> {
            staff.clearFailures(key);
            return null;
        });
        return sessions.open(user.tenantId(), WebSession.CONSOLE, user.id(), user.email(), user.role().wire(), null, null, SESSION_LIFETIME);
    }

    private static AccrueException wrong() {
        return new AccrueException(ErrorCode.UNAUTHENTICATED, "Wrong email or password");
    }
}
