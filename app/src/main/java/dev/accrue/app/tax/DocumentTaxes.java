package dev.accrue.app.tax;

import dev.accrue.app.catalog.CatalogService;
import dev.accrue.app.subscription.SubscriptionRepository;
import dev.accrue.app.tenant.TenantRepository;
import dev.accrue.core.catalog.AddOn;
import dev.accrue.core.catalog.Catalog;
import dev.accrue.core.customer.AccountType;
import dev.accrue.core.customer.BillingAddress;
import dev.accrue.core.customer.Customer;
import dev.accrue.core.invoice.InvoiceLine;
import dev.accrue.core.money.Money;
import dev.accrue.core.subscription.Subscription;
import dev.accrue.core.tax.DiscountsPerRate;
import dev.accrue.core.tax.Jurisdiction;
import dev.accrue.core.tax.PriceMode;
import dev.accrue.core.tax.TaxCalculator;
import dev.accrue.core.tax.TaxCategory;
import dev.accrue.core.tax.TaxContext;
import dev.accrue.core.tax.TaxRate;
import dev.accrue.core.tax.TaxRates;
import dev.accrue.core.tax.TaxResult;
import dev.accrue.core.tax.TaxSettings;
import dev.accrue.core.tax.TaxStatus;
import dev.accrue.core.tax.Taxable;
import dev.accrue.core.tax.TaxedLines;
import dev.accrue.core.time.Period;
import dev.accrue.core.time.RoundingPolicy;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Puts a document's taxes on it: the one place (called by the invoice issuer for invoices and proformas alike)
 * where charged lines become tax lines, with the tenant's settings and the customer's address, status and VAT id.
 * Runs before customer credit and prepaid payment, which pay the taxed total.
 *
 * <p>A tax line is an ordinary invoice line of kind {@code tax}: quantity = the rate (0.2), unit price = the
 * taxable amount, amount = the tax, description = type, rate and any legal mention ("VAT 0 % — Reverse charge…"),
 * charge code = the tax type (VAT, GST…), so any renderer shows it without knowing about taxes. With tax-inclusive
 * prices the line is of kind {@code tax_included}: the charged lines already hold that tax, so it does not add to the
 * total, and the unit price is the net amount. Every charge line and every tax line records its {@link LineTax}
 * (which tax line covers it, its EN 16931 VAT category, its jurisdiction), the one decision documents, e-invoices and
 * the tax report read back.
 *
 * <p>Discounts before tax: a coupon's discount arrives as parts per charge code it discounted ({@code InvoiceDiscounts}),
 * each taxed in the category of that charge, so it lowers the base of the rate it discounted; the parts of one coupon
 * under one tax line are then shown as one discount line ({@link DiscountsPerRate}).
 *
 * <p>Prepaid money is taxed once, when it comes in: a wallet top-up's receipt carries the tax ({@link #topUp}), and
 * the documents of prepaid customers, which that already-taxed money pays, get no tax lines.
 */
public final class DocumentTaxes {
    /** Kinds of line billed for an add-on (its code is the line's charge code); the others are the plan's charges. */
    private static final Set<String> ADD_ON_KINDS = Set.of(InvoiceLine.ADD_ON, InvoiceLine.BUNDLE, InvoiceLine.RENTAL, InvoiceLine.FEE);
    private final TaxSettingsRepository settings;
    private final TenantRepository tenants;
    private final SubscriptionRepository subscriptions;
    private final CatalogService catalogs;

    public DocumentTaxes(TaxSettingsRepository settings, TenantRepository tenants, SubscriptionRepository subscriptions, CatalogService catalogs) {
        this.settings = settings;
        this.tenants = tenants;
        this.subscriptions = subscriptions;
        this.catalogs = catalogs;
    }

    /** The document's lines with its tax lines after them, its subtotal before tax and its total with tax. */
    public record Taxed(List<InvoiceLine> lines, Money subtotal, Money tax, Money total) {
    }

    /** The catalog's {@code tax_category} of each charge and add-on of the subscription's plan and catalog version. */
    private record Categories(Map<String, TaxCategory> planCharges, Map<String, TaxCategory> addOns) {
        TaxCategory of(InvoiceLine line) {
            if (InvoiceLine.ONE_OFF.equals(line.kind())) {
                return TaxCategory.parse(line.chargeCode()); // a one-off charge is in no catalog: it names its category itself
            }
            Map<String, TaxCategory> first = ADD_ON_KINDS.contains(line.kind()) ? addOns : planCharges;
            Map<String, TaxCategory> second = first == addOns ? planCharges : addOns;
            TaxCategory c = first.get(line.chargeCode());
            c = c == null ? second.get(line.chargeCode()) : c;
            return c == null ? TaxCategory.STANDARD : c;
        }
    }

    private Categories categories(String tenantId, String subscriptionId) {
        Map<String, TaxCategory> plan = new HashMap<>();
        Map<String, TaxCategory> addOns = new HashMap<>();
        Subscription sub = subscriptionId == null ? null : subscriptions.find(tenantId, subscriptionId).orElse(null);
        if (sub != null) {
            Catalog catalog = catalogs.catalog(tenantId, sub.catalogVersion());
            catalog.plan(sub.planCode()).ifPresent(p -> p.charges().forEach(c -> putCategory(plan, c.code(), c.taxCategory())));
            for (AddOn a : catalog.addOns()) {
                putCategory(addOns, a.code(), a.taxCategory());
                // an add-on's own metered charges are taxed as the add-on unless they say otherwise
                a.charges().forEach(c -> putCategory(addOns, c.code(), c.taxCategory() == null ? a.taxCategory() : c.taxCategory()));
            }
        }
        return new Categories(plan, addOns);
    }

    private static void putCategory(Map<String, TaxCategory> map, String code, TaxCategory category) {
        if (category != null) {
            map.put(code, category);
        }
    }

    /** The tax of a wallet top-up: its rate (0 when none applies) and amount, added to what the customer pays. */
    public record TopUpTax(BigDecimal rate, Money tax) {
    }

    /**
     * A top-up of {@code amount} taxed by the same calculator as every document (the amount is what is credited, so
     * the tax is added to it whatever the tenant's price mode): with the tenant's tax settings when it collects tax —
     * the customer's jurisdiction, status and reverse charge — otherwise at the tenant's older single top-up
     * {@code tax_rate}, kept for tenants that have not configured taxes.
     */
    public TopUpTax topUp(String tenantId, Customer customer, Money amount, RoundingPolicy rounding) {
        TaxSettings s = settings.find(tenantId);
        BillingAddress a = customer.billingAddress();
        Jurisdiction where = a == null || a.country() == null ? null : new Jurisdiction(a.country(), a.region());
        TaxContext ctx;
        if (s.collectsTax()) {
            ctx = new TaxContext(s.sellerCountry(), PriceMode.TAX_EXCLUSIVE, s.rates(), where, customer.taxStatus(), customer.taxId());
        } else {
            BigDecimal legacy = tenants.find(tenantId).orElseThrow().settings().taxRate();
            if (where == null || legacy.signum() == 0) {
                return new TopUpTax(BigDecimal.ZERO, Money.zero(customer.currency()));
            }
            ctx = new TaxContext(null, PriceMode.TAX_EXCLUSIVE,
                    new TaxRates(List.of(new TaxRate(where.wholeCountry(), TaxCategory.STANDARD, "VAT", legacy))), where, TaxStatus.TAXABLE, null);
        }
        TaxResult r = TaxCalculator.calculate(customer.currency(), List.of(new Taxable(TaxCategory.STANDARD, amount)), ctx, rounding);
        return r.lines().isEmpty() ? new TopUpTax(BigDecimal.ZERO, Money.zero(customer.currency()))
                : new TopUpTax(r.lines().getFirst().rate(), r.tax());
    }

    public Taxed apply(String tenantId, Customer customer, String subscriptionId, List<InvoiceLine> lines, Period period, RoundingPolicy rounding) {
        TaxSettings s = settings.find(tenantId);
        Categories categories = categories(tenantId, subscriptionId);
        // a discount is taxed as the charge it discounted (discounts before tax: it lowers that charge's rate), its
        // parts carrying that charge's code (InvoiceDiscounts)
        Map<String, TaxCategory> discounted = new HashMap<>();
        for (InvoiceLine l : lines) {
            if (TaxedLines.isCharge(l) && !InvoiceLine.DISCOUNT.equals(l.kind())) {
                discounted.putIfAbsent(l.chargeCode(), categories.of(l));
            }
        }
        List<Taxable> charges = new ArrayList<>();
        for (InvoiceLine l : lines) {
            if (TaxedLines.isCharge(l)) {
                TaxCategory c = InvoiceLine.DISCOUNT.equals(l.kind()) && discounted.containsKey(l.chargeCode()) ? discounted.get(l.chargeCode()) : categories.of(l);
                charges.add(new Taxable(c, l.amount()));
            }
        }
        Money charged = charges.stream().map(Taxable::amount).reduce(Money.zero(customer.currency()), Money::plus);
        // lines that are not charges (a credit already on the lines) still count in what is owed
        Money others = lines.stream().map(InvoiceLine::amount).reduce(Money.zero(customer.currency()), Money::plus).minus(charged);
        boolean taxedAtTopUp = customer.accountType() == AccountType.PREPAID;
        if (!s.collectsTax() || charges.isEmpty() || taxedAtTopUp) {
            return new Taxed(DiscountsPerRate.fold(List.copyOf(lines)), charged, Money.zero(customer.currency()), charged.plus(others));
        }
        BillingAddress a = customer.billingAddress();
        Jurisdiction where = a == null || a.country() == null ? null : new Jurisdiction(a.country(), a.region());
        TaxResult r = TaxCalculator.calculate(customer.currency(), charges,
                new TaxContext(s.sellerCountry(), s.prices(), s.rates(), where, customer.taxStatus(), customer.taxId()), rounding);
        List<InvoiceLine> taxed = DiscountsPerRate.fold(TaxedLines.of(lines, r, period));
        return new Taxed(List.copyOf(taxed), r.subtotal(), r.tax(), r.total().plus(others));
    }
}
