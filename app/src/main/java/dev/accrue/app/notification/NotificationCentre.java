package dev.accrue.app.notification;

import dev.accrue.app.customer.CustomerRepository;
import dev.accrue.app.event.ConsumerPositions;
import dev.accrue.app.event.DomainEvent;
import dev.accrue.app.event.DomainEvents;
import dev.accrue.app.event.EventTypes;
import dev.accrue.app.id.Ids;
import dev.accrue.app.mail.EmailOutbox;
import dev.accrue.app.mail.OutboundEmail;
import dev.accrue.app.seller.SellerService;
import dev.accrue.app.tx.Transactions;
import dev.accrue.core.customer.Customer;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Turns committed billing events into what people read: in-app notifications and emails through the outbox, to a
 * customer (its billing emails, or the recipients it chose) and to its users who chose an event type, each on the
 * channels its preferences give (else {@link NotificationDefaults}). A batch of events, the notifications and
 * emails it makes and the consumer's new position commit together, and notifications are unique per (event,
 * recipient): consuming a batch twice notifies once.
 *
 * <p>Email pacing: at most one email per event type per recipient per {@link #PACING}. An event that comes sooner
 * (a threshold that keeps firing) waits as a digest item; when the hour is over one digest email carries every
 * waiting item of that recipient, and the hour starts again. In-app notifications are never held back.
 */
public final class NotificationCentre {
    public static final String CONSUMER = "notifications";
    public static final Duration PACING = Duration.ofHours(1);
    private final Transactions tx;
    private final DomainEvents events;
    private final ConsumerPositions positions;
    private final NotificationRepository repo;
    private final CustomerRepository customers;
    private final SellerService sellers;
    private final EmailOutbox outbox;
    private final NotificationTexts texts;
    private final Clock clock;

    public NotificationCentre(Transactions tx, DomainEvents events, ConsumerPositions positions, NotificationRepository repo, CustomerRepository customers,
                              SellerService sellers, EmailOutbox outbox, NotificationTexts texts, Clock clock) {
        this.tx = tx;
        this.events = events;
        this.positions = positions;
        this.repo = repo;
        this.customers = customers;
        this.sellers = sellers;
        this.outbox = outbox;
        this.texts = texts;
        this.clock = clock;
    }

    /**
     * Consumes up to {@code limit} events; returns how many. What the batch's events need is read once for the batch —
     * their customers, preferences and languages, one query each per tenant — and their in-app notifications go in with
     * one statement per tenant: a burst of usage alerts (hundreds of customers crossing a threshold together) cost
     * three reads and an insert per event before. Nothing in the batch writes what is read, so reading first changes nothing.
     * Emails are paced the same way: the recipients' pacing rows read (and locked) once, digest items inserted together.
     */
    public int consume(int limit) {
        return tx.inTransaction(() -> {
            DomainEvents.Position position = positions.lock(CONSUMER);
            List<DomainEvents.Recorded> batch = events.after(position, limit);
            Map<String, Known> known = known(batch);
            Map<String, List<Notification>> inApp = new LinkedHashMap<>();
            List<EmailDue> emails = new ArrayList<>();
            for (DomainEvents.Recorded r : batch) {
                notify(r.tenantId(), r.event(), known.get(r.tenantId()), inApp.computeIfAbsent(r.tenantId(), t -> new ArrayList<>()), emails);
                position = r.position();
            }
            inApp.forEach(repo::insertAll);
            sendOrDigest(emails);
            if (!batch.isEmpty()) {
                positions.save(CONSUMER, position);
            }
            return batch.size();
        });
    }

    /** One tenant's customers named by a batch's events, with their notification preferences and languages. */
    private record Known(Map<String, Customer> customers, Map<String, List<NotificationRepository.StoredPreference>> preferences,
                         Map<String, String> locales) {
    }

    private Map<String, Known> known(List<DomainEvents.Recorded> batch) {
        Map<String, Set<String>> byTenant = new LinkedHashMap<>();
        for (DomainEvents.Recorded r : batch) {
            if (r.event().customerId() != null) {
                byTenant.computeIfAbsent(r.tenantId(), t -> new LinkedHashSet<>()).add(r.event().customerId());
            }
        }
        Map<String, Known> out = new HashMap<>();
        byTenant.forEach((tenantId, ids) -> {
            Map<String, Customer> found = new HashMap<>();
            customers.findAll(tenantId, ids).forEach(c -> found.put(c.id(), c));
            out.put(tenantId, new Known(found, repo.preferences(tenantId, ids), repo.locales(tenantId, ids)));
        });
        return out;
    }

    /** Sends the digests whose pacing window is over; returns how many digest emails were queued. */
    public int flushDigests(int limit) {
        return tx.inTransaction(() -> {
            Instant now = clock.instant();
            Map<List<String>, List<NotificationRepository.DigestItem>> byRecipient = new LinkedHashMap<>();
            for (var item : repo.claimDueDigestItems(now, limit)) {
                byRecipient.computeIfAbsent(List.of(item.tenantId(), item.customerId(), item.recipient()), k -> new ArrayList<>()).add(item);
            }
            byRecipient.forEach((key, items) -> {
                String tenantId = key.get(0);
                String customerId = key.get(1);
                String recipient = key.get(2);
                var email = texts.digest(items.stream().map(i -> new NotificationTexts.Text(i.eventType(), i.title(), i.body())).toList(),
                        locale(tenantId, customerId.isEmpty() ? null : customerId));
                outbox.enqueue(tenantId, plain(customerId.isEmpty() ? null : customerId, recipient, email, "notification_digest", Ids.next("dig"), now));
                repo.markDigestSent(tenantId, customerId, recipient, items.stream().map(NotificationRepository.DigestItem::eventId).toList(), now);
                new LinkedHashSet<>(items.stream().map(NotificationRepository.DigestItem::eventType).toList())
                        .forEach(type -> repo.emailed(tenantId, customerId, recipient, type, now));
            });
            return byRecipient.size();
        });
    }

    private void notify(String tenantId, DomainEvent e, Known known, List<Notification> inApp, List<EmailDue> emails) {
        if (e.customerId() == null) {
            if (EventTypes.WEBHOOK_ENDPOINT_DISABLED.equals(e.type())) {
                notifyTenant(tenantId, e);
            }
            return;
        }
        Customer customer = known.customers().get(e.customerId());
        if (customer == null) {
            return;
        }
        Map<String, ChannelPreference> customerLevel = new LinkedHashMap<>();
        Map<String, ChannelPreference> userLevel = new LinkedHashMap<>();
        for (var p : known.preferences().getOrDefault(customer.id(), List.of())) {
            if (!p.preference().eventType().equals(e.type())) {
                continue;
            }
            (p.userEmail().isEmpty() ? customerLevel : userLevel).put(p.userEmail(), p.preference());
        }
        ChannelPreference own = customerLevel.getOrDefault("", NotificationDefaults.of(e.type()));
        String tag = known.locales().get(customer.id());
        Locale locale = tag == null ? Locale.ENGLISH : Locale.forLanguageTag(tag);
        NotificationTexts.Text text = texts.text(e, locale);
        Instant now = clock.instant();
        if (own.inApp()) {
            inApp.add(notification(customer.id(), "", e, text, now));
        }
        Set<String> emailed = new LinkedHashSet<>();
        if (own.email()) {
            for (String to : customer.billingEmails()) {
                if (emailed.add(to.toLowerCase(Locale.ROOT))) {
                    emails.add(new EmailDue(tenantId, customer.id(), to, e, text, locale, now));
                }
            }
        }
        userLevel.forEach((user, p) -> {
            if (p.inApp()) {
                inApp.add(notification(customer.id(), user, e, text, now));
            }
            if (p.email() && emailed.add(user.toLowerCase(Locale.ROOT))) {
                emails.add(new EmailDue(tenantId, customer.id(), user, e, text, locale, now));
            }
        });
    }

    private void notifyTenant(String tenantId, DomainEvent e) {
        NotificationTexts.Text text = texts.text(e);
        Instant now = clock.instant();
        repo.insert(tenantId, notification(null, "", e, text, now));
        String to = sellers.of(tenantId).email(); // the seller's contact address: the tenant's own
        if (to != null) {
            outbox.enqueue(tenantId, plain(null, to, texts.email(e), e.objectType(), e.objectId(), now));
        }
    }

    /** An email a batch's event asks for: sent now, or a digest item when its recipient is within its pacing window. */
    private record EmailDue(String tenantId, String customerId, String recipient, DomainEvent event, NotificationTexts.Text text, Locale locale,
                            Instant now) {
        NotificationRepository.Pacing pacing() {
            return new NotificationRepository.Pacing(customerId, recipient, event.type());
        }
    }

    /**
     * Each email due, in the batch's order: one email now, or a digest item when its recipient had an email of its type
     * within the pacing window — the batch's earlier emails included. Per tenant, the recipients' pacing rows are read and
     * locked with one query, and the emails, their pacing rows and the digest items written with one statement each (the
     * emails one JDBC batch): an email sent now cost an insert and a pacing upsert of its own before. All of it commits
     * with the consumer's position, so a batch consumed again (a crash before the commit, another node) writes it once.
     */
    private void sendOrDigest(List<EmailDue> emails) {
        Map<String, Map<NotificationRepository.Pacing, Instant>> last = new HashMap<>();
        Map<String, List<NotificationRepository.NewDigestItem>> digests = new LinkedHashMap<>();
        Map<String, List<OutboundEmail>> sent = new LinkedHashMap<>();
        Map<String, Map<NotificationRepository.Pacing, Instant>> paced = new LinkedHashMap<>();
        Map<String, Set<NotificationRepository.Pacing>> keys = new LinkedHashMap<>();
        emails.forEach(d -> keys.computeIfAbsent(d.tenantId(), t -> new LinkedHashSet<>()).add(d.pacing()));
        keys.forEach((tenantId, pacings) -> last.put(tenantId, repo.lastEmailed(tenantId, pacings)));
        for (EmailDue d : emails) {
            Map<NotificationRepository.Pacing, Instant> mine = last.get(d.tenantId());
            Instant before = mine.get(d.pacing());
            if (before != null && d.now().isBefore(before.plus(PACING))) {
                digests.computeIfAbsent(d.tenantId(), t -> new ArrayList<>()).add(new NotificationRepository.NewDigestItem(d.customerId(), d.recipient(),
                        d.event().id(), d.text(), before.plus(PACING), d.now()));
                continue;
            }
            DomainEvent e = d.event();
            List<OutboundEmail> out = sent.computeIfAbsent(d.tenantId(), t -> new ArrayList<>());
            if (EventTypes.INVOICE_FINALIZED.equals(e.type())) {
                // the invoice itself, with its PDF, from the document email templates
                out.add(OutboundEmail.templated(Ids.next("eml"), d.customerId(), List.of(d.recipient()), "invoice", "invoice", e.objectId(), d.now()));
            } else {
                out.add(plain(d.customerId(), d.recipient(), texts.email(e, d.locale()), e.objectType(), e.objectId(), d.now()));
            }
            paced.computeIfAbsent(d.tenantId(), t -> new LinkedHashMap<>()).put(d.pacing(), d.now());
            mine.put(d.pacing(), d.now());
        }
        sent.forEach(outbox::enqueueAll);
        paced.forEach(repo::emailedAll);
        digests.forEach(repo::addDigestItems);
    }

    /** The customer's notification language (the tenant's choice, {@code PUT …/notification_preferences}), else English. */
    private Locale locale(String tenantId, String customerId) {
        return customerId == null ? Locale.ENGLISH : repo.locale(tenantId, customerId).map(Locale::forLanguageTag).orElse(Locale.ENGLISH);
    }

    private static Notification notification(String customerId, String recipient, DomainEvent e, NotificationTexts.Text text, Instant now) {
        return new Notification(Ids.next("ntf"), customerId, recipient, e.id(), e.type(), text.title(), text.body(), now, null);
    }

    private static OutboundEmail plain(String customerId, String recipient, NotificationTexts.Email email, String objectType, String objectId,
                                       Instant now) {
        return new OutboundEmail(Ids.next("eml"), customerId, List.of(recipient), email.subject(), email.text(), email.html(), null, List.of(),
                objectType, objectId, OutboundEmail.QUEUED, 0, null, now, now, null, null);
    }
}
