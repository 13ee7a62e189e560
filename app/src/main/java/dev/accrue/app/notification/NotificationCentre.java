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
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
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

    /** Consumes up to {@code limit} events; returns how many. */
    public int consume(int limit) {
        return tx.inTransaction(() -> {
            DomainEvents.Position position = positions.lock(CONSUMER);
            List<DomainEvents.Recorded> batch = events.after(position, limit);
            for (DomainEvents.Recorded r : batch) {
                notify(r.tenantId(), r.event());
                position = r.position();
            }
            if (!batch.isEmpty()) {
                positions.save(CONSUMER, position);
            }
            return batch.size();
        });
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

    private void notify(String tenantId, DomainEvent e) {
        if (e.customerId() == null) {
            if (EventTypes.WEBHOOK_ENDPOINT_DISABLED.equals(e.type())) {
                notifyTenant(tenantId, e);
            }
            return;
        }
        Optional<Customer> found = customers.find(tenantId, e.customerId());
        if (found.isEmpty()) {
            return;
        }
        Customer customer = found.get();
        Map<String, ChannelPreference> customerLevel = new LinkedHashMap<>();
        Map<String, ChannelPreference> userLevel = new LinkedHashMap<>();
        for (var p : repo.preferences(tenantId, customer.id())) {
            if (!p.preference().eventType().equals(e.type())) {
                continue;
            }
            (p.userEmail().isEmpty() ? customerLevel : userLevel).put(p.userEmail(), p.preference());
        }
        ChannelPreference own = customerLevel.getOrDefault("", NotificationDefaults.of(e.type()));
        Locale locale = locale(tenantId, customer.id());
        NotificationTexts.Text text = texts.text(e, locale);
        Instant now = clock.instant();
        if (own.inApp()) {
            repo.insert(tenantId, notification(customer.id(), "", e, text, now));
        }
        Set<String> emailed = new LinkedHashSet<>();
        if (own.email()) {
            for (String to : customer.billingEmails()) {
                if (emailed.add(to.toLowerCase(Locale.ROOT))) {
                    email(tenantId, customer.id(), to, e, text, locale, now);
                }
            }
        }
        userLevel.forEach((user, p) -> {
            if (p.inApp()) {
                repo.insert(tenantId, notification(customer.id(), user, e, text, now));
            }
            if (p.email() && emailed.add(user.toLowerCase(Locale.ROOT))) {
                email(tenantId, customer.id(), user, e, text, locale, now);
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

    /** One email now, or a digest item when this recipient had an email of this type within the pacing window. */
    private void email(String tenantId, String customerId, String recipient, DomainEvent e, NotificationTexts.Text text, Locale locale,
                       Instant now) {
        Optional<Instant> last = repo.lastEmailed(tenantId, customerId, recipient, e.type());
        if (last.isPresent() && now.isBefore(last.get().plus(PACING))) {
            repo.addDigestItem(tenantId, customerId, recipient, e.id(), text, last.get().plus(PACING), now);
            return;
        }
        if (EventTypes.INVOICE_FINALIZED.equals(e.type())) {
            // the invoice itself, with its PDF, from the document email templates
            outbox.enqueue(tenantId, OutboundEmail.templated(Ids.next("eml"), customerId, List.of(recipient), "invoice", "invoice", e.objectId(), now));
        } else {
            outbox.enqueue(tenantId, plain(customerId, recipient, texts.email(e, locale), e.objectType(), e.objectId(), now));
        }
        repo.emailed(tenantId, customerId, recipient, e.type(), now);
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
