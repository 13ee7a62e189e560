package dev.accrue.core.subscription;

import dev.accrue.core.catalog.Plan;
import dev.accrue.core.catalog.RecurringCharge;
import dev.accrue.core.error.AccrueException;
import dev.accrue.core.error.ErrorCode;
import dev.accrue.core.invoice.InvoiceLine;
import dev.accrue.core.money.Money;
import dev.accrue.core.time.BillingTiming;
import dev.accrue.core.time.Fraction;
import dev.accrue.core.time.Period;
import dev.accrue.core.time.PeriodLabel;
import dev.accrue.core.time.Proration;
import dev.accrue.core.time.RoundingPolicy;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.Currency;
import java.util.List;

/**
 * The recurring lines of one billing period: full price, or prorated for a partial period. In-advance charges
 * are invoiced when the period opens (a calendar first period that starts mid-month is a stub); in-arrears
 * charges when it closes, for the days actually served (a subscription ended mid-period pays the days up to
 * its end, as its proration policy says). A charge whose price is zero gives no line.
 */
public final class RecurringBilling {
    private RecurringBilling() {
    }

    /** The in-advance lines of a period that opens. */
    public static List<InvoiceLine> linesFor(Subscription sub, Plan plan, Currency currency, Period period, RoundingPolicy rounding) {
        return linesFor(sub, plan, currency, period, sub.fullPeriodOf(period), BillingTiming.IN_ADVANCE, rounding);
    }

    /** The in-arrears lines of a period that closed: {@code served} is the part of its full period the customer had. */
    public static List<InvoiceLine> arrearsLinesFor(Subscription sub, Plan plan, Currency currency, Period served, RoundingPolicy rounding) {
        Period nominal = served.start().isBefore(sub.anchor()) ? served : sub.periodContaining(served.start());
        return linesFor(sub, plan, currency, served, sub.fullPeriodOf(nominal), BillingTiming.IN_ARREARS, rounding);
    }

    /**
     * The recurring fees of the days {@code served} of a period, in advance and in arrears alike, each as its line prices
     * that part of its full period: what the period's fees are when a minimum commitment is settled.
     */
    public static List<InvoiceLine> servedLinesFor(Subscription sub, Plan plan, Currency currency, Period served, RoundingPolicy rounding) {
        Period full = PeriodMinimums.fullPeriodOf(sub, served);
        List<InvoiceLine> lines = new ArrayList<>(linesFor(sub, plan, currency, served, full, BillingTiming.IN_ADVANCE, rounding));
        lines.addAll(linesFor(sub, plan, currency, served, full, BillingTiming.IN_ARREARS, rounding));
        return lines;
    }

    private static List<InvoiceLine> linesFor(Subscription sub, Plan plan, Currency currency, Period period, Period full, BillingTiming timing,
                                              RoundingPolicy rounding) {
        List<InvoiceLine> lines = new ArrayList<>();
        for (var charge : plan.charges()) {
            if (!(charge instanceof RecurringCharge r) || r.timing() != timing) {
                continue;
            }
            Money price = periodPrice(sub, plan, r, currency);
            if (price.isZero()) {
                continue; // a free fixed fee (a pay-as-you-go account) is no line: it would only clutter documents
            }
            Fraction share = Proration.fraction(period, full, r.proration());
            int units = r.units(sub.quantity());
            Money amount = rounding.apply(Proration.prorate(price.times(units), share));
            String description = plan.name() + " — " + r.name() + seats(units, price) + PeriodLabel.suffix(share, period);
            lines.add(new InvoiceLine(InvoiceLine.RECURRING, r.code(), description, period,
                    quantity(share).multiply(BigDecimal.valueOf(units)), price, amount));
        }
        return lines;
    }

    /** The unrounded price of one full period of this charge, on the subscription's interval. */
    public static Money periodPrice(Subscription sub, Plan plan, RecurringCharge charge, Currency currency) {
        var option = plan.interval(sub.interval()).orElseThrow(() -> new AccrueException(ErrorCode.VALIDATION_FAILED, "interval",
                "Plan " + plan.code() + " is not sold on a " + sub.interval().wire() + " interval"));
        BigDecimal amount = charge.periodPrice(option, currency.getCurrencyCode()).orElseThrow(() -> new AccrueException(
                ErrorCode.CURRENCY_MISMATCH, "currency", "Plan " + plan.code() + " has no " + currency.getCurrencyCode() + " price for " + charge.code()));
        return new Money(amount, currency);
    }

    /**
     * A line's quantity for a share of a period, at the scale invoices store ({@link InvoiceLine#QUANTITY_SCALE}),
     * so a preview, the change's answer and the invoice carry the same digits.
     */
    static BigDecimal quantity(Fraction f) {
        return BigDecimal.valueOf(f.numerator()).divide(BigDecimal.valueOf(f.denominator()), InvoiceLine.QUANTITY_SCALE, RoundingMode.HALF_UP)
                .stripTrailingZeros();
    }

    /** ", 3 seats × 30.00" on a line for several seats (the line's unit price is the price of one seat). */
    static String seats(int quantity, Money unitPrice) {
        return quantity == 1 ? "" : ", " + quantity + " seats × " + unitPrice.toPlainMinorString();
    }
}
