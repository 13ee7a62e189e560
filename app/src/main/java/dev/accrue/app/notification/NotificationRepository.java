package dev.accrue.app.notification;

import dev.accrue.app.page.Page;
import dev.accrue.app.page.PageRequest;

import java.time.Instant;
import java.time.LocalDate;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** In-app notifications, channel preferences, email pacing and digests, reminders, per-tenant settings. */
public interface NotificationRepository {
    /** Inserts unless this recipient already has a notification of this event; true when inserted. */
    boolean insert(String tenantId, Notification n);

    /** A customer's notifications (customerId null: the tenant's own) for {@code recipient} and customer-wide ones, newest first. */
    Page<Notification> list(String tenantId, String customerId, String recipient, boolean unreadOnly, PageRequest page);

    int unreadCount(String tenantId, String customerId, String recipient);

    boolean markRead(String tenantId, String customerId, String id, Instant at);

    /** Marks read only a notification addressed to {@code recipient} or to the whole customer (recipient ''). */
    boolean markReadFor(String tenantId, String customerId, String recipient, String id, Instant at);

    int markAllRead(String tenantId, String customerId, String recipient, Instant at);

    /** Every preference row of a customer (its own, user_email '', and its users'). */
    List<StoredPreference> preferences(String tenantId, String customerId);

    /** {@link #preferences(String, String)} of several customers in one query, by customer (customers without any left out). */
    Map<String, List<StoredPreference>> preferences(String tenantId, Collection<String> customerIds);

    /** {@link #insert} of several notifications in one statement (each unless its recipient already has one of its event). */
    void insertAll(String tenantId, List<Notification> notifications);

    /** Replaces the given types' rows for one customer or user. */
    void savePreferences(String tenantId, String customerId, String userEmail, List<ChannelPreference> preferences);

    Optional<Instant> lastEmailed(String tenantId, String customerId, String recipient, String eventType);

    void emailed(String tenantId, String customerId, String recipient, String eventType, Instant at);

    /** {@link #emailed} of several recipients' event types in one statement (each key once). */
    default void emailedAll(String tenantId, Map<Pacing, Instant> sent) {
        sent.forEach((k, at) -> emailed(tenantId, k.customerId(), k.recipient(), k.eventType(), at));
    }

    /** {@link #lastEmailed} of several recipients' event types in one query, their rows locked; those never emailed left out. */
    Map<Pacing, Instant> lastEmailed(String tenantId, Collection<Pacing> pacings);

    void addDigestItem(String tenantId, String customerId, String recipient, String eventId, NotificationTexts.Text text, Instant dueAt, Instant at);

    /** {@link #addDigestItem} of several items in one statement. */
    void addDigestItems(String tenantId, List<NewDigestItem> items);

    /** Digest items due at {@code now}, locked (SKIP LOCKED), grouped by recipient by the caller. */
    List<DigestItem> claimDueDigestItems(Instant now, int limit);

    void markDigestSent(String tenantId, String customerId, String recipient, List<String> eventIds, Instant at);

    /**
     * Records the renewal and trial-end reminders due at {@code now} in each customer's own time (a test clock's
     * frozen time for its customers) that were not recorded yet, and returns them: a reminder is due from
     * {@code notice days} before its date until the date.
     */
    List<DueReminder> recordDueReminders(Instant now, int limit);

    Settings settings(String tenantId);

    void saveSettings(String tenantId, Settings settings);

    /** The language the customer's notifications and emails are written in (a BCP 47 tag), if the tenant chose one. */
    Optional<String> locale(String tenantId, String customerId);

    /** {@link #locale} of several customers in one query: the chosen tags by customer (customers without one left out). */
    Map<String, String> locales(String tenantId, Collection<String> customerIds);

    /** Sets ({@code locale} null: removes) the customer's notification language. */
    void saveLocale(String tenantId, String customerId, String locale);

    record StoredPreference(String userEmail, ChannelPreference preference) {
    }

    /** Whom emails of which event type are paced for: a customer's recipient (customer '' for the tenant's own). */
    record Pacing(String customerId, String recipient, String eventType) {
    }

    /** A digest item to add: the event's words for the recipient's next digest, due when its pacing window ends. */
    record NewDigestItem(String customerId, String recipient, String eventId, NotificationTexts.Text text, Instant dueAt, Instant at) {
    }

    record DigestItem(String tenantId, String customerId, String recipient, String eventId, String eventType, String title, String body) {
    }

    record DueReminder(String tenantId, String subscriptionId, String kind, LocalDate about) {
    }

    /** Days before a renewal (and a trial end) the reminder event is recorded; 0 turns it off. */
    record Settings(int renewalNoticeDays, int trialNoticeDays) {
        public static final Settings DEFAULT = new Settings(7, 3);
    }
}
