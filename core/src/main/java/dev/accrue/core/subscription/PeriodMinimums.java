package dev.accrue.core.subscription;

import dev.accrue.core.catalog.CatalogValidator;
import dev.accrue.core.catalog.Charge;
import dev.accrue.core.catalog.MeteredCharge;
import dev.accrue.core.catalog.Plan;
import dev.accrue.core.catalog.ResetCadence;
import dev.accrue.core.invoice.InvoiceLine;
import dev.accrue.core.invoice.InvoiceTotals;
import dev.accrue.core.money.Money;
import dev.accrue.core.rating.Minimums;
import dev.accrue.core.time.Fraction;
import dev.accrue.core.time.Period;
import dev.accrue.core.time.PeriodLabel;
import dev.accrue.core.time.Proration;
import dev.accrue.core.time.ProrationPolicy;
import dev.accrue.core.time.RoundingPolicy;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Currency;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The true-up lines of a closed billing period (kind {@code true_up}), the one place minimums are settled:
 *
 * <ol>
 *   <li>each metered charge with a {@code minimum_spend} whose lines for the period sum below its minimum gets a line for
 *   the difference, under the charge's own code (so it is taxed, discounted and re-priced with the charge);</li>
 *   <li>a plan with a {@code minimum_commitment} compares it with the period's fees — the recurring fees of the days
 *   served as the plan prices them, the usage of the charges invoiced with the period and their true-ups — and bills a
 *   shortfall under the code {@value CatalogValidator#MINIMUM_COMMITMENT_CODE}.</li>
 * </ol>
 *
 * Both minimums are prorated by day on a partial period ({@link Minimums}). Usage windows re-priced later (late or
 * corrected events) are settled again by the same function, so the difference is adjusted like usage.
 */
public final class PeriodMinimums {
    private PeriodMinimums() {
    }

    /**
     * The true-up lines of {@code window} (a billing-period usage window, possibly cut), given its usage lines (lines of
     * charges on other cadences may be among them and are ignored).
     */
    public static List<InvoiceLine> trueUps(Subscription sub, Plan plan, Currency currency, Period window, List<InvoiceLine> usageLines,
                                            RoundingPolicy rounding) {
        String code = currency.getCurrencyCode();
        Period full = fullPeriodOf(sub, window);
        Fraction share = Proration.fraction(window, full, ProrationPolicy.BY_DAY);
        List<InvoiceLine> out = new ArrayList<>();
        Set<String> periodCharges = new HashSet<>();
        for (Charge charge : plan.charges()) {
            if (!(charge instanceof MeteredCharge m) || m.invoiceCadence() != ResetCadence.BILLING_PERIOD) {
                continue;
            }
            periodCharges.add(m.code());
            if (m.minimumSpend().isEmpty()) {
                continue;
            }
            Money minimum = Minimums.owed(m.minimumSpend(), sub.interval(), share, code, rounding);
            Money billed = InvoiceTotals.subtotal(currency, usageLines.stream().filter(l -> m.code().equals(l.chargeCode())).toList());
            Money trueUp = Minimums.trueUp(minimum, billed);
            if (trueUp.isPositive()) {
                String name = (m.name() == null ? m.code() : m.name());
                out.add(line(m.code(), plan.name() + " — " + name + ": minimum spend " + minimum.toPlainMinorString() + ", usage billed "
                        + billed.toPlainMinorString() + ", true-up", m.minimumSpend(), sub, share, window, currency, trueUp));
            }
        }
        if (!plan.minimumCommitment().isEmpty()) {
            List<InvoiceLine> fees = new ArrayList<>(RecurringBilling.servedLinesFor(sub, plan, currency, window, rounding));
            usageLines.stream().filter(l -> periodCharges.contains(l.chargeCode())).forEach(fees::add);
            fees.addAll(out);
            Money minimum = Minimums.owed(plan.minimumCommitment(), sub.interval(), share, code, rounding);
            Money billed = InvoiceTotals.subtotal(currency, fees);
            Money trueUp = Minimums.trueUp(minimum, billed);
            if (trueUp.isPositive()) {
                out.add(line(CatalogValidator.MINIMUM_COMMITMENT_CODE, plan.name() + " — minimum commitment " + minimum.toPlainMinorString()
                        + ", period fees " + billed.toPlainMinorString() + ", true-up", plan.minimumCommitment(), sub, share, window, currency, trueUp));
            }
        }
        return out;
    }

    /**
     * The full period a billing-period window belongs to (a calendar first stub belongs to its whole month; a period cut
     * by an end to the period it cuts). A window the current schedule does not enclose — an old window re-priced after an
     * interval change — is taken as whole.
     */
    static Period fullPeriodOf(Subscription sub, Period window) {
        Period nominal = sub.periodContaining(window.start());
        if (nominal == null || !nominal.encloses(window)) {
            return window;
        }
        Period full = sub.fullPeriodOf(nominal);
        return full.encloses(window) ? full : window;
    }

    private static InvoiceLine line(String chargeCode, String text, Map<String, BigDecimal> monthly, Subscription sub, Fraction share,
                                    Period window, Currency currency, Money amount) {
        BigDecimal perPeriod = monthly.get(currency.getCurrencyCode()).multiply(BigDecimal.valueOf(sub.interval().months()));
        return new InvoiceLine(InvoiceLine.TRUE_UP, chargeCode, text + PeriodLabel.suffix(share, window), window,
                RecurringBilling.quantity(share), new Money(perPeriod, currency), amount);
    }
}
