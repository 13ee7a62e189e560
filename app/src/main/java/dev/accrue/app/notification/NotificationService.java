package dev.accrue.app.notification;

import dev.accrue.app.auth.Caller;
import dev.accrue.app.customer.CustomerRepository;
import dev.accrue.app.event.EventTypes;
import dev.accrue.app.page.Page;
import dev.accrue.app.page.PageRequest;
import dev.accrue.app.tx.Transactions;
import dev.accrue.app.audit.AuditLog;
import dev.accrue.core.error.AccrueException;
import dev.accrue.core.error.ErrorCode;

import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * What the portal and the API read and set: a customer's (or one customer user's) in-app notifications with the
 * unread count, marking them read, the channel preferences per event type, and the tenant's notice settings.
 * A customer user is named by email (the portal passes its signed-in user's); it sees the customer-wide
 * notifications and its own.
 */
public final class NotificationService {
    private static final Pattern LANGUAGE_TAG = Pattern.compile("[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8}){0,3}");
    private static final Pattern EMAIL = Pattern.compile("[^@\\s]{1,64}@[^@\\s]{1,190}\\.[^@\\s]{1,63}");
    private final Transactions tx;
    private final NotificationRepository repo;
    private final CustomerRepository customers;
    private final AuditLog audit;
    private final Clock clock;

    public NotificationService(Transactions tx, NotificationRepository repo, CustomerRepository customers, AuditLog audit, Clock clock) {
        this.tx = tx;
        this.repo = repo;
        this.customers = customers;
        this.audit = audit;
        this.clock = clock;
    }

    public record Feed(Page<Notification> page, int unreadCount) {
    }

    /** {@code customerId} null: the tenant's own notifications (an endpoint disabled). */
    public Feed list(Caller caller, String customerId, String userEmail, boolean unreadOnly, PageRequest page) {
        String recipient = recipient(userEmail);
        return tx.inTransaction(() -> {
            requireCustomer(caller, customerId);
            return new Feed(repo.list(caller.tenantId(), customerId, recipient, unreadOnly, page), repo.unreadCount(caller.tenantId(), customerId, recipient));
        });
    }

    public void markRead(Caller caller, String customerId, String id) {
        caller.requireWrite();
        tx.run(() -> {
            requireCustomer(caller, customerId);
            if (!repo.markRead(caller.tenantId(), customerId, id, clock.instant())) {
                throw AccrueException.notFound("notification", id);
            }
        });
    }

    /** Marks read one notification the user can see (their own or the customer's); another user's answers like an unknown one. */
    public void markRead(Caller caller, String customerId, String userEmail, String id) {
        caller.requireWrite();
        String recipient = recipient(userEmail);
        tx.run(() -> {
            requireCustomer(caller, customerId);
            if (!repo.markReadFor(caller.tenantId(), customerId, recipient, id, clock.instant())) {
                throw AccrueException.notFound("notification", id);
            }
        });
    }

    public int markAllRead(Caller caller, String customerId, String userEmail) {
        caller.requireWrite();
        String recipient = recipient(userEmail);
        return tx.inTransaction(() -> {
            requireCustomer(caller, customerId);
            return repo.markAllRead(caller.tenantId(), customerId, recipient, clock.instant());
        });
    }

    /** Every event type with the channels it reaches for the customer or user: chosen, else the customer's, else the defaults. */
    public List<ChannelPreference> preferences(Caller caller, String customerId, String userEmail) {
        String user = recipient(userEmail);
        return tx.inTransaction(() -> {
            requireCustomer(caller, customerId);
            Map<String, ChannelPreference> own = new HashMap<>();
            for (var p : repo.preferences(caller.tenantId(), customerId)) {
                if (p.userEmail().equals(user)) {
                    own.put(p.preference().eventType(), p.preference());
                }
            }
            List<ChannelPreference> all = new ArrayList<>();
            for (String type : EventTypes.ALL) {
                // a user with no choice of its own hears nothing of its own (the customer-wide channels reach it)
                all.add(own.getOrDefault(type, user.isEmpty() ? NotificationDefaults.of(type) : new ChannelPreference(type, false, false, false)));
            }
            return all;
        });
    }

    public List<ChannelPreference> setPreferences(Caller caller, String customerId, String userEmail, List<ChannelPreference> given) {
        return setPreferences(caller, customerId, userEmail, given, false, null);
    }

    /**
     * Sets the channels of the listed event types and, when {@code localeGiven}, the customer's notification language
     * ({@code locale} null or blank: back to English); at least one of the two. Everything is checked before anything
     * is written, in one transaction.
     */
    public List<ChannelPreference> setPreferences(Caller caller, String customerId, String userEmail, List<ChannelPreference> given,
                                                  boolean localeGiven, String locale) {
        caller.requireWrite();
        String user = recipient(userEmail);
        String language = localeGiven ? language(locale) : null;
        if (localeGiven && (given == null || given.isEmpty())) {
            return tx.inTransaction(() -> {
                requireCustomer(caller, customerId);
                saveLocale(caller, customerId, language);
                return preferences(caller, customerId, userEmail);
            });
        }
        if (given == null || given.isEmpty()) {
            throw new AccrueException(ErrorCode.MISSING_FIELD, "preferences", "preferences lists at least one event type");
        }
        Set<String> seen = new HashSet<>();
        for (var p : given) {
            if (p.eventType() == null || !EventTypes.known(p.eventType())) {
                throw new AccrueException(ErrorCode.UNKNOWN_EVENT_TYPE, "preferences", "Unknown event type '" + p.eventType() + "'");
            }
            if (!seen.add(p.eventType())) {
                throw AccrueException.invalid("preferences", "Event type " + p.eventType() + " is given twice");
            }
        }
        return tx.inTransaction(() -> {
            requireCustomer(caller, customerId);
            repo.savePreferences(caller.tenantId(), customerId, user, given);
            if (localeGiven) {
                saveLocale(caller, customerId, language);
            }
            audit.record(caller, "customer", customerId, "notification_preferences.updated", null,
                    Map.of("user_email", user, "preferences", given.stream().map(p -> p.eventType() + ":" + (p.email() ? "email" : "") + "/"
                            + (p.inApp() ? "in_app" : "")).toList()));
            return preferences(caller, customerId, userEmail);
        });
    }

    /** The customer's notification language, or null (English). */
    public String locale(Caller caller, String customerId) {
        return tx.inTransaction(() -> {
            requireCustomer(caller, customerId);
            return repo.locale(caller.tenantId(), customerId).orElse(null);
        });
    }

    private void saveLocale(Caller caller, String customerId, String language) {
        String before = repo.locale(caller.tenantId(), customerId).orElse(null);
        repo.saveLocale(caller.tenantId(), customerId, language);
        audit.record(caller, "customer", customerId, "notification_locale.updated", before == null ? null : Map.of("locale", before),
                language == null ? null : Map.of("locale", language));
    }

    /** A BCP 47 language tag such as {@code de} or {@code de-DE}, normalized; null or blank = none (English). */
    static String language(String locale) {
        if (locale == null || locale.isBlank()) {
            return null;
        }
        if (locale.length() > 35 || !LANGUAGE_TAG.matcher(locale.strip()).matches()) {
            throw AccrueException.invalid("locale", "locale must be a language tag such as de or de-DE, got '" + (locale.length() > 35
                    ? locale.substring(0, 35) + "…" : locale) + "'");
        }
        return Locale.forLanguageTag(locale.strip()).toLanguageTag();
    }

    public NotificationRepository.Settings settings(Caller caller) {
        return tx.inTransaction(() -> repo.settings(caller.tenantId()));
    }

    public NotificationRepository.Settings setSettings(Caller caller, Integer renewalNoticeDays, Integer trialNoticeDays) {
        caller.requireWrite();
        for (var e : Map.of("renewal_notice_days", renewalNoticeDays == null ? 0 : renewalNoticeDays, "trial_notice_days",
                trialNoticeDays == null ? 0 : trialNoticeDays).entrySet()) {
            if (e.getValue() < 0 || e.getValue() > 60) {
                throw AccrueException.invalid(e.getKey(), e.getKey() + " is 0 (off) to 60 days");
            }
        }
        return tx.inTransaction(() -> {
            var before = repo.settings(caller.tenantId());
            var after = new NotificationRepository.Settings(renewalNoticeDays == null ? before.renewalNoticeDays() : renewalNoticeDays,
                    trialNoticeDays == null ? before.trialNoticeDays() : trialNoticeDays);
            repo.saveSettings(caller.tenantId(), after);
            audit.record(caller, "tenant", caller.tenantId(), "tenant.notification_settings_updated", before, after);
            return after;
        });
    }

    private void requireCustomer(Caller caller, String customerId) {
        if (customerId != null && customers.find(caller.tenantId(), customerId).isEmpty()) {
            throw AccrueException.notFound("customer", customerId);
        }
    }

    /** A user's email, lower-cased: the key of its notifications and preferences; null or blank: the customer itself. */
    private static String recipient(String userEmail) {
        if (userEmail == null || userEmail.isBlank()) {
            return "";
        }
        String e = userEmail.strip().toLowerCase(Locale.ROOT);
        if (e.length() > 254 || !EMAIL.matcher(e).matches()) {
            throw AccrueException.invalid("user_email", "user_email must be an address like ana@example.com");
        }
        return e;
    }
}
