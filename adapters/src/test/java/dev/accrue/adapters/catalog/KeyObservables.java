package dev.accrue.adapters.catalog;

import dev.accrue.adapters.json.Json;
import dev.accrue.core.addon.AddOnAllowances;
import dev.accrue.core.addon.GrantedAllowance;
import dev.accrue.core.addon.PackagePricing;
import dev.accrue.core.addon.RentalPricing;
import dev.accrue.core.catalog.AddOn;
import dev.accrue.core.catalog.Catalog;
import dev.accrue.core.catalog.CountedCharge;
import dev.accrue.core.catalog.MeteredCharge;
import dev.accrue.core.catalog.Plan;
import dev.accrue.core.catalog.PlanOverrides;
import dev.accrue.core.catalog.RecurringCharge;
import dev.accrue.core.error.AccrueException;
import dev.accrue.core.invoice.InvoiceLine;
import dev.accrue.core.metering.EventRules;
import dev.accrue.core.metering.RawEvent;
import dev.accrue.core.money.Money;
import dev.accrue.core.subscription.CountedPricing;
import dev.accrue.core.subscription.PlanChanges;
import dev.accrue.core.subscription.PeriodMinimums;
import dev.accrue.core.subscription.PlanPhases;
import dev.accrue.core.subscription.RecurringBilling;
import dev.accrue.core.subscription.Subscription;
import dev.accrue.core.subscription.UsageBilling;
import dev.accrue.core.subscription.UsageBilling.DayUsage;
import dev.accrue.core.time.Alignment;
import dev.accrue.core.time.BillingInterval;
import dev.accrue.core.time.BillingSchedule;
import dev.accrue.core.time.Period;
import dev.accrue.core.time.RoundingPolicy;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Currency;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * What {@link CatalogKeysHaveEffectTest} looks at: results of the pure billing functions the application calls
 * with catalog values (invoice lines, prices, periods, event outcomes, entitlements), computed for the
 * {@link KeyCatalog} on fixed dates and usage.
 */
final class KeyObservables {
    static final String USD = "USD";
    static final Currency DOLLAR = Currency.getInstance(USD);
    static final RoundingPolicy ROUNDING = RoundingPolicy.DEFAULT;
    static final LocalDate MARCH_1 = LocalDate.of(2026, 3, 1);
    static final LocalDate MARCH_10 = LocalDate.of(2026, 3, 10);
    static final LocalDate MARCH_15 = LocalDate.of(2026, 3, 15);
    static final Period MARCH = new Period(MARCH_1, LocalDate.of(2026, 4, 1));

    /**
     * March's usage: 1200 s of calls in two days (600 past the 600 s allowance), 10 texts to FR and 10 to US,
     * 150 API requests, 3000 emails in two days; the 10 texts to FR are 4 messages (several segments each).
     */
    static final Map<String, List<DayUsage>> USAGE = Map.of(
            "calls", List.of(new DayUsage(MARCH_1, "", d("600"), 5), new DayUsage(MARCH_10, "", d("600"), 5)),
            "sms", List.of(new DayUsage(MARCH_1, "country=FR", d("10"), 4), new DayUsage(MARCH_1, "country=US", d("10"), 10)),
            "requests", List.of(new DayUsage(MARCH_1, "", d("150"), 150)),
            "payments", List.of(new DayUsage(MARCH_1, "", d("700"), 3), new DayUsage(MARCH_10, "", d("300"), 2)),
            "emails", List.of(new DayUsage(MARCH_1, "", d("1500"), 1500), new DayUsage(MARCH_10, "", d("1500"), 1500)));

    private KeyObservables() {
    }

    static BigDecimal d(String value) {
        return new BigDecimal(value);
    }

    static Plan plan(Catalog c, String code) {
        return c.plan(code).orElseThrow();
    }

    static Subscription subscription(Plan plan, BillingInterval interval, Alignment alignment, LocalDate start) {
        return new Subscription("sub_1", "cus_1", 1, plan.code(), interval, alignment, start, null, start, start, null, null, null,
                false, null, null, null, PlanOverrides.NONE, 1, null, null, null, 0, null, null);
    }

    /** Lines as comparable text: charge, description, amount. */
    static List<String> text(List<InvoiceLine> lines) {
        return lines.stream().map(l -> l.kind() + " " + l.chargeCode() + " | " + l.description() + " | " + l.amount()).toList();
    }

    /** The result, or the refusal's code when the billing function refuses (a price the plan does not have). */
    static String attempt(Supplier<Object> result) {
        try {
            return String.valueOf(result.get());
        } catch (AccrueException e) {
            return "refused " + e.code();
        }
    }

    /** The recurring lines of the first period of a subscription started on March 15 (alignment null: the plan's). */
    static List<String> firstInvoice(Catalog c, String plan, BillingInterval interval, Alignment alignment) {
        Plan p = plan(c, plan);
        Subscription sub = subscription(p, interval, alignment == null ? p.alignment() : alignment, MARCH_15);
        return text(RecurringBilling.linesFor(sub, p, DOLLAR, sub.schedule().firstPeriod(), ROUNDING));
    }

    /** The recurring lines of the basic plan's first month for 3 seats. */
    static List<String> threeSeats(Catalog c) {
        Plan p = plan(c, "basic");
        Subscription one = subscription(p, BillingInterval.MONTH, Alignment.ANNIVERSARY, MARCH_1);
        Subscription three = one.withQuantity(3);
        return text(RecurringBilling.linesFor(three, p, DOLLAR, three.schedule().firstPeriod(), ROUNDING));
    }

    /** The full-period price of the basic plan's base charge on an interval. */
    static String basePrice(Catalog c, BillingInterval interval) {
        Plan p = plan(c, "basic");
        RecurringCharge base = (RecurringCharge) p.charge("base").orElseThrow();
        return attempt(() -> RecurringBilling.periodPrice(subscription(p, interval, Alignment.ANNIVERSARY, MARCH_1), p, base, DOLLAR));
    }

    /** March's usage lines of a plan (as given: overrides and grants already applied), invoiced on the billing period. */
    static List<String> usageLines(Catalog c, Plan plan, PlanOverrides overrides) {
        return text(UsageBilling.linesFor(plan, c, overrides, MARCH, USAGE, DOLLAR, ROUNDING));
    }

    /** The true-up lines that settle March on the basic plan (monthly, anniversary): its usage, its base fee, its minimums. */
    static List<String> periodTrueUps(Catalog c) {
        Plan p = plan(c, "basic");
        Subscription sub = subscription(p, BillingInterval.MONTH, Alignment.ANNIVERSARY, MARCH_1);
        return text(PeriodMinimums.trueUps(sub, p, DOLLAR, MARCH, UsageBilling.linesFor(p, c, PlanOverrides.NONE, MARCH, USAGE, DOLLAR, ROUNDING),
                ROUNDING));
    }

    static List<String> basicUsage(Catalog c) {
        return usageLines(c, plan(c, "basic"), PlanOverrides.NONE);
    }

    /** The basic plan's usage lines with the grants of every add-on the catalog sells on it (what a buyer of all gets). */
    static List<String> basicUsageWithAddOns(Catalog c) {
        List<GrantedAllowance> grants = new ArrayList<>();
        c.addOns().stream().filter(a -> a.availableOnPlan("basic"))
                .forEach(a -> a.grants().forEach(g -> grants.add(new GrantedAllowance(g.metric(), g.quantity(), a.code()))));
        return usageLines(c, AddOnAllowances.apply(plan(c, "basic"), grants), PlanOverrides.NONE);
    }

    /** The contacts plan's usage lines for 500 contacts counted at renewal (their derived email allowance included). */
    static List<String> contactsUsage(Catalog c) {
        return usageLines(c, CountedPricing.withDerivedAllowances(plan(c, "contacts_plan"), Map.of("contacts", 500L)), PlanOverrides.NONE);
    }

    /** The contacts charge's March line for a count, after a previous renewal invoiced {@code lastMonthly}. */
    static String countedLine(Catalog c, long count, String lastMonthly) {
        Plan p = plan(c, "contacts_plan");
        CountedCharge k = (CountedCharge) p.charge("contacts").orElseThrow();
        var option = p.interval(BillingInterval.MONTH).orElseThrow();
        var quote = CountedPricing.quote(k, option, count, USD, lastMonthly == null ? null : d(lastMonthly));
        String unit = c.metric(k.metric()).orElseThrow().unit();
        return text(List.of(CountedPricing.line(p, k, option, quote, unit, MARCH, MARCH, DOLLAR, ROUNDING))).getFirst();
    }

    /** When an upgrade from basic to pro asked for on March 15 takes effect, for a month billed through April 1. */
    static String upgradeTiming(Catalog c) {
        Plan basic = plan(c, "basic");
        Subscription sub = subscription(basic, BillingInterval.MONTH, Alignment.ANNIVERSARY, MARCH_1).billed(MARCH.end(), MARCH.end());
        var quote = PlanChanges.quote(sub, basic, plan(c, "pro"), c.isUpgrade("basic", "pro"), false, MARCH_15, DOLLAR, ROUNDING);
        return quote.timing() + " " + text(quote.lines());
    }

    /** The outcome of one usage event for a metric, sent on March 5. */
    static String event(Catalog c, String metric, Map<String, Object> properties) {
        RawEvent raw = new RawEvent("evt_1", "cus_1", metric, "2026-03-05T10:00:00Z", properties);
        var outcome = EventRules.check(raw, c.metric(metric).orElseThrow(), "sub_1", ZoneOffset.UTC, Instant.parse("2026-03-05T10:01:00Z"),
                Duration.ofDays(30), d("1000000"));
        if (outcome instanceof EventRules.Accepted a) {
            return "accepted quantity=" + a.event().quantity() + " counted=" + a.event().counted() + " dimensions=" + a.event().dimensionKey();
        }
        return "rejected " + ((EventRules.Rejected) outcome).rejection().code();
    }

    /** Whether the basic plan grants a feature at a level. */
    static boolean grants(Plan plan, String feature, long atLeast) {
        return plan.entitlements().grants(feature, atLeast);
    }

    /** What the minutes pack costs for March when bought on March 15. */
    static String packageMonth(Catalog c) {
        AddOn pack = c.addOn("minutes_pack").orElseThrow();
        return PackagePricing.forMonth(Money.of(pack.price().get(USD), USD), pack.proration(), MARCH_15, MARCH, ROUNDING).toString();
    }

    /** What the first rental option costs for the second half of March. */
    static String rentalHalfMonth(Catalog c) {
        AddOn rental = c.addOn("numbers_rental").orElseThrow();
        Money fee = Money.of(rental.rental().options().getFirst().monthlyFee().get(USD), USD);
        return RentalPricing.forPart(fee, new Period(MARCH_15, MARCH.end()), MARCH, ROUNDING).toString();
    }

    /** The weekly invoicing windows of the basic plan's minutes charge that hold March 30 and April 2. */
    static String ownCadenceWindows(Catalog c) {
        MeteredCharge m = (MeteredCharge) plan(c, "basic").charge("minutes").orElseThrow();
        var schedule = new BillingSchedule(LocalDate.of(2026, 3, 26), BillingInterval.WEEK, Alignment.ANNIVERSARY, m.cutAtMonthStart());
        return schedule.periodContaining(LocalDate.of(2026, 3, 30)) + " " + schedule.periodContaining(LocalDate.of(2026, 4, 2));
    }

    /** The catalog as the API serves it back (GET /v1/catalog/versions/…): where pure labels are seen. */
    static String served(Catalog c) {
        return Json.write(c);
    }

    static PlanOverrides overrides(String json) {
        try {
            return Json.MAPPER.readValue(json, PlanOverrides.class);
        } catch (Exception e) {
            throw new IllegalArgumentException(json, e);
        }
    }

    static Map<String, Object> props(Object... keyValues) {
        Map<String, Object> out = new LinkedHashMap<>();
        for (int i = 0; i < keyValues.length; i += 2) {
            out.put((String) keyValues[i], keyValues[i + 1]);
        }
        return out;
    }

    /** The basic plan's first four monthly periods from March 1 through its phases (prices and one-time fees), and when its term ends. */
    static List<String> phases(Catalog c) {
        Plan p = plan(c, "basic");
        Subscription sub = subscription(p, BillingInterval.MONTH, Alignment.ANNIVERSARY, MARCH_1);
        PlanPhases.Dates dates = PlanPhases.datesFor(p, sub);
        List<String> out = new ArrayList<>();
        Period period = sub.schedule().firstPeriod();
        for (int i = 0; i < 4; i++) {
            out.addAll(text(RecurringBilling.linesFor(sub, PlanPhases.billedDuring(p, dates, period), DOLLAR, period, ROUNDING)));
            out.addAll(text(PlanPhases.feesOpening(p, dates, period, i == 0, DOLLAR)));
            period = sub.periodContaining(period.end());
        }
        out.add("term ends " + dates.termEnds());
        return out;
    }
}
