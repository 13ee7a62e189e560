package dev.accrue.app.console;

import dev.accrue.app.audit.AuditLog;
import dev.accrue.app.auth.Actor;
import dev.accrue.app.auth.Caller;
import dev.accrue.app.auth.Role;
import dev.accrue.app.id.Ids;
import dev.accrue.app.mail.EmailOutbox;
import dev.accrue.app.mail.OutboundEmail;
import dev.accrue.app.tx.Transactions;
import dev.accrue.app.web.Secrets;
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
import java.util.function.Function;

/**
 * A forgotten console password: the staff user asks with their email and gets a link (256 random bits, stored only
 * as its SHA-256) by email through the outbox, valid for {@link #LINK_LIFETIME} and usable once. Asking answers the
 * same whether the email belongs to an active staff user or not (no way to learn who has an account), and at most
 * {@link #MAX_PER_HOUR} links an hour are sent to one user. Setting the new password (at least
 * {@link StaffService#MIN_PASSWORD} characters, hashed like every password) uses the link up, retires the user's
 * other links, clears their failed sign-ins and ends all their console sessions; it is audited on the staff user.
 */
public final class StaffPasswordResets {
    public static final Duration LINK_LIFETIME = Duration.ofHours(1);
    public static final int MAX_PER_HOUR = 3;
    private final Transactions tx;
    private final StaffRepository staff;
    private final PasswordHasher hasher;
    private final WebSessions sessions;
    private final EmailOutbox outbox;
    private final AuditLog audit;
    private final Clock clock;

    public StaffPasswordResets(Transactions tx, StaffRepository staff, PasswordHasher hasher, WebSessions sessions, EmailOutbox outbox, AuditLog audit,
                               Clock clock) {
        this.tx = tx;
        this.staff = staff;
        this.hasher = hasher;
        this.sessions = sessions;
        this.outbox = outbox;
        this.audit = audit;
        this.clock = clock;
    }

    /** The email's words, given the link; chosen by the console (in the language of the browser that asked). */
    public record Mail(String subject, String text) {
    }

    /** Sends a reset link to {@code email} if it is an active staff user's; says nothing about whether it was. */
    public void request(String email, Function<String, String> linkForToken, Function<String, Mail> wordsForLink) {
        String key = email == null ? "" : email.strip().toLowerCase(Locale.ROOT);
        if (key.isEmpty() || key.length() > 254) {
            return;
        }
        tx.run(() -> staff.findByEmail(key).ifPresent(found -> {
            StaffUser user = found.user();
            Instant now = clock.instant();
            if (staff.resetsSince(user.tenantId(), user.id(), now.minus(Duration.ofHours(1))) >= MAX_PER_HOUR) {
                return;
            }
            String token = Secrets.newToken();
            staff.insertReset(user.tenantId(), user.id(), Secrets.hash(token), now, now.plus(LINK_LIFETIME));
            Mail mail = wordsForLink.apply(linkForToken.apply(token));
            outbox.enqueue(user.tenantId(), new OutboundEmail(Ids.next("eml"), null, List.of(user.email()), mail.subject(), mail.text(), null, null,
                    List.of(), "staff_user", user.id(), OutboundEmail.QUEUED, 0, null, now, now, null, null));
            audit.record(self(user), "staff_user", user.id(), "staff_user.password_reset_requested", null, null);
        }));
    }

    /** Sets the password of the link's user; an unknown, used or expired link (or a deactivated user) is refused. */
    public StaffUser reset(String token, String newPassword) {
        if (newPassword == null || newPassword.length() < StaffService.MIN_PASSWORD || newPassword.length() > 200) {
            throw AccrueException.invalid("password", "The password must be " + StaffService.MIN_PASSWORD + " to 200 characters long");
        }
        if (token == null || token.length() > 100) {
            throw expired();
        }
        String hash = hasher.hash(newPassword); // before the transaction: hashing is slow on purpose
        return tx.inTransaction(() -> {
            Instant now = clock.instant();
            StaffUser user = staff.redeemReset(Secrets.hash(token), now).orElseThrow(StaffPasswordResets::expired);
            staff.updatePassword(user.tenantId(), user.id(), hash);
            staff.retireResets(user.tenantId(), user.id(), now);
            staff.clearFailures(user.email().toLowerCase(Locale.ROOT));
            sessions.closeAll(user.tenantId(), WebSession.CONSOLE, user.id());
            audit.record(self(user), "staff_user", user.id(), "staff_user.password_reset", null, Map.of("sessions_ended", true));
            return user;
        });
    }

    private static Caller self(StaffUser user) {
        return new Caller(user.tenantId(), new Actor(Actor.Type.USER, "staff:" + user.email()), Role.ADMIN);
    }

    private static AccrueException expired() {
        return new AccrueException(ErrorCode.UNAUTHENTICATED, "This password reset link expired or was already used; ask for a new one");
    }
}
