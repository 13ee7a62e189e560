package dev.accrue.adapters.postgres;

import dev.accrue.app.notification.ChannelPreference;
import dev.accrue.app.notification.Notification;
import dev.accrue.app.notification.NotificationRepository;
import dev.accrue.app.notification.NotificationTexts;
import dev.accrue.app.page.Page;
import dev.accrue.app.page.PageRequest;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

public final class PostgresNotifications implements NotificationRepository {
    private final JdbiTransactions tx;

    public PostgresNotifications(JdbiTransactions tx) {
        this.tx = tx;
    }

    @Override
    public boolean insert(String tenantId, Notification n) {
        return tx.handle().createUpdate("""
                        INSERT INTO notifications (tenant_id, id, customer_id, recipient, event_id, event_type, title, body, created_at)
                        VALUES (:tenant, :id, :customer, :recipient, :event, :type, :title, :body, :at)
                        ON CONFLICT (tenant_id, event_id, recipient) DO NOTHING""")
                .bind("tenant", tenantId).bind("id", n.id()).bind("customer", n.customerId()).bind("recipient", n.recipient())
                .bind("event", n.eventId()).bind("type", n.eventType()).bind("title", n.title()).bind("body", n.body())
                .bind("at", Rows.utc(n.createdAt())).execute() == 1;
    }

    @Override
    public Page<Notification> list(String tenantId, String customerId, String recipient, boolean unreadOnly, PageRequest page) {
        return Page.fromOverfetch(tx.handle().createQuery("""
                        SELECT * FROM notifications WHERE tenant_id = :tenant AND customer_id IS NOT DISTINCT FROM :customer
                          AND recipient IN ('', :recipient) AND (NOT :unread OR read_at IS NULL)
                          AND (CAST(:after AS text) IS NULL OR id < :after)
                        ORDER BY id DESC LIMIT :limit""")
                .bind("tenant", tenantId).bind("customer", customerId).bind("recipient", recipient).bind("unread", unreadOnly)
                .bind("after", page.startingAfter()).bind("limit", page.limit() + 1).map((rs, ctx) -> notification(rs)).list(), page.limit());
    }

    @Override
    public int unreadCount(String tenantId, String customerId, String recipient) {
        return tx.handle().createQuery("""
                        SELECT count(*) FROM notifications WHERE tenant_id = :tenant AND customer_id IS NOT DISTINCT FROM :customer
                          AND recipient IN ('', :recipient) AND read_at IS NULL""")
                .bind("tenant", tenantId).bind("customer", customerId).bind("recipient", recipient).mapTo(Integer.class).one();
    }

    @Override
    public boolean markRead(String tenantId, String customerId, String id, Instant at) {
        return tx.handle().createUpdate("""
                        UPDATE notifications SET read_at = COALESCE(read_at, :at)
                        WHERE tenant_id = :tenant AND customer_id IS NOT DISTINCT FROM :customer AND id = :id""")
                .bind("tenant", tenantId).bind("customer", customerId).bind("id", id).bind("at", Rows.utc(at)).execute() == 1;
    }

    @Override
    public boolean markReadFor(String tenantId, String customerId, String recipient, String id, Instant at) {
        return tx.handle().createUpdate("""
                        UPDATE notifications SET read_at = COALESCE(read_at, :at)
                        WHERE tenant_id = :tenant AND customer_id = :customer AND recipient IN ('', :recipient) AND id = :id""")
                .bind("tenant", tenantId).bind("customer", customerId).bind("recipient", recipient).bind("id", id).bind("at", Rows.utc(at))
                .execute() == 1;
    }

    @Override
    public int markAllRead(String tenantId, String customerId, String recipient, Instant at) {
        return tx.handle().createUpdate("""
                        UPDATE notifications SET read_at = :at WHERE tenant_id = :tenant AND customer_id IS NOT DISTINCT FROM :customer
                          AND recipient IN ('', :recipient) AND read_at IS NULL""")
                .bind("tenant", tenantId).bind("customer", customerId).bind("recipient", recipient).bind("at", Rows.utc(at)).execute();
    }

    @Override
    public List<StoredPreference> preferences(String tenantId, String customerId) {
        return tx.handle().createQuery("SELECT * FROM notification_preferences WHERE tenant_id = :tenant AND customer_id = :customer ORDER BY user_email")
                .bind("tenant", tenantId).bind("customer", customerId)
                .map((rs, ctx) -> new StoredPreference(rs.getString("user_email"),
                        new ChannelPreference(rs.getString("event_type"), rs.getBoolean("email"), rs.getBoolean("in_app"), true))).list();
    }

    @Override
    public Map<String, List<StoredPreference>> preferences(String tenantId, Collection<String> customerIds) {
        Map<String, List<StoredPreference>> out = new HashMap<>();
        if (customerIds.isEmpty()) {
            return out;
        }
        tx.handle().createQuery("""
                        SELECT p.* FROM unnest(CAST(:customers AS text[])) AS i(customer_id)
                        JOIN notification_preferences p ON p.tenant_id = :tenant AND p.customer_id = i.customer_id
                        ORDER BY p.customer_id, p.user_email""")
                .bind("tenant", tenantId).bindArray("customers", String.class, List.copyOf(customerIds))
                .map((rs, ctx) -> Map.entry(rs.getString("customer_id"), new StoredPreference(rs.getString("user_email"),
                        new ChannelPreference(rs.getString("event_type"), rs.getBoolean("email"), rs.getBoolean("in_app"), true))))
                .forEach(e -> out.computeIfAbsent(e.getKey(), c -> new ArrayList<>()).add(e.getValue()));
        return out;
    }

    @Override
    public void insertAll(String tenantId, List<Notification> ns) {
        if (ns.isEmpty()) {
            return;
        }
        // one statement for a consumer batch's notifications; WITH ORDINALITY keeps the list's order
        tx.handle().createUpdate("""
                        INSERT INTO notifications (tenant_id, id, customer_id, recipient, event_id, event_type, title, body, created_at)
                        SELECT :tenant, n.id, n.customer_id, n.recipient, n.event_id, n.event_type, n.title, n.body, n.created_at
                        FROM unnest(CAST(:ids AS text[]), CAST(:customers AS text[]), CAST(:recipients AS text[]), CAST(:events AS text[]),
                                    CAST(:types AS text[]), CAST(:titles AS text[]), CAST(:bodies AS text[]), CAST(:ats AS timestamptz[]))
                             WITH ORDINALITY AS n(id, customer_id, recipient, event_id, event_type, title, body, created_at, ord)
                        ORDER BY n.ord
                        ON CONFLICT (tenant_id, event_id, recipient) DO NOTHING""")
                .bind("tenant", tenantId)
                .bindArray("ids", String.class, ns.stream().map(Notification::id).toList())
                .bindArray("customers", String.class, ns.stream().map(Notification::customerId).toList())
                .bindArray("recipients", String.class, ns.stream().map(Notification::recipient).toList())
                .bindArray("events", String.class, ns.stream().map(Notification::eventId).toList())
                .bindArray("types", String.class, ns.stream().map(Notification::eventType).toList())
                .bindArray("titles", String.class, ns.stream().map(Notification::title).toList())
                .bindArray("bodies", String.class, ns.stream().map(Notification::body).toList())
                .bindArray("ats", String.class, ns.stream().map(n -> n.createdAt().toString()).toList())
                .execute();
    }

    @Override
    public void savePreferences(String tenantId, String customerId, String userEmail, List<ChannelPreference> preferences) {
        var batch = tx.handle().prepareBatch("""
                INSERT INTO notification_preferences (tenant_id, customer_id, user_email, event_type, email, in_app)
                VALUES (:tenant, :customer, :user, :type, :email, :inApp)
                ON CONFLICT (tenant_id, customer_id, user_email, event_type) DO UPDATE SET email = EXCLUDED.email, in_app = EXCLUDED.in_app""");
        for (ChannelPreference p : preferences) {
            batch.bind("tenant", tenantId).bind("customer", customerId).bind("user", userEmail).bind("type", p.eventType())
                    .bind("email", p.email()).bind("inApp", p.inApp()).add();
        }
        batch.execute();
    }

    @Override
    public Optional<Instant> lastEmailed(String tenantId, String customerId, String recipient, String eventType) {
        return tx.handle().createQuery("""
                        SELECT last_sent_at FROM notification_email_pacing
                        WHERE tenant_id = :tenant AND customer_id = :customer AND recipient = :recipient AND event_type = :type FOR UPDATE""")
                .bind("tenant", tenantId).bind("customer", customerId == null ? "" : customerId).bind("recipient", recipient).bind("type", eventType)
                .map((rs, ctx) -> Rows.instant(rs, "last_sent_at")).findOne();
    }

    @Override
    public void emailed(String tenantId, String customerId, String recipient, String eventType, Instant at) {
        tx.handle().createUpdate("""
                        INSERT INTO notification_email_pacing (tenant_id, customer_id, recipient, event_type, last_sent_at)
                        VALUES (:tenant, :customer, :recipient, :type, :at)
                        ON CONFLICT (tenant_id, customer_id, recipient, event_type) DO UPDATE SET last_sent_at = EXCLUDED.last_sent_at""")
                .bind("tenant", tenantId).bind("customer", customerId == null ? "" : customerId).bind("recipient", recipient).bind("type", eventType)
                .bind("at", Rows.utc(at)).execute();
    }

    @Override
    public void emailedAll(String tenantId, Map<Pacing, Instant> sent) {
        if (sent.isEmpty()) {
            return;
        }
        List<Map.Entry<Pacing, Instant>> rows = List.copyOf(sent.entrySet()); // a map: each key once, as ON CONFLICT DO UPDATE requires
        tx.handle().createUpdate("""
                        INSERT INTO notification_email_pacing (tenant_id, customer_id, recipient, event_type, last_sent_at)
                        SELECT :tenant, k.customer_id, k.recipient, k.event_type, k.at
                        FROM unnest(CAST(:customers AS text[]), CAST(:recipients AS text[]), CAST(:types AS text[]), CAST(:ats AS timestamptz[]))
                             AS k(customer_id, recipient, event_type, at)
                        ON CONFLICT (tenant_id, customer_id, recipient, event_type) DO UPDATE SET last_sent_at = EXCLUDED.last_sent_at""")
                .bind("tenant", tenantId)
                .bindArray("customers", String.class, rows.stream().map(e -> e.getKey().customerId() == null ? "" : e.getKey().customerId()).toList())
                .bindArray("recipients", String.class, rows.stream().map(e -> e.getKey().recipient()).toList())
                .bindArray("types", String.class, rows.stream().map(e -> e.getKey().eventType()).toList())
                .bindArray("ats", String.class, rows.stream().map(e -> e.getValue().toString()).toList())
                .execute();
    }

    @Override
    public Map<Pacing, Instant> lastEmailed(String tenantId, Collection<Pacing> pacings) {
        Map<Pacing, Instant> out = new HashMap<>();
        if (pacings.isEmpty()) {
            return out;
        }
        List<Pacing> keys = List.copyOf(pacings);
        tx.handle().createQuery("""
                        SELECT p.customer_id, p.recipient, p.event_type, p.last_sent_at
                        FROM unnest(CAST(:customers AS text[]), CAST(:recipients AS text[]), CAST(:types AS text[])) AS k(customer_id, recipient, event_type)
                        JOIN notification_email_pacing p ON p.tenant_id = :tenant AND p.customer_id = k.customer_id AND p.recipient = k.recipient
                          AND p.event_type = k.event_type
                        FOR UPDATE OF p""")
                .bind("tenant", tenantId)
                .bindArray("customers", String.class, keys.stream().map(k -> k.customerId() == null ? "" : k.customerId()).toList())
                .bindArray("recipients", String.class, keys.stream().map(Pacing::recipient).toList())
                .bindArray("types", String.class, keys.stream().map(Pacing::eventType).toList())
                .map((rs, ctx) -> Map.entry(new Pacing(rs.getString("customer_id"), rs.getString("recipient"), rs.getString("event_type")),
                        Rows.instant(rs, "last_sent_at")))
                .forEach(e -> out.put(e.getKey(), e.getValue()));
        return out;
    }

    @Override
    public void addDigestItems(String tenantId, List<NewDigestItem> items) {
        if (items.isEmpty()) {
            return;
        }
        tx.handle().createUpdate("""
                        INSERT INTO notification_digest_items (tenant_id, customer_id, recipient, event_id, event_type, title, body, due_at, created_at)
                        SELECT :tenant, i.customer_id, i.recipient, i.event_id, i.event_type, i.title, i.body, i.due_at, i.created_at
                        FROM unnest(CAST(:customers AS text[]), CAST(:recipients AS text[]), CAST(:events AS text[]), CAST(:types AS text[]),
                                    CAST(:titles AS text[]), CAST(:bodies AS text[]), CAST(:dues AS timestamptz[]), CAST(:ats AS timestamptz[]))
                             AS i(customer_id, recipient, event_id, event_type, title, body, due_at, created_at)
                        ON CONFLICT DO NOTHING""")
                .bind("tenant", tenantId)
                .bindArray("customers", String.class, items.stream().map(i -> i.customerId() == null ? "" : i.customerId()).toList())
                .bindArray("recipients", String.class, items.stream().map(NewDigestItem::recipient).toList())
                .bindArray("events", String.class, items.stream().map(NewDigestItem::eventId).toList())
                .bindArray("types", String.class, items.stream().map(i -> i.text().eventType()).toList())
                .bindArray("titles", String.class, items.stream().map(i -> i.text().title()).toList())
                .bindArray("bodies", String.class, items.stream().map(i -> i.text().body()).toList())
                .bindArray("dues", String.class, items.stream().map(i -> i.dueAt().toString()).toList())
                .bindArray("ats", String.class, items.stream().map(i -> i.at().toString()).toList())
                .execute();
    }

    @Override
    public void addDigestItem(String tenantId, String customerId, String recipient, String eventId, NotificationTexts.Text text, Instant dueAt,
                              Instant at) {
        tx.handle().createUpdate("""
                        INSERT INTO notification_digest_items (tenant_id, customer_id, recipient, event_id, event_type, title, body, due_at, created_at)
                        VALUES (:tenant, :customer, :recipient, :event, :type, :title, :body, :due, :at) ON CONFLICT DO NOTHING""")
                .bind("tenant", tenantId).bind("customer", customerId == null ? "" : customerId).bind("recipient", recipient).bind("event", eventId)
                .bind("type", text.eventType()).bind("title", text.title()).bind("body", text.body()).bind("due", Rows.utc(dueAt))
                .bind("at", Rows.utc(at)).execute();
    }

    @Override
    public List<DigestItem> claimDueDigestItems(Instant now, int limit) {
        // every waiting item of a recipient whose oldest item is due leaves in the same digest
        return tx.handle().createQuery("""
                        SELECT i.* FROM notification_digest_items i
                        WHERE i.sent_at IS NULL AND (i.tenant_id, i.customer_id, i.recipient) IN (
                          SELECT tenant_id, customer_id, recipient FROM notification_digest_items WHERE sent_at IS NULL AND due_at <= :now LIMIT :limit)
                        ORDER BY i.tenant_id, i.customer_id, i.recipient, i.created_at FOR UPDATE SKIP LOCKED""")
                .bind("now", Rows.utc(now)).bind("limit", limit)
                .map((rs, ctx) -> new DigestItem(rs.getString("tenant_id"), rs.getString("customer_id"), rs.getString("recipient"),
                        rs.getString("event_id"), rs.getString("event_type"), rs.getString("title"), rs.getString("body"))).list();
    }

    @Override
    public void markDigestSent(String tenantId, String customerId, String recipient, List<String> eventIds, Instant at) {
        tx.handle().createUpdate("""
                        UPDATE notification_digest_items SET sent_at = :at
                        WHERE tenant_id = :tenant AND customer_id = :customer AND recipient = :recipient AND event_id = ANY (:events)""")
                .bind("tenant", tenantId).bind("customer", customerId).bind("recipient", recipient).bind("events", eventIds.toArray(String[]::new))
                .bind("at", Rows.utc(at)).execute();
    }

    @Override
    public List<DueReminder> recordDueReminders(Instant now, int limit) {
        return tx.handle().createQuery("""
                        WITH local AS (
                          SELECT s.tenant_id, s.id, s.next_bill_date, s.trial_end, s.cancel_at_period_end,
                                 (COALESCE(tc.frozen_time, :now) AT TIME ZONE c.time_zone)::date AS today,
                                 COALESCE(ns.renewal_notice_days, :renewalDays) AS renewal_days, COALESCE(ns.trial_notice_days, :trialDays) AS trial_days
                          FROM subscriptions s
                          JOIN customers c ON c.tenant_id = s.tenant_id AND c.id = s.customer_id
                          LEFT JOIN test_clocks tc ON tc.tenant_id = c.tenant_id AND tc.id = c.test_clock_id
                          LEFT JOIN notification_settings ns ON ns.tenant_id = s.tenant_id
                          WHERE s.ended_on IS NULL),
                        due AS (
                          SELECT tenant_id, id, 'renewing' AS kind, next_bill_date AS about FROM local
                          WHERE NOT cancel_at_period_end AND (trial_end IS NULL OR trial_end < next_bill_date)
                            AND next_bill_date - renewal_days <= today AND today < next_bill_date
                          UNION ALL
                          SELECT tenant_id, id, 'trial_ending', trial_end FROM local
                          WHERE trial_end IS NOT NULL AND trial_end - trial_days <= today AND today < trial_end)
                        INSERT INTO subscription_reminders (tenant_id, subscription_id, kind, about, recorded_at)
                        SELECT d.tenant_id, d.id, d.kind, d.about, :now FROM due d
                        WHERE NOT EXISTS (SELECT 1 FROM subscription_reminders r WHERE r.tenant_id = d.tenant_id AND r.subscription_id = d.id
                                            AND r.kind = d.kind AND r.about = d.about)
                        LIMIT :limit
                        ON CONFLICT DO NOTHING
                        RETURNING tenant_id, subscription_id, kind, about""")
                .bind("now", Rows.utc(now)).bind("limit", limit).bind("renewalDays", Settings.DEFAULT.renewalNoticeDays())
                .bind("trialDays", Settings.DEFAULT.trialNoticeDays())
                .map((rs, ctx) -> new DueReminder(rs.getString("tenant_id"), rs.getString("subscription_id"), rs.getString("kind"),
                        rs.getObject("about", LocalDate.class))).list();
    }

    @Override
    public Settings settings(String tenantId) {
        return tx.handle().createQuery("SELECT * FROM notification_settings WHERE tenant_id = :tenant").bind("tenant", tenantId)
                .map((rs, ctx) -> new Settings(rs.getInt("renewal_notice_days"), rs.getInt("trial_notice_days"))).findOne().orElse(Settings.DEFAULT);
    }

    @Override
    public void saveSettings(String tenantId, Settings s) {
        tx.handle().createUpdate("""
                        INSERT INTO notification_settings (tenant_id, renewal_notice_days, trial_notice_days) VALUES (:tenant, :renewal, :trial)
                        ON CONFLICT (tenant_id) DO UPDATE SET renewal_notice_days = EXCLUDED.renewal_notice_days, trial_notice_days = EXCLUDED.trial_notice_days""")
                .bind("tenant", tenantId).bind("renewal", s.renewalNoticeDays()).bind("trial", s.trialNoticeDays()).execute();
    }

    private static Notification notification(ResultSet rs) throws SQLException {
        return new Notification(rs.getString("id"), rs.getString("customer_id"), rs.getString("recipient"), rs.getString("event_id"),
                rs.getString("event_type"), rs.getString("title"), rs.getString("body"), Rows.instant(rs, "created_at"), Rows.instant(rs, "read_at"));
    }

    @Override
    public Optional<String> locale(String tenantId, String customerId) {
        return tx.handle().createQuery("SELECT locale FROM customer_notification_locales WHERE tenant_id = :tenant AND customer_id = :customer")
                .bind("tenant", tenantId).bind("customer", customerId).mapTo(String.class).findOne();
    }

    @Override
    public Map<String, String> locales(String tenantId, Collection<String> customerIds) {
        Map<String, String> out = new HashMap<>();
        if (customerIds.isEmpty()) {
            return out;
        }
        tx.handle().createQuery("""
                        SELECT l.customer_id, l.locale FROM unnest(CAST(:customers AS text[])) AS i(customer_id)
                        JOIN customer_notification_locales l ON l.tenant_id = :tenant AND l.customer_id = i.customer_id""")
                .bind("tenant", tenantId).bindArray("customers", String.class, List.copyOf(customerIds))
                .map((rs, ctx) -> Map.entry(rs.getString("customer_id"), rs.getString("locale"))).forEach(e -> out.put(e.getKey(), e.getValue()));
        return out;
    }

    @Override
    public void saveLocale(String tenantId, String customerId, String locale) {
        if (locale == null) {
            tx.handle().createUpdate("DELETE FROM customer_notification_locales WHERE tenant_id = :tenant AND customer_id = :customer")
                    .bind("tenant", tenantId).bind("customer", customerId).execute();
            return;
        }
        tx.handle().createUpdate("""
                        INSERT INTO customer_notification_locales (tenant_id, customer_id, locale) VALUES (:tenant, :customer, :locale)
                        ON CONFLICT (tenant_id, customer_id) DO UPDATE SET locale = excluded.locale""")
                .bind("tenant", tenantId).bind("customer", customerId).bind("locale", locale).execute();
    }
}
