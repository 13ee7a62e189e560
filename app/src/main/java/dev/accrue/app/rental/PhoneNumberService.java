package dev.accrue.app.rental;

import dev.accrue.app.event.DomainEvents;
import dev.accrue.app.event.EventSnapshots;
import dev.accrue.app.event.EventTypes;
import dev.accrue.app.audit.AuditLog;
import dev.accrue.app.auth.Caller;
import dev.accrue.app.billing.AddOnBilling;
import dev.accrue.app.billing.BillingService;
import dev.accrue.app.billing.CustomerTime;
import dev.accrue.app.catalog.CatalogService;
import dev.accrue.app.customer.CustomerRepository;
import dev.accrue.app.id.Ids;
import dev.accrue.app.invoice.Invoice;
import dev.accrue.app.quota.QuotaService;
import dev.accrue.app.subscription.SubscriptionRepository;
import dev.accrue.app.tx.Transactions;
import dev.accrue.app.wallet.WalletService;
import dev.accrue.core.addon.GrantedAllowance;
import dev.accrue.core.addon.PackagePricing;
import dev.accrue.core.addon.RentalPricing;
import dev.accrue.core.catalog.AddOn;
import dev.accrue.core.catalog.AddOnType;
import dev.accrue.core.catalog.RegulatoryFee;
import dev.accrue.core.catalog.RentalOption;
import dev.accrue.core.customer.Customer;
import dev.accrue.core.error.AccrueException;
import dev.accrue.core.error.ErrorCode;
import dev.accrue.core.invoice.InvoiceLine;
import dev.accrue.core.money.Money;
import dev.accrue.core.subscription.Subscription;
import dev.accrue.core.subscription.SuspendedService;
import dev.accrue.core.time.Period;
import dev.accrue.core.time.RoundingPolicy;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Phone numbers, rented per calendar month through a catalog add-on of type rental.
 * <ul>
 *   <li>A number is rented under a rental add-on available on the subscription's plan (the one named, when
 *       several are) and keeps that add-on for life — across plan changes: renewal, hold, release, monthly
 *       billing and its quota place all follow the number's own add-on ({@link #rentalOf}).</li>
 *   <li>Provisioning (by country and type, within the add-on's quota) charges the setup fee and the rest of the
 *       month by day at once — after the free trial when it is the customer's first number.</li>
 *   <li>Each 1st charges the full month and the country's regulatory fees, as separate lines on the
 *       subscription's invoice of that day (or an invoice of their own).</li>
 *   <li>A number whose month is not paid — auto-pay off, or a prepaid wallet that cannot pay — goes On Hold on
 *       the 1st; renewing it charges the rest of the month; after the catalog's grace it is released.</li>
 *   <li>Release stops future charges, refunds nothing, and is final: the number cannot be taken back.</li>
 * </ul>
 */
public final class PhoneNumberService implements AddOnBilling {
    private final DomainEvents events;
    private final Transactions tx;
    private final PhoneNumberRepository numbers;
    private final SubscriptionRepository subscriptions;
    private final CustomerRepository customers;
    private final CatalogService catalogs;
    private final BillingService billing;
    private final QuotaService quotas;
    private final WalletService wallets;
    private final CustomerTime time;
    private final AuditLog audit;

    public PhoneNumberService(Transactions tx, PhoneNumberRepository numbers, SubscriptionRepository subscriptions, CustomerRepository customers,
                              CatalogService catalogs, BillingService billing, QuotaService quotas, WalletService wallets, CustomerTime time,
                              AuditLog audit, DomainEvents events) {
        this.events = events;
        this.tx = tx;
        this.numbers = numbers;
        this.subscriptions = subscriptions;
        this.customers = customers;
        this.catalogs = catalogs;
        this.billing = billing;
        this.quotas = quotas;
        this.wallets = wallets;
        this.time = time;
        this.audit = audit;
    }

    public record Provisioned(PhoneNumber number, Invoice invoice) {
    }

    public Provisioned provision(Caller caller, String subscriptionId, String requestedNumber, String country, String type, String addOnCode) {
        caller.requireWrite();
        String number = DialableNumbers.normalise(requestedNumber, country);
        if (type == null || type.isBlank()) {
            throw new AccrueException(ErrorCode.MISSING_FIELD, "type", "type is required (local, toll_free, premium …)");
        }
        return tx.inTransaction(() -> {
            Subscription sub = subscriptions.findForUpdate(caller.tenantId(), subscriptionId)
                    .orElseThrow(() -> AccrueException.notFound("subscription", subscriptionId));
            Customer customer = customers.find(caller.tenantId(), sub.customerId()).orElseThrow();
            LocalDate today = time.today(caller.tenantId(), customer);
            if (sub.endedOn() != null && !today.isBefore(sub.endedOn())) {
                throw new AccrueException(ErrorCode.SUBSCRIPTION_ENDED, "subscription", "Subscription " + sub.id() + " ended on " + sub.endedOn());
            }
            SuspendedService.refuseNewResources(sub, "numbers");
            AddOn rental = rentalFor(caller.tenantId(), sub, addOnCode);
            String currency = customer.currency().getCurrencyCode();
            RentalOption option = option(rental, country, type);
            Money monthly = Money.of(price(option.monthlyFee(), currency, country, type), currency);
            Money setup = Money.of(option.setupFee().getOrDefault(currency, BigDecimal.ZERO), currency);
            if (numbers.numberTaken(caller.tenantId(), number)) {
                throw new AccrueException(ErrorCode.ALREADY_EXISTS, "number", "Number " + number + " is taken or was released (a released number cannot be taken back)");
            }
            // counts against the plan's quota, under the subscription lock: refusal names the limit and the plan that raises it
            quotas.activate(caller, sub.id(), rental.rental().quota(), number);
            int trialDays = rental.rental().firstItemTrialDays();
            LocalDate trialEnds = trialDays > 0 && numbers.countForCustomer(caller.tenantId(), customer.id()) == 0 ? today.plusDays(trialDays) : null;
            String id = Ids.next("num");
            Period month = PackagePricing.calendarMonth(today);
            PhoneNumber created = new PhoneNumber(id, sub.id(), customer.id(), number, country, type, rental.code(), PhoneNumber.ACTIVE, true, today,
                    trialEnds, month.end(), null, null, null, time.systemNow());
            List<InvoiceLine> lines = new ArrayList<>();
            if (setup.isPositive()) {
                lines.add(new InvoiceLine(InvoiceLine.FEE, rental.code(), "Setup fee: " + number, new Period(today, today.plusDays(1)), BigDecimal.ONE, setup,
                        billing.rounding(caller.tenantId()).apply(setup)));
            }
            lines.addAll(monthLines(caller.tenantId(), rental, created, month, monthly, currency));
            Money total = lines.stream().map(InvoiceLine::amount).reduce(Money.zero(currency), Money::plus);
            wallets.requireCanPay(caller.tenantId(), customer, total, "number", number);
            numbers.insert(caller.tenantId(), created);
            Invoice invoice = lines.isEmpty() ? null
                    : billing.issue(caller.tenantId(), customer, sub.id(), sub.id() + ":number:" + id, today, month, lines);
            audit.record(caller, "subscription", sub.id(), "number.provisioned", null, Map.of("number", number, "id", id, "country", country, "type", type,
                    "trial_ends_on", String.valueOf(trialEnds)));
            return new Provisioned(created, invoice);
        });
    }

    /** Releases a number: it stops being charged from the next month, the current month is not refunded, and it cannot be taken back. */
    public PhoneNumber release(Caller caller, String subscriptionId, String id) {
        caller.requireWrite();
        return tx.inTransaction(() -> {
            Subscription sub = locked(caller.tenantId(), subscriptionId);
            PhoneNumber n = numbers.find(caller.tenantId(), sub.id(), id).orElseThrow(() -> AccrueException.notFound("number", id));
            if (n.status().equals(PhoneNumber.RELEASED)) {
                throw new AccrueException(ErrorCode.NUMBER_NOT_ACTIVE, "number", "Number " + n.number() + " was already released on " + n.releasedOn());
            }
            LocalDate today = time.today(caller.tenantId(), customers.find(caller.tenantId(), sub.customerId()).orElseThrow());
            releaseNow(caller.tenantId(), sub, n, today);
            audit.record(caller, "subscription", sub.id(), "number.released", Map.of("number", n.number()), null);
            return numbers.find(caller.tenantId(), sub.id(), id).orElseThrow();
        });
    }

    public PhoneNumber setAutoPay(Caller caller, String subscriptionId, String id, Boolean autoPay) {
        caller.requireWrite();
        if (autoPay == null) {
            throw new AccrueException(ErrorCode.MISSING_FIELD, "auto_pay", "auto_pay is required");
        }
        return tx.inTransaction(() -> {
            Subscription sub = locked(caller.tenantId(), subscriptionId);
            PhoneNumber n = numbers.find(caller.tenantId(), sub.id(), id).orElseThrow(() -> AccrueException.notFound("number", id));
            if (n.status().equals(PhoneNumber.RELEASED)) {
                throw new AccrueException(ErrorCode.NUMBER_NOT_ACTIVE, "number", "Number " + n.number() + " was released");
            }
            numbers.setAutoPay(caller.tenantId(), id, autoPay);
            audit.record(caller, "subscription", sub.id(), "number.auto_pay_changed", null, Map.of("number", n.number(), "auto_pay", autoPay));
            return numbers.find(caller.tenantId(), sub.id(), id).orElseThrow();
        });
    }

    /**
     * Puts an active number on hold now — its payment failed (until payments run inside Accrue, the operator
     * reports it) — to be released after the catalog's grace unless it is renewed.
     */
    public PhoneNumber hold(Caller caller, String subscriptionId, String id) {
        caller.requireWrite();
        return tx.inTransaction(() -> {
            Subscription sub = locked(caller.tenantId(), subscriptionId);
            PhoneNumber n = numbers.find(caller.tenantId(), sub.id(), id).orElseThrow(() -> AccrueException.notFound("number", id));
            if (!n.status().equals(PhoneNumber.ACTIVE)) {
                throw new AccrueException(ErrorCode.NUMBER_NOT_ACTIVE, "number", "Number " + n.number() + " is " + n.status() + ", not active");
            }
            LocalDate today = time.today(caller.tenantId(), customers.find(caller.tenantId(), sub.customerId()).orElseThrow());
            numbers.hold(caller.tenantId(), id, today, today.plusDays(rentalOf(caller.tenantId(), sub, n).rental().holdGraceDays()));
            audit.record(caller, "subscription", sub.id(), "number.on_hold", null, Map.of("number", n.number(), "reason", "payment failed"));
            events.record(caller.tenantId(), EventSnapshots.number(EventTypes.NUMBER_ON_HOLD, sub.customerId(), sub.id(), id, n.number(), "payment failed", time.systemNow()));
            return numbers.find(caller.tenantId(), sub.id(), id).orElseThrow();
        });
    }

    /**
     * Makes a number on hold active again: one held on the 1st for non-payment pays the rest of the month; one
     * held because a payment failed owes that invoice already and is not charged again.
     */
    public Provisioned renew(Caller caller, String subscriptionId, String id) {
        caller.requireWrite();
        return tx.inTransaction(() -> {
            Subscription sub = locked(caller.tenantId(), subscriptionId);
            PhoneNumber n = numbers.find(caller.tenantId(), sub.id(), id).orElseThrow(() -> AccrueException.notFound("number", id));
            if (!n.status().equals(PhoneNumber.ON_HOLD)) {
                throw new AccrueException(ErrorCode.NUMBER_NOT_ACTIVE, "number", "Number " + n.number() + " is " + n.status() + ", not on hold");
            }
            Customer customer = customers.find(caller.tenantId(), sub.customerId()).orElseThrow();
            LocalDate today = time.today(caller.tenantId(), customer);
            AddOn rental = rentalOf(caller.tenantId(), sub, n);
            String currency = customer.currency().getCurrencyCode();
            Period month = PackagePricing.calendarMonth(today);
            PhoneNumber from = new PhoneNumber(n.id(), n.subscriptionId(), n.customerId(), n.number(), n.country(), n.type(), n.addOnCode(), n.status(),
                    n.autoPay(), today, n.trialEndsOn(), n.billedThrough(), n.onHoldSince(), n.holdReleaseOn(), null, n.createdAt());
            // held for a failed payment: the month is already on an invoice (still owed), so it is not charged twice
            boolean alreadyInvoiced = n.billedThrough().isAfter(today);
            List<InvoiceLine> lines = alreadyInvoiced ? List.of()
                    : monthLines(caller.tenantId(), rental, from, month, monthlyFee(rental, n, currency), currency);
            Money total = lines.stream().map(InvoiceLine::amount).reduce(Money.zero(currency), Money::plus);
            wallets.requireCanPay(caller.tenantId(), customer, total, "number", n.number());
            numbers.activate(caller.tenantId(), id, alreadyInvoiced ? n.billedThrough() : month.end());
            Invoice invoice = lines.isEmpty() ? null
                    : billing.issue(caller.tenantId(), customer, sub.id(), sub.id() + ":number:" + id + ":renew:" + today, today, month, lines);
            audit.record(caller, "subscription", sub.id(), "number.renewed", null, Map.of("number", n.number()));
            events.record(caller.tenantId(), EventSnapshots.number(EventTypes.NUMBER_REACTIVATED, sub.customerId(), sub.id(), id, n.number(), "renewed", time.systemNow()));
            return new Provisioned(numbers.find(caller.tenantId(), sub.id(), id).orElseThrow(), invoice);
        });
    }

    public List<PhoneNumber> list(Caller caller, String subscriptionId) {
        return tx.inTransaction(() -> {
            subscriptions.find(caller.tenantId(), subscriptionId).orElseThrow(() -> AccrueException.notFound("subscription", subscriptionId));
            return numbers.forSubscription(caller.tenantId(), subscriptionId);
        });
    }

    // ---- billing on each 1st, inside the billing transaction ----

    @Override
    public List<GrantedAllowance> grants(String tenantId, Subscription sub, Period window) {
        return List.of();
    }

    @Override
    public List<InvoiceLine> linesDueOn(String tenantId, Subscription sub, Customer customer, LocalDate boundary) {
        return boundary.getDayOfMonth() == 1 ? due(tenantId, sub, customer, boundary) : List.of();
    }

    @Override
    public void billRemaining(String tenantId, Subscription sub, Customer customer, LocalDate today) {
        for (PhoneNumber n : numbers.forSubscription(tenantId, sub.id())) {
            if (n.status().equals(PhoneNumber.ON_HOLD) && !today.isBefore(n.holdReleaseOn())) {
                releaseNow(tenantId, sub, n, n.holdReleaseOn());
                audit.record(Caller.system(tenantId), "subscription", sub.id(),
                        "number.released_after_hold", Map.of("number", n.number()), null);
            }
        }
        while (true) {
            LocalDate month = numbers.forSubscription(tenantId, sub.id()).stream()
                    .filter(n -> n.status().equals(PhoneNumber.ACTIVE) && !n.billedThrough().isAfter(today)
                            && (sub.endedOn() == null || n.billedThrough().isBefore(sub.endedOn())))
                    .map(PhoneNumber::billedThrough).min(LocalDate::compareTo).orElse(null);
            if (month == null) {
                return;
            }
            List<InvoiceLine> lines = due(tenantId, sub, customer, month);
            if (!lines.isEmpty()) {
                billing.issue(tenantId, customer, sub.id(), sub.id() + ":numbers:" + month, month, PackagePricing.calendarMonth(month), lines);
            }
        }
    }

    /** The month starting {@code monthStart} of every active number due then: charged, or put on hold when it cannot be paid. */
    private List<InvoiceLine> due(String tenantId, Subscription sub, Customer customer, LocalDate monthStart) {
        List<PhoneNumber> dueNumbers = numbers.forSubscription(tenantId, sub.id()).stream()
                .filter(n -> n.status().equals(PhoneNumber.ACTIVE) && n.billedThrough().equals(monthStart)).toList();
        if (dueNumbers.isEmpty()) {
            return List.of();
        }
        String currency = customer.currency().getCurrencyCode();
        Period month = PackagePricing.calendarMonth(monthStart);
        List<InvoiceLine> lines = new ArrayList<>();
        Money spendable = WalletService.prepaid(customer) ? wallets.spendable(tenantId, customer) : null;
        for (PhoneNumber n : dueNumbers) {
            if (sub.endedOn() != null && !sub.endedOn().isAfter(monthStart)) {
                releaseNow(tenantId, sub, n, sub.endedOn());
                continue;
            }
            AddOn rental = rentalOf(tenantId, sub, n);
            List<InvoiceLine> mine = monthLines(tenantId, rental, n, month, monthlyFee(rental, n, currency), currency);
            Money cost = mine.stream().map(InvoiceLine::amount).reduce(Money.zero(currency), Money::plus);
            if (!n.autoPay() || (spendable != null && spendable.compareTo(cost) < 0)) {
                numbers.hold(tenantId, n.id(), monthStart, monthStart.plusDays(rental.rental().holdGraceDays()));
                audit.record(Caller.system(tenantId), "subscription", sub.id(),
                        "number.on_hold", null, Map.of("number", n.number(), "reason", n.autoPay() ? "prepaid balance too low" : "auto-pay off"));
                events.record(tenantId, EventSnapshots.number(EventTypes.NUMBER_ON_HOLD, sub.customerId(), sub.id(), n.id(), n.number(), n.autoPay() ? "prepaid balance too low" : "auto-pay off", time.systemNow()));
                continue;
            }
            if (spendable != null) {
                spendable = spendable.minus(cost);
            }
            lines.addAll(mine);
            numbers.setBilledThrough(tenantId, n.id(), month.end());
        }
        return lines;
    }

    /** Rental and regulatory-fee lines of one number for one month: the chargeable part (after trial, from provisioning). */
    private List<InvoiceLine> monthLines(String tenantId, AddOn rental, PhoneNumber n, Period month, Money monthly, String currency) {
        RoundingPolicy rounding = billing.rounding(tenantId);
        var part = RentalPricing.chargeable(month, n.provisionedOn(), n.trialEndsOn());
        if (part.isEmpty()) {
            return List.of();
        }
        List<InvoiceLine> lines = new ArrayList<>();
        String label = (rental.name() == null ? rental.code() : rental.name()) + " " + n.number() + " (" + n.country() + ", " + n.type() + ")";
        lines.add(new InvoiceLine(InvoiceLine.RENTAL, rental.code(), label + (part.get().equals(month) ? "" : ", prorated " + part.get()), part.get(),
                BigDecimal.ONE, monthly, RentalPricing.forPart(monthly, part.get(), month, rounding)));
        for (RegulatoryFee fee : rental.rental().regulatoryFees()) {
            if (fee.country().equals(n.country()) && fee.monthlyFee().containsKey(currency)) {
                Money m = Money.of(fee.monthlyFee().get(currency), currency);
                lines.add(new InvoiceLine(InvoiceLine.FEE, rental.code(), (fee.name() == null ? "Regulatory fee" : fee.name()) + " " + n.number(), part.get(),
                        BigDecimal.ONE, m, RentalPricing.forPart(m, part.get(), month, rounding)));
            }
        }
        return lines;
    }

    private void releaseNow(String tenantId, Subscription sub, PhoneNumber n, LocalDate on) {
        numbers.release(tenantId, n.id(), on);
        AddOn rental = rentalOf(tenantId, sub, n);
        // frees the place in the quota; the item may already be gone if the quota was handled by hand
        try {
            quotas.deactivate(Caller.system(tenantId), sub.id(), rental.rental().quota(),
                    n.number());
        } catch (AccrueException e) {
            if (e.code() != ErrorCode.NOT_FOUND) {
                throw e;
            }
        }
    }

    private Money monthlyFee(AddOn rental, PhoneNumber n, String currency) {
        return Money.of(price(option(rental, n.country(), n.type()).monthlyFee(), currency, n.country(), n.type()), currency);
    }

    private static BigDecimal price(Map<String, BigDecimal> prices, String currency, String country, String type) {
        BigDecimal p = prices.get(currency);
        if (p == null) {
            throw new AccrueException(ErrorCode.CURRENCY_MISMATCH, "country", "No " + currency + " price for " + type + " numbers in " + country);
        }
        return p;
    }

    private static RentalOption option(AddOn rental, String country, String type) {
        return rental.rental().optionFor(Map.of("country", country, "type", type))
                .orElseThrow(() -> new AccrueException(ErrorCode.VALIDATION_FAILED, "type", "No " + type + " numbers are offered in " + country));
    }

    /**
     * The rental add-on a new number is rented under: the one named ({@code add_on}), which must be a rental
     * available on the subscription's plan, or else the only rental available on it; when several are, the
     * request must name one.
     */
    private AddOn rentalFor(String tenantId, Subscription sub, String addOnCode) {
        List<AddOn> rentals = catalogs.catalog(tenantId, sub.catalogVersion()).addOns().stream()
                .filter(a -> a.type() == AddOnType.RENTAL && a.rental() != null).toList();
        if (rentals.isEmpty()) {
            throw new AccrueException(ErrorCode.ADD_ON_NOT_AVAILABLE, "subscription", "This catalog rents no numbers");
        }
        if (addOnCode != null) {
            AddOn named = rentals.stream().filter(a -> a.code().equals(addOnCode)).findFirst()
                    .orElseThrow(() -> AccrueException.invalid("add_on", "No rental add-on '" + addOnCode + "' in this catalog; rentals: "
                            + String.join(", ", rentals.stream().map(AddOn::code).toList())));
            if (!named.availableOnPlan(sub.planCode())) {
                throw new AccrueException(ErrorCode.ADD_ON_NOT_AVAILABLE, "add_on", "Add-on " + named.code() + " rents numbers only with plan "
                        + String.join(" or ", named.availableOn()));
            }
            return named;
        }
        List<AddOn> available = rentals.stream().filter(a -> a.availableOnPlan(sub.planCode())).toList();
        if (available.isEmpty()) {
            throw new AccrueException(ErrorCode.ADD_ON_NOT_AVAILABLE, "subscription", "No rental add-on is available on plan " + sub.planCode()
                    + "; numbers are rented with " + String.join(", ", rentals.stream()
                    .map(a -> a.code() + " (plan " + String.join(" or ", a.availableOn()) + ")").toList()));
        }
        if (available.size() > 1) {
            throw new AccrueException(ErrorCode.MISSING_FIELD, "add_on", "Several rental add-ons are available on plan " + sub.planCode() + ": "
                    + String.join(", ", available.stream().map(AddOn::code).toList()) + "; name one in add_on");
        }
        return available.getFirst();
    }

    /**
     * The add-on a number was rented under, whatever the subscription's plan is now: a plan change keeps its
     * add-on, price and quota. (A plan change keeps the subscription's catalog version, so the code is found.)
     */
    private AddOn rentalOf(String tenantId, Subscription sub, PhoneNumber n) {
        return catalogs.catalog(tenantId, sub.catalogVersion()).addOns().stream()
                .filter(a -> a.code().equals(n.addOnCode()) && a.type() == AddOnType.RENTAL && a.rental() != null).findFirst()
                .orElseThrow(() -> new IllegalStateException("Number " + n.id() + " was rented under add-on " + n.addOnCode()
                        + ", which catalog version " + sub.catalogVersion() + " does not define"));
    }

    private Subscription locked(String tenantId, String subscriptionId) {
        return subscriptions.findForUpdate(tenantId, subscriptionId).orElseThrow(() -> AccrueException.notFound("subscription", subscriptionId));
    }
}
