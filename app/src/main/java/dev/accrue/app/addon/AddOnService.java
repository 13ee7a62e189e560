package dev.accrue.app.addon;

import dev.accrue.app.audit.AuditLog;
import dev.accrue.app.auth.Caller;
import dev.accrue.app.billing.AddOnBilling;
import dev.accrue.app.billing.BillingService;
import dev.accrue.app.billing.CustomerTime;
import dev.accrue.app.catalog.CatalogService;
import dev.accrue.app.customer.CustomerRepository;
import dev.accrue.app.id.Ids;
import dev.accrue.app.invoice.Invoice;
import dev.accrue.app.metering.UsageRepository;
import dev.accrue.app.subscription.SubscriptionRepository;
import dev.accrue.app.tax.DocumentTaxes;
import dev.accrue.app.tenant.TenantRepository;
import dev.accrue.app.tx.Transactions;
import dev.accrue.app.wallet.WalletService;
import dev.accrue.core.addon.AddOnAllowances;
import dev.accrue.core.addon.GrantedAllowance;
import dev.accrue.core.addon.PackagePricing;
import dev.accrue.core.catalog.AddOn;
import dev.accrue.core.catalog.BundleExpiry;
import dev.accrue.core.catalog.Catalog;
import dev.accrue.core.catalog.Charge;
import dev.accrue.core.catalog.Grant;
import dev.accrue.core.catalog.MeteredCharge;
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
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Add-ons bought on a subscription.
 * <ul>
 *   <li>Recurring packages (broadcast email): billed per calendar month; when never prorated, full price and full
 *       allowance whenever bought, allowance reset on the 1st, no rollover, no refund. They start at once (charged
 *       now) or on the next 1st on request. Moving up a package group is an upgrade: charged in full at once and
 *       granting the full new allowance for the rest of the month; moving down takes effect on the next 1st.</li>
 *   <li>One-time bundles (minutes): bought through a checkout whose preview shows price, up-front fee, tax, total
 *       and what the bundle includes; their units add to the allowance after the plan's and lapse at the end of
 *       the billing period they were bought in.</li>
 * </ul>
 * Every change holds the subscription's row lock. Prerequisites: an add-on is sold only with the plans it lists.
 */
public final class AddOnService implements AddOnBilling {
    private final Transactions tx;
    private final AddOnRepository addOns;
    private final SubscriptionRepository subscriptions;
    private final CustomerRepository customers;
    private final CatalogService catalogs;
    private final BillingService billing;
    private final UsageRepository usage;
    private final TenantRepository tenants;
    private final DocumentTaxes taxes;
    private final WalletService wallets;
    private final CustomerTime time;
    private final AuditLog audit;

    public AddOnService(Transactions tx, AddOnRepository addOns, SubscriptionRepository subscriptions, CustomerRepository customers,
                        CatalogService catalogs, BillingService billing, UsageRepository usage, TenantRepository tenants, WalletService wallets,
                        CustomerTime time, AuditLog audit, DocumentTaxes taxes) {
        this.taxes = taxes;
        this.tx = tx;
        this.addOns = addOns;
        this.subscriptions = subscriptions;
        this.customers = customers;
        this.catalogs = catalogs;
        this.billing = billing;
        this.usage = usage;
        this.tenants = tenants;
        this.wallets = wallets;
        this.time = time;
        this.audit = audit;
    }

    /** What a purchase would do: what is charged now (price, up-front fee, tax, total), what it grants, when it starts and lapses. */
    public record Checkout(String addOn, String name, String type, Money price, Money upFrontFee, Money tax, Money total, List<String> includes,
                           List<Grant> grants, LocalDate startsOn, LocalDate endsOn, String replaces, boolean upgrade, List<InvoiceLine> lines) {
    }

    public record Purchase(PurchasedAddOn addOn, String status, Checkout checkout, Invoice invoice) {
    }

    public Checkout preview(Caller caller, String subscriptionId, String code, boolean nextPeriod) {
        return tx.inTransaction(() -> {
            Subscription sub = subscriptions.find(caller.tenantId(), subscriptionId).orElseThrow(() -> AccrueException.notFound("subscription", subscriptionId));
            return plan(caller.tenantId(), sub, code, nextPeriod).checkout();
        });
    }

    public Purchase purchase(Caller caller, String subscriptionId, String code, boolean nextPeriod) {
        caller.requireWrite();
        return tx.inTransaction(() -> {
            Subscription sub = subscriptions.findForUpdate(caller.tenantId(), subscriptionId)
                    .orElseThrow(() -> AccrueException.notFound("subscription", subscriptionId));
            Planned p = plan(caller.tenantId(), sub, code, nextPeriod);
            SuspendedService.refuseNewResources(sub, "add-ons");
            Checkout c = p.checkout();
            wallets.requireCanPay(caller.tenantId(), p.customer(), c.total(), "add_on", "add-on " + code);
            String id = Ids.next("sao");
            LocalDate billedThrough = c.type().equals(PurchasedAddOn.PACKAGE)
                    ? (c.lines().isEmpty() ? c.startsOn() : PackagePricing.calendarMonth(c.startsOn()).end()) : null;
            if (p.replaced() != null) {
                addOns.setEnd(caller.tenantId(), p.replaced().id(), c.startsOn());
            }
            addOns.insert(caller.tenantId(), new PurchasedAddOn(id, sub.id(), code, c.type(), c.startsOn(), c.endsOn(), billedThrough,
                    p.replaced() == null ? null : p.replaced().id(), null, time.systemNow()));
            Invoice invoice = null;
            if (!c.lines().isEmpty()) {
                invoice = billing.issue(caller.tenantId(), p.customer(), sub.id(), sub.id() + ":add_on:" + id, p.today(), null, c.lines());
                addOns.setInvoice(caller.tenantId(), id, invoice.id());
            }
            subscriptions.touch(caller.tenantId(), sub.id(), time.systemNow());
            PurchasedAddOn bought = addOns.forSubscription(caller.tenantId(), sub.id()).stream().filter(a -> a.id().equals(id)).findFirst().orElseThrow();
            audit.record(caller, "subscription", sub.id(), "add_on.purchased", null, Map.of("add_on", code, "id", id, "starts_on", c.startsOn().toString(),
                    "charged", c.total().toPlainMinorString()));
            return new Purchase(bought, bought.status(p.today()), c, invoice);
        });
    }

    /** Stops a recurring package on the next 1st (no refund of the month paid). A bundle cannot be cancelled. */
    public PurchasedAddOn cancel(Caller caller, String subscriptionId, String addOnId) {
        caller.requireWrite();
        return tx.inTransaction(() -> {
            Subscription sub = subscriptions.findForUpdate(caller.tenantId(), subscriptionId)
                    .orElseThrow(() -> AccrueException.notFound("subscription", subscriptionId));
            PurchasedAddOn a = addOns.forSubscription(caller.tenantId(), sub.id()).stream().filter(x -> x.id().equals(addOnId)).findFirst()
                    .orElseThrow(() -> AccrueException.notFound("add-on", addOnId));
            if (!a.type().equals(PurchasedAddOn.PACKAGE)) {
                throw new AccrueException(ErrorCode.VALIDATION_FAILED, "add_on", "A bundle is a one-time purchase; it lapses by itself and is not refunded");
            }
            LocalDate today = time.today(caller.tenantId(), customer(caller.tenantId(), sub));
            LocalDate end = today.isBefore(a.startDate()) ? a.startDate() : PackagePricing.calendarMonth(today).end();
            if (a.endDate() != null && !a.endDate().isAfter(end)) {
                throw new AccrueException(ErrorCode.ADD_ON_NOT_AVAILABLE, "add_on", "Add-on " + addOnId + " already ends on " + a.endDate());
            }
            addOns.setEnd(caller.tenantId(), a.id(), end);
            subscriptions.touch(caller.tenantId(), sub.id(), time.systemNow());
            audit.record(caller, "subscription", sub.id(), "add_on.cancelled", null, Map.of("id", a.id(), "ends_on", end.toString()));
            return addOns.forSubscription(caller.tenantId(), sub.id()).stream().filter(x -> x.id().equals(addOnId)).findFirst().orElseThrow();
        });
    }

    public record Listed(PurchasedAddOn addOn, String status) {
    }

    public List<Listed> list(Caller caller, String subscriptionId) {
        return tx.inTransaction(() -> {
            Subscription sub = subscriptions.find(caller.tenantId(), subscriptionId).orElseThrow(() -> AccrueException.notFound("subscription", subscriptionId));
            LocalDate today = time.today(caller.tenantId(), customer(caller.tenantId(), sub));
            return addOns.forSubscription(caller.tenantId(), sub.id()).stream().map(a -> new Listed(a, a.status(today))).toList();
        });
    }

    private record Planned(Customer customer, LocalDate today, PurchasedAddOn replaced, Checkout checkout) {
    }

    private Planned plan(String tenantId, Subscription sub, String code, boolean nextPeriod) {
        if (code == null || code.isBlank()) {
            throw new AccrueException(ErrorCode.MISSING_FIELD, "add_on", "add_on is required");
        }
        Customer customer = customer(tenantId, sub);
        LocalDate today = time.today(tenantId, customer);
        if (sub.endedOn() != null && !today.isBefore(sub.endedOn())) {
            throw new AccrueException(ErrorCode.SUBSCRIPTION_ENDED, "subscription", "Subscription " + sub.id() + " ended on " + sub.endedOn());
        }
        Catalog catalog = catalogs.catalog(tenantId, sub.catalogVersion());
        AddOn addOn = catalog.addOn(code).orElseThrow(() -> new AccrueException(ErrorCode.NOT_FOUND, "add_on", "No add-on '" + code + "' in the catalog"));
        if (!addOn.availableOnPlan(sub.planCode())) {
            throw new AccrueException(ErrorCode.ADD_ON_NOT_AVAILABLE, "add_on", "Add-on " + code + " is sold only with plan " + String.join(" or ", addOn.availableOn())
                    + "; subscription " + sub.id() + " is on " + sub.planCode());
        }
        String currency = customer.currency().getCurrencyCode();
        RoundingPolicy rounding = billing.rounding(tenantId);
        Money price = Money.of(addOn.price().getOrDefault(currency, BigDecimal.ZERO), currency);
        if (!addOn.price().isEmpty() && !addOn.price().containsKey(currency)) {
            throw new AccrueException(ErrorCode.CURRENCY_MISMATCH, "add_on", "Add-on " + code + " has no price in " + currency);
        }
        return switch (addOn.type()) {
            case PACKAGE -> planPackage(tenantId, sub, customer, today, addOn, price, nextPeriod, rounding);
            case BUNDLE -> planBundle(tenantId, sub, customer, today, addOn, price, rounding);
            case RENTAL -> throw new AccrueException(ErrorCode.VALIDATION_FAILED, "add_on", "Add-on " + code + " is rented per item: use /v1/subscriptions/"
                    + sub.id() + "/numbers");
        };
    }

    private Planned planPackage(String tenantId, Subscription sub, Customer customer, LocalDate today, AddOn addOn, Money price, boolean nextPeriod,
                                RoundingPolicy rounding) {
        if (nextPeriod && !addOn.canStartNextPeriod()) {
            throw new AccrueException(ErrorCode.VALIDATION_FAILED, "start", "Add-on " + addOn.code() + " cannot be scheduled for the next period");
        }
        Catalog catalog = catalogs.catalog(tenantId, sub.catalogVersion());
        LocalDate nextFirst = PackagePricing.calendarMonth(today).end();
        PurchasedAddOn current = null;
        for (PurchasedAddOn a : addOns.forSubscription(tenantId, sub.id())) {
            if (!a.type().equals(PurchasedAddOn.PACKAGE) || (a.endDate() != null && !a.endDate().isAfter(today))) {
                continue;
            }
            AddOn other = catalog.addOn(a.addOnCode()).orElseThrow();
            if (a.addOnCode().equals(addOn.code())) {
                throw new AccrueException(ErrorCode.ADD_ON_ALREADY_ACTIVE, "add_on", "Add-on " + addOn.code() + " is already on subscription " + sub.id()
                        + " (" + a.id() + ", " + a.status(today) + ")");
            }
            if (addOn.group() != null && addOn.group().equals(other.group()) && a.endDate() == null) {
                current = a;
            }
        }
        boolean upgrade = false;
        LocalDate start = nextPeriod ? nextFirst : today;
        if (current != null) {
            AddOn from = catalog.addOn(current.addOnCode()).orElseThrow();
            upgrade = addOn.rank() > from.rank();
            if (!upgrade || current.startDate().isAfter(today)) {
                start = upgrade ? current.startDate() : nextFirst.isAfter(current.startDate()) ? nextFirst : current.startDate();
            }
        }
        List<InvoiceLine> lines = new ArrayList<>();
        if (start.equals(today) && price.isPositive()) {
            Period month = PackagePricing.calendarMonth(today);
            Money amount = PackagePricing.forMonth(price, addOn.proration(), today, month, rounding);
            lines.add(new InvoiceLine(InvoiceLine.ADD_ON, addOn.code(), (addOn.name() == null ? addOn.code() : addOn.name()) + " — " + month.start().getMonth()
                    + " " + month.start().getYear() + (upgrade ? " (upgrade, full month)" : ""), month, BigDecimal.ONE, price, amount));
        }
        Money charged = total(price.currency().getCurrencyCode(), lines);
        var checkout = new Checkout(addOn.code(), addOn.name(), PurchasedAddOn.PACKAGE, charged, Money.zero(price.currency()), Money.zero(price.currency()),
                charged, addOn.includes(), addOn.grants(), start, null, current == null ? null : current.id(), upgrade, lines);
        return new Planned(customer, today, current, checkout);
    }

    private Planned planBundle(String tenantId, Subscription sub, Customer customer, LocalDate today, AddOn addOn, Money price, RoundingPolicy rounding) {
        String currency = customer.currency().getCurrencyCode();
        Period period = today.isBefore(sub.anchor()) ? new Period(sub.startDate(), sub.anchor()) : sub.periodContaining(today);
        Money fee = Money.of(addOn.upFrontFee().getOrDefault(currency, BigDecimal.ZERO), currency);
        List<InvoiceLine> lines = new ArrayList<>();
        String name = addOn.name() == null ? addOn.code() : addOn.name();
        boolean lasting = addOn.expiry() == BundleExpiry.NEVER;
        Period valid = new Period(today, lasting ? today.plusDays(1) : period.end());
        lines.add(new InvoiceLine(InvoiceLine.BUNDLE, addOn.code(), name + (lasting ? ", until used up" : ", valid until " + period.end().minusDays(1)), valid,
                BigDecimal.ONE, price, rounding.apply(price)));
        if (fee.isPositive()) {
            lines.add(new InvoiceLine(InvoiceLine.FEE, addOn.code(), "Up-front fee: " + name, valid, BigDecimal.ONE, fee, rounding.apply(fee)));
        }
        // the preview's tax is the tax the invoice will carry: the issuer applies the same rule to these lines
        var taxed = taxes.apply(tenantId, customer, sub.id(), lines, valid, rounding);
        var checkout = new Checkout(addOn.code(), addOn.name(), PurchasedAddOn.BUNDLE, rounding.apply(price), rounding.apply(fee), taxed.tax(), taxed.total(),
                addOn.includes(), addOn.grants(), today, lasting ? null : period.end(), null, false, lines);
        return new Planned(customer, today, null, checkout);
    }

    private static Money total(String currency, List<InvoiceLine> lines) {
        return lines.stream().map(InvoiceLine::amount).reduce(Money.zero(currency), Money::plus);
    }

    // ---- AddOnBilling: called by billing inside its transaction ----

    @Override
    public List<GrantedAllowance> grants(String tenantId, Subscription sub, Period window) {
        List<PurchasedAddOn> bought = addOns.forSubscription(tenantId, sub.id());
        if (bought.isEmpty()) {
            return List.of();
        }
        Catalog catalog = catalogs.catalog(tenantId, sub.catalogVersion());
        List<GrantedAllowance> out = new ArrayList<>();
        // packages grant per calendar month: the month the window starts in
        Period month = PackagePricing.calendarMonth(window.start());
        List<PurchasedAddOn> packages = bought.stream().filter(a -> a.type().equals(PurchasedAddOn.PACKAGE) && a.overlaps(month.start(), month.end())).toList();
        for (PurchasedAddOn a : packages) {
            boolean replacedInMonth = packages.stream().anyMatch(b -> a.id().equals(b.replacesId()));
            AddOn addOn = catalog.addOn(a.addOnCode()).orElseThrow();
            for (Grant g : addOn.grants()) {
                BigDecimal quantity = g.quantity();
                if (replacedInMonth) {
                    // an upgraded package keeps only what was used of it while it ran
                    LocalDate from = a.startDate().isAfter(month.start()) ? a.startDate() : month.start();
                    BigDecimal used = usage.daily(tenantId, sub.id(), g.metric(), from, a.endDate()).stream()
                            .map(UsageRepository.DailyUsage::quantity).reduce(BigDecimal.ZERO, BigDecimal::add);
                    quantity = AddOnAllowances.packageMonth(BigDecimal.ZERO, List.<BigDecimal[]>of(new BigDecimal[]{g.quantity(), used}));
                }
                out.add(new GrantedAllowance(g.metric(), quantity, a.addOnCode()));
            }
        }
        out.addAll(expiringBundles(window, bought, catalog));
        out.addAll(lastingBundles(tenantId, sub, window, bought, catalog));
        return out;
    }

    @Override
    public List<Charge> charges(String tenantId, Subscription sub, Period window) {
        Catalog catalog = catalogs.catalog(tenantId, sub.catalogVersion());
        if (catalog.addOns().stream().allMatch(a -> a.charges().isEmpty())) {
            return List.of(); // most catalogs sell no add-on with charges of its own: no purchase to read
        }
        List<Charge> out = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (PurchasedAddOn a : addOns.forSubscription(tenantId, sub.id())) {
            if (a.overlaps(window.start(), window.end()) && seen.add(a.addOnCode())) {
                catalog.addOn(a.addOnCode()).ifPresent(addOn -> out.addAll(addOn.charges()));
            }
        }
        return out;
    }

    @Override
    public boolean covers(String tenantId, Subscription sub, String metric, LocalDate day) {
        Catalog catalog = catalogs.catalog(tenantId, sub.catalogVersion());
        for (PurchasedAddOn a : addOns.forSubscription(tenantId, sub.id())) {
            var addOn = catalog.addOn(a.addOnCode());
            if (a.inForceOn(day) && addOn.isPresent() && (addOn.get().grants().stream().anyMatch(g -> g.metric().equals(metric))
                    || addOn.get().charges().stream().anyMatch(c -> c instanceof MeteredCharge m && m.metric().equals(metric)))) {
                return true;
            }
        }
        return false;
    }

    /**
     * Bundles that never expire: what is left of them when {@code window} starts. Each earlier billing period
     * since the purchase consumed, after everything else it had (plan allowance, packages, bundles of that
     * period), the part of its usage beyond that — as far as the bundles still had units.
     */
    private List<GrantedAllowance> lastingBundles(String tenantId, Subscription sub, Period window, List<PurchasedAddOn> bought, Catalog catalog) {
        List<PurchasedAddOn> lasting = bought.stream().filter(a -> a.type().equals(PurchasedAddOn.BUNDLE) && a.endDate() == null
                && a.startDate().isBefore(window.end())).toList();
        if (lasting.isEmpty()) {
            return List.of();
        }
        List<GrantedAllowance> out = new ArrayList<>();
        java.util.Set<String> metrics = new java.util.TreeSet<>();
        lasting.forEach(a -> catalog.addOn(a.addOnCode()).orElseThrow().grants().forEach(g -> metrics.add(g.metric())));
        var plan = billing.plan(tenantId, sub);
        for (String metric : metrics) {
            BigDecimal left = BigDecimal.ZERO;
            LocalDate cursor = lasting.stream().map(PurchasedAddOn::startDate).min(LocalDate::compareTo).orElseThrow();
            Period p = cursor.isBefore(sub.anchor()) ? new Period(sub.startDate(), sub.anchor()) : sub.periodContaining(cursor);
            while (p.start().isBefore(window.start())) {
                Period current = p;
                left = left.add(bundleUnits(catalog, lasting.stream().filter(a -> current.contains(a.startDate())).toList(), metric));
                BigDecimal base = plan.charges().stream().filter(c -> c instanceof dev.accrue.core.catalog.MeteredCharge m && m.metric().equals(metric))
                        .flatMap(c -> ((dev.accrue.core.catalog.MeteredCharge) c).allowances().stream()).map(dev.accrue.core.catalog.Allowance::quantity)
                        .reduce(BigDecimal.ZERO, BigDecimal::add);
                for (GrantedAllowance g : expiringBundles(current, bought, catalog)) {
                    base = g.metric().equals(metric) ? base.add(g.quantity()) : base;
                }
                BigDecimal used = usage.daily(tenantId, sub.id(), metric, current.start(), current.end()).stream()
                        .map(UsageRepository.DailyUsage::quantity).reduce(BigDecimal.ZERO, BigDecimal::add);
                left = left.subtract(used.subtract(base).max(BigDecimal.ZERO).min(left));
                p = sub.periodContaining(current.end());
            }
            Period current = p;
            left = left.add(bundleUnits(catalog, lasting.stream().filter(a -> !a.startDate().isBefore(current.start()) && a.startDate().isBefore(window.end()))
                    .toList(), metric));
            if (left.signum() > 0) {
                out.add(new GrantedAllowance(metric, left, "lasting bundles"));
            }
        }
        return out;
    }

    /** What the bundles that lapse at a period's end grant in {@code window}: their whole quantity, in the period they were bought. */
    private static List<GrantedAllowance> expiringBundles(Period window, List<PurchasedAddOn> bought, Catalog catalog) {
        List<GrantedAllowance> out = new ArrayList<>();
        for (PurchasedAddOn a : bought) {
            if (a.type().equals(PurchasedAddOn.BUNDLE) && a.endDate() != null && a.overlaps(window.start(), window.end())) {
                catalog.addOn(a.addOnCode()).orElseThrow().grants().forEach(g -> out.add(new GrantedAllowance(g.metric(), g.quantity(), a.addOnCode())));
            }
        }
        return out;
    }

    private static BigDecimal bundleUnits(Catalog catalog, List<PurchasedAddOn> bundles, String metric) {
        BigDecimal total = BigDecimal.ZERO;
        for (PurchasedAddOn a : bundles) {
            for (Grant g : catalog.addOn(a.addOnCode()).orElseThrow().grants()) {
                total = g.metric().equals(metric) ? total.add(g.quantity()) : total;
            }
        }
        return total;
    }

    @Override
    public List<InvoiceLine> linesDueOn(String tenantId, Subscription sub, Customer customer, LocalDate boundary) {
        if (boundary.getDayOfMonth() != 1) {
            return List.of();
        }
        return packageLines(tenantId, sub, customer, boundary);
    }

    @Override
    public void billRemaining(String tenantId, Subscription sub, Customer customer, LocalDate today) {
        while (true) {
            LocalDate due = addOns.forSubscription(tenantId, sub.id()).stream()
                    .filter(a -> a.type().equals(PurchasedAddOn.PACKAGE) && a.billedThrough() != null && !a.billedThrough().isAfter(today)
                            && (a.endDate() == null || a.billedThrough().isBefore(a.endDate()))
                            && (sub.endedOn() == null || a.billedThrough().isBefore(sub.endedOn())))
                    .map(PurchasedAddOn::billedThrough).min(LocalDate::compareTo).orElse(null);
            if (due == null) {
                return;
            }
            List<InvoiceLine> lines = packageLines(tenantId, sub, customer, due);
            if (!lines.isEmpty()) {
                billing.issue(tenantId, customer, sub.id(), sub.id() + ":add_ons:" + due, due, PackagePricing.calendarMonth(due), lines);
            }
        }
    }

    /** The month starting {@code monthStart} of every package due then; each is marked billed through the month's end. */
    private List<InvoiceLine> packageLines(String tenantId, Subscription sub, Customer customer, LocalDate monthStart) {
        Catalog catalog = catalogs.catalog(tenantId, sub.catalogVersion());
        Period month = PackagePricing.calendarMonth(monthStart);
        RoundingPolicy rounding = billing.rounding(tenantId);
        String currency = customer.currency().getCurrencyCode();
        List<InvoiceLine> lines = new ArrayList<>();
        for (PurchasedAddOn a : addOns.forSubscription(tenantId, sub.id())) {
            if (!a.type().equals(PurchasedAddOn.PACKAGE) || !Objects.equals(a.billedThrough(), monthStart)) {
                continue;
            }
            if ((a.endDate() != null && !a.endDate().isAfter(monthStart)) || (sub.endedOn() != null && !sub.endedOn().isAfter(monthStart))) {
                continue;
            }
            AddOn addOn = catalog.addOn(a.addOnCode()).orElseThrow();
            Money price = Money.of(addOn.price().getOrDefault(currency, BigDecimal.ZERO), currency);
            LocalDate from = a.startDate().isAfter(monthStart) ? a.startDate() : monthStart;
            if (price.isPositive()) {
                lines.add(new InvoiceLine(InvoiceLine.ADD_ON, addOn.code(), (addOn.name() == null ? addOn.code() : addOn.name()) + " — "
                        + month.start().getMonth() + " " + month.start().getYear(), month, BigDecimal.ONE, price,
                        PackagePricing.forMonth(price, addOn.proration(), from, month, rounding)));
            }
            addOns.setBilledThrough(tenantId, a.id(), month.end());
            subscriptions.touch(tenantId, sub.id(), time.systemNow());
        }
        return lines;
    }

    private Customer customer(String tenantId, Subscription sub) {
        return customers.find(tenantId, sub.customerId()).orElseThrow();
    }
}
