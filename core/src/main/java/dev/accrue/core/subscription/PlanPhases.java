package dev.accrue.core.subscription;

import dev.accrue.core.catalog.Introductory;
import dev.accrue.core.catalog.OneTimeFee;
import dev.accrue.core.catalog.Plan;
import dev.accrue.core.catalog.PlanOverrides;
import dev.accrue.core.invoice.InvoiceLine;
import dev.accrue.core.money.Money;
import dev.accrue.core.time.Period;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Currency;
import java.util.List;
import java.util.Map;

/**
 * The phases a subscription goes through on the plan it started on: an introductory price, a fixed term, one-time fees.
 *
 * <p>Rules (docs/catalog.md, "Plan phases"): phases are counted in <em>full</em> billing periods from the first billing
 * day (the trial end when there is a trial); a calendar stub before the first full period belongs to the first phase and
 * is prorated as its charges say. The introductory price replaces the monthly price of the charges it names for every
 * period that starts before the introduction's end, and is prorated exactly as the charge is (a stub costs its share of
 * the introductory price). The term ends on a period boundary, so its end is never prorated. One-time fees are billed in
 * full on the invoice that opens their phase, whatever share of a period that phase's first period is.
 */
public final class PlanPhases {
    private PlanPhases() {
    }

    /** When the introduction and the term end (each null when the plan has none), for a subscription starting on {@code plan}. */
    public record Dates(LocalDate introductionEnds, LocalDate termEnds) {
        public static final Dates NONE = new Dates(null, null);
    }

    public static Dates datesFor(Plan plan, Subscription sub) {
        LocalDate intro = plan.introductory() == null ? null : endOfFullPeriods(sub, plan.introductory().periods());
        LocalDate term = plan.term() == null ? null : endOfFullPeriods(sub, plan.term().periods());
        return new Dates(intro, term);
    }

    /** The boundary after {@code n} full periods of the subscription's schedule, a calendar stub before them not counted. */
    static LocalDate endOfFullPeriods(Subscription sub, int n) {
        Period p = sub.periodContaining(sub.anchor());
        int counted = 0;
        while (true) {
            if (sub.fullPeriodOf(p).equals(p)) {
                counted++;
            }
            if (counted == n) {
                return p.end();
            }
            p = sub.periodContaining(p.end());
        }
    }

    /** The plan as billed for {@code period}: with the introductory prices when the period starts before the introduction ends. */
    public static Plan billedDuring(Plan plan, Dates dates, Period period) {
        Introductory intro = plan.introductory();
        if (intro == null || dates.introductionEnds() == null || !period.start().isBefore(dates.introductionEnds())) {
            return plan;
        }
        return new PlanOverrides(intro.prices(), Map.of(), Map.of(), Map.of(), Map.of()).applyTo(plan);
    }

    /**
     * The one-time fees billed on the invoice that opens {@code period}: activation fees on the first billing period,
     * introductory-end fees on the period that starts when the introduction ends. A fee without a price in the currency is
     * no line (the validator requires every currency).
     */
    public static List<InvoiceLine> feesOpening(Plan plan, Dates dates, Period period, boolean firstPeriod, Currency currency) {
        List<InvoiceLine> lines = new ArrayList<>();
        for (OneTimeFee fee : plan.oneTimeFees()) {
            boolean due = switch (fee.on()) {
                case ACTIVATION -> firstPeriod;
                case INTRODUCTORY_END -> period.start().equals(dates.introductionEnds());
            };
            BigDecimal amount = fee.amount().get(currency.getCurrencyCode());
            if (!due || amount == null || amount.signum() == 0) {
                continue;
            }
            Money price = new Money(amount, currency);
            String name = fee.name() == null ? fee.code() : fee.name();
            lines.add(new InvoiceLine(InvoiceLine.FEE, fee.code(), plan.name() + " — " + name + " (one-time)", period, BigDecimal.ONE, price, price));
        }
        return lines;
    }
}
