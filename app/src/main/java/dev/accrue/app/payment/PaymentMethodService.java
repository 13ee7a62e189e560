package dev.accrue.app.payment;

import dev.accrue.app.audit.AuditLog;
import dev.accrue.app.auth.Caller;
import dev.accrue.app.billing.CustomerTime;
import dev.accrue.app.customer.CustomerRepository;
import dev.accrue.app.event.DomainEvent;
import dev.accrue.app.event.DomainEvents;
import dev.accrue.app.event.EventTypes;
import dev.accrue.app.id.Ids;
import dev.accrue.app.payment.gateway.BrowserSetups;
import dev.accrue.app.payment.gateway.GatewayMethod;
import dev.accrue.app.payment.gateway.GatewayOutcome;
import dev.accrue.app.payment.gateway.PaymentGateway;
import dev.accrue.app.subscription.SubscriptionRepository;
import dev.accrue.app.tx.Transactions;
import dev.accrue.core.customer.BillingAddress;
import dev.accrue.core.customer.CollectionMethod;
import dev.accrue.core.customer.Customer;
import dev.accrue.core.customer.CustomerDraft;
import dev.accrue.core.customer.CustomerRules;
import dev.accrue.core.error.AccrueException;
import dev.accrue.core.error.ErrorCode;
import dev.accrue.core.subscription.SubscriptionStatus;

import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A customer's saved payment methods: added from a gateway token (attached and verified by the gateway, refused
 * when declined or of a card brand the tenant does not accept), the default first and backups in an explicit
 * order, expiry and billing address updated in place, removal refused for the last method while a subscription
 * billed by auto-pay is live. Only the token, brand, last four digits, expiry and billing address are kept.
 */
public final class PaymentMethodService {
    private final Transactions tx;
    private final PaymentMethodRepository methods;
    private final CustomerRepository customers;
    private final SubscriptionRepository subscriptions;
    private final PaymentGateway gateway;
    private final Dunning dunning;
    private final AuditLog audit;
    private final DomainEvents events;
    private final CustomerTime time;

    public PaymentMethodService(Transactions tx, PaymentMethodRepository methods, CustomerRepository customers, SubscriptionRepository subscriptions,
                                PaymentGateway gateway, Dunning dunning, AuditLog audit, DomainEvents events, CustomerTime time) {
        this.tx = tx;
        this.methods = methods;
        this.customers = customers;
        this.subscriptions = subscriptions;
        this.gateway = gateway;
        this.dunning = dunning;
        this.audit = audit;
        this.events = events;
        this.time = time;
    }

    /** {@code priority}: 1 makes it the default, n puts it n-th; null appends it as the last backup (the default when it is the first). */
    public record NewMethod(String token, CustomerDraft.AddressDraft billingAddress, Integer priority) {
    }

    public record Change(Integer expMonth, Integer expYear, CustomerDraft.AddressDraft billingAddress, Integer priority) {
    }

    public PaymentMethod add(Caller caller, String customerId, NewMethod request) {
        caller.requireWrite();
        if (request.token() == null || request.token().isBlank()) {
            throw new AccrueException(ErrorCode.MISSING_FIELD, "token", "token (from the gateway's tokenization) is required");
        }
        BillingAddress address = request.billingAddress() == null ? null : CustomerRules.billingAddress(request.billingAddress());
        if (request.priority() != null && request.priority() < 1) {
            throw AccrueException.invalid("priority", "priority is 1 (the default) or more");
        }
        Customer customer = customer(caller.tenantId(), customerId);
        PaymentSettings settings = tx.inTransaction(() -> settings(caller.tenantId()));
        // the gateway's customer record is created (idempotently, by key) before attaching, but Accrue stores its
        // reference only with the method: a refused request leaves no row behind
        String gatewayCustomer = gatewayCustomer(caller.tenantId(), customer);
        PaymentGateway.Attachment attached = gateway.attach(request.token(), gatewayCustomer, "attach:" + caller.tenantId() + ":" + request.token());
        if (attached.outcome() instanceof GatewayOutcome.Declined d) {
            if ("invalid_token".equals(d.code())) {
                throw new AccrueException(ErrorCode.INVALID_TOKEN, "token", "The gateway does not know this token, or it was used already");
            }
            throw new AccrueException(ErrorCode.PAYMENT_METHOD_DECLINED, "token", "Verifying the payment method was declined: " + d.message(),
                    Map.of("decline_code", d.code()));
        }
        if (attached.outcome() instanceof GatewayOutcome.Unreachable u) {
            throw new AccrueException(ErrorCode.PAYMENT_METHOD_DECLINED, "token", "The payment gateway could not be reached (" + u.message() + "); try again",
                    Map.of("decline_code", "gateway_unreachable"));
        }
        GatewayMethod m = attached.method();
        if (!settings.accepts(m.kind(), m.brand())) {
            gateway.detach(m.token());
            throw new AccrueException(ErrorCode.CARD_BRAND_NOT_ACCEPTED, "token", "This business does not accept " + m.brand() + " cards; accepted: "
                    + String.join(", ", settings.acceptedCardBrands()));
        }
        return tx.inTransaction(() -> {
            methods.lockCustomer(caller.tenantId(), customerId);
            methods.saveGatewayCustomer(caller.tenantId(), customerId, gateway.name(), gatewayCustomer);
            Instant now = time.systemNow();
            List<PaymentMethod> ordered = new ArrayList<>(methods.active(caller.tenantId(), customerId));
            PaymentMethod created = new PaymentMethod(Ids.next("pm"), customerId, gateway.name(), m.token(), m.kind(), m.brand(), m.last4(), m.expMonth(),
                    m.expYear(), m.mandateReference(), address, null, PaymentMethod.ACTIVE, now, now);
            int at = request.priority() == null ? ordered.size() : Math.min(request.priority() - 1, ordered.size());
            ordered.add(at, created);
            methods.insert(caller.tenantId(), created.withPriority(at + 1));
            renumber(caller.tenantId(), ordered, now);
            PaymentMethod stored = methods.find(caller.tenantId(), customerId, created.id()).orElseThrow();
            audit.record(caller, "customer", customerId, "payment_method.added", null, snapshot(stored));
            events.record(caller.tenantId(), new DomainEvent(Ids.next("evt"), EventTypes.PAYMENT_METHOD_ADDED, "payment_method", stored.id(), customerId,
                    snapshot(stored), time.now(caller.tenantId(), customer)));
            dunning.methodAdded(caller.tenantId(), customer);
            return stored;
        });
    }

    /**
     * Starts a browser-confirmed setup (Stripe Elements) for the customer: the gateway customer is created (idempotently)
     * and an unconfirmed setup for off-session use is opened on it; its client secret goes to the customer's browser,
     * which confirms it in the gateway's form, and the confirmed setup's id is then {@link #add added} as the token.
     * Refused ({@code validation_failed}) when the node's gateway tokenizes directly (the sandbox).
     */
    public BrowserSetups.Setup beginBrowserSetup(Caller caller, String customerId, String requestKey) {
        caller.requireWrite();
        if (!(gateway instanceof BrowserSetups setups)) {
            throw AccrueException.invalid("gateway", "The " + gateway.name() + " gateway tokenizes methods directly; there is no setup to start");
        }
        Customer customer = customer(caller.tenantId(), customerId);
        String gatewayCustomer = gatewayCustomer(caller.tenantId(), customer);
        return setups.begin(gatewayCustomer, "setup:" + caller.tenantId() + ":" + customerId + ":" + requestKey);
    }

    /** {@link #beginBrowserSetup} for a SEPA Direct Debit mandate only (the portal's IBAN form). */
    public BrowserSetups.Setup beginSepaDebitSetup(Caller caller, String customerId, String requestKey) {
        caller.requireWrite();
        if (!(gateway instanceof BrowserSetups setups)) {
            throw AccrueException.invalid("gateway", "The " + gateway.name() + " gateway tokenizes methods directly; there is no setup to start");
        }
        Customer customer = customer(caller.tenantId(), customerId);
        String gatewayCustomer = gatewayCustomer(caller.tenantId(), customer);
        return setups.beginSepaDebit(gatewayCustomer, "setup-sepa:" + caller.tenantId() + ":" + customerId + ":" + requestKey);
    }

    /** Which gateway tokenizes new methods ("sandbox", "stripe"): the portal shows that gateway's card form. */
    public String gatewayName() {
        return gateway.name();
    }

    public List<PaymentMethod> list(Caller caller, String customerId) {
        return tx.inTransaction(() -> {
            customer(caller.tenantId(), customerId);
            return methods.active(caller.tenantId(), customerId);
        });
    }

    public PaymentMethod get(Caller caller, String customerId, String id) {
        return tx.inTransaction(() -> methods.find(caller.tenantId(), customerId, id).filter(m -> m.status().equals(PaymentMethod.ACTIVE))
                .orElseThrow(() -> AccrueException.notFound("payment_method", id)));
    }

    /** Updates expiry (cards) and billing address in place, and moves the method to {@code priority} (1 = default). */
    public PaymentMethod update(Caller caller, String customerId, String id, Change change) {
        caller.requireWrite();
        BillingAddress address = change.billingAddress() == null ? null : CustomerRules.billingAddress(change.billingAddress());
        return tx.inTransaction(() -> {
            methods.lockCustomer(caller.tenantId(), customerId);
            PaymentMethod before = get(caller, customerId, id);
            Integer month = change.expMonth() == null ? before.expMonth() : change.expMonth();
            Integer year = change.expYear() == null ? before.expYear() : change.expYear();
            if ((change.expMonth() != null || change.expYear() != null) && !"card".equals(before.kind())) {
                throw AccrueException.invalid(change.expMonth() != null ? "exp_month" : "exp_year", "Only cards have an expiry");
            }
            if (month != null && (month < 1 || month > 12)) {
                throw AccrueException.invalid("exp_month", "exp_month must be 1-12");
            }
            if (year != null && (year < 2000 || year > 2100)) {
                throw AccrueException.invalid("exp_year", "exp_year must be a four-digit year");
            }
            Customer customer = customer(caller.tenantId(), customerId);
            LocalDate today = time.today(caller.tenantId(), customer);
            if (change.expMonth() != null || change.expYear() != null) {
                if (year < today.getYear() || (year == today.getYear() && month < today.getMonthValue())) {
                    throw AccrueException.invalid("exp_year", "The new expiry " + month + "/" + year + " is in the past");
                }
            }
            if (change.priority() != null && change.priority() < 1) {
                throw AccrueException.invalid("priority", "priority is 1 (the default) or more");
            }
            Instant now = time.systemNow();
            PaymentMethod after = new PaymentMethod(before.id(), before.customerId(), before.gateway(), before.token(), before.kind(), before.brand(),
                    before.last4(), month, year, before.mandateReference(), address == null ? before.billingAddress() : address, before.priority(),
                    before.status(), before.createdAt(), now);
            methods.update(caller.tenantId(), after, now);
            if (change.priority() != null) {
                List<PaymentMethod> ordered = new ArrayList<>(methods.active(caller.tenantId(), customerId));
                ordered.removeIf(m -> m.id().equals(id));
                ordered.add(Math.min(change.priority() - 1, ordered.size()), after);
                renumber(caller.tenantId(), ordered, now);
            }
            PaymentMethod stored = get(caller, customerId, id);
            audit.record(caller, "customer", customerId, "payment_method.updated", snapshot(before), snapshot(stored));
            if (change.expMonth() != null || change.expYear() != null) {
                dunning.methodAdded(caller.tenantId(), customer); // a renewed card may pay what its expiry refused
            }
            return stored;
        });
    }

    public PaymentMethod makeDefault(Caller caller, String customerId, String id) {
        return update(caller, customerId, id, new Change(null, null, null, 1));
    }

    /**
     * Removes the method (the gateway detaches it). The last method of a customer billed by auto-pay with a live
     * subscription is refused ({@code last_payment_method}): add the replacement first.
     */
    public void remove(Caller caller, String customerId, String id) {
        caller.requireWrite();
        PaymentMethod removed = tx.inTransaction(() -> {
            methods.lockCustomer(caller.tenantId(), customerId);
            PaymentMethod before = get(caller, customerId, id);
            Customer customer = customer(caller.tenantId(), customerId);
            List<PaymentMethod> ordered = new ArrayList<>(methods.active(caller.tenantId(), customerId));
            if (ordered.size() == 1 && customer.paymentTerms().collectionMethod() == CollectionMethod.AUTO_PAY) {
                LocalDate today = time.today(caller.tenantId(), customer);
                List<String> live = subscriptions.forCustomer(caller.tenantId(), customerId).stream()
                        .filter(s -> s.statusOn(today) != SubscriptionStatus.ENDED).map(s -> s.id()).toList();
                if (!live.isEmpty()) {
                    throw new AccrueException(ErrorCode.LAST_PAYMENT_METHOD, "id", "This is the last payment method of an auto-pay customer with a live "
                            + "subscription (" + live.getFirst() + "); add another method first", Map.of("live_subscription_ids", live));
                }
            }
            Instant now = time.systemNow();
            PaymentMethod gone = new PaymentMethod(before.id(), before.customerId(), before.gateway(), before.token(), before.kind(), before.brand(),
                    before.last4(), before.expMonth(), before.expYear(), before.mandateReference(), before.billingAddress(), null, PaymentMethod.REMOVED,
                    before.createdAt(), now);
            methods.update(caller.tenantId(), gone, now);
            ordered.removeIf(m -> m.id().equals(id));
            renumber(caller.tenantId(), ordered, now);
            audit.record(caller, "customer", customerId, "payment_method.removed", snapshot(before), null);
            events.record(caller.tenantId(), new DomainEvent(Ids.next("evt"), EventTypes.PAYMENT_METHOD_REMOVED, "payment_method", id, customerId,
                    snapshot(gone), time.now(caller.tenantId(), customer)));
            return before;
        });
        gateway.detach(removed.token());
    }

    public PaymentSettings settings(Caller caller) {
        return tx.inTransaction(() -> settings(caller.tenantId()));
    }

    public PaymentSettings updateSettings(Caller caller, PaymentSettings settings) {
        caller.requireWrite();
        return tx.inTransaction(() -> {
            PaymentSettings before = settings(caller.tenantId());
            methods.saveSettings(caller.tenantId(), settings, time.systemNow());
            audit.record(caller, "tenant", caller.tenantId(), "tenant.payment_settings_updated", before, settings);
            return settings;
        });
    }

    PaymentSettings settings(String tenantId) {
        return methods.settings(tenantId).orElse(PaymentSettings.DEFAULT);
    }

    private String gatewayCustomer(String tenantId, Customer customer) {
        String known = tx.inTransaction(() -> methods.gatewayCustomer(tenantId, customer.id(), gateway.name()).orElse(null));
        if (known != null) {
            return known;
        }
        String email = customer.billingEmails().isEmpty() ? null : customer.billingEmails().getFirst();
        return gateway.createCustomer(customer.id(), email, customer.legalName(), "customer:" + tenantId + ":" + customer.id());
    }

    /** Priorities 1..n in the given order: the first is the default. */
    private void renumber(String tenantId, List<PaymentMethod> ordered, Instant now) {
        for (int i = 0; i < ordered.size(); i++) {
            methods.update(tenantId, ordered.get(i).withPriority(i + 1), now);
        }
    }

    private Customer customer(String tenantId, String customerId) {
        return tx.inTransaction(() -> customers.find(tenantId, customerId).orElseThrow(() -> AccrueException.notFound("customer", customerId)));
    }

    static Map<String, Object> snapshot(PaymentMethod m) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("id", m.id());
        out.put("type", m.kind());
        out.put("brand", m.brand());
        out.put("last4", m.last4());
        if (m.expMonth() != null) {
            out.put("exp_month", m.expMonth());
            out.put("exp_year", m.expYear());
        }
        if (m.priority() != null) {
            out.put("priority", m.priority());
        }
        return out;
    }
}
