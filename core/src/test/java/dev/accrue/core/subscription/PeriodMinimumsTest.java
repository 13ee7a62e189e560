package dev.accrue.core.subscription;

import dev.accrue.core.catalog.Charge;
import dev.accrue.core.catalog.IntervalOption;
import dev.accrue.core.catalog.Invoicing;
import dev.accrue.core.catalog.MeteredCharge;
import dev.accrue.core.catalog.Plan;
import dev.accrue.core.catalog.PlanOverrides;
import dev.accrue.core.catalog.RecurringCharge;
import dev.accrue.core.catalog.ResetCadence;
import dev.accrue.core.catalog.TrialUsage;
import dev.accrue.core.invoice.InvoiceLine;
import dev.accrue.core.money.Money;
import dev.accrue.core.time.Alignment;
import dev.accrue.core.time.BillingInterval;
import dev.accrue.core.time.Period;
import dev.accrue.core.time.RoundingPolicy;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.Currency;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The one rule that settles minimums when a period closes: what is topped up, prorated and scaled, and what is left out. */
class PeriodMinimumsTest {
    static final Currency USD = Currency.getInstance("USD");
    static final MeteredCharge REQUESTS = new MeteredCharge("requests", "Requests", "api", List.of(), null, null, null, null, null, false, null,
            Map.of("USD", new BigDecimal("50.00")));
    static final MeteredCharge WEEKLY_TEXTS = new MeteredCharge("texts", "Texts", "sms", List.of(), null, null, null, null, ResetCadence.WEEK,
            false, null);
    static final RecurringCharge BASE = new RecurringCharge("base", "Base", Map.of("USD", new BigDecimal("20.00")), null, null, null, null);

    static Plan plan(BigDecimal commitment, Charge... charges) {
        return new Plan("growth", "api", "Growth", 1, null, List.of(new IntervalOption(BillingInterval.MONTH, null),
                new IntervalOption(BillingInterval.QUARTER, BigDecimal.TEN)), Alignment.CALENDAR, 0, List.of(charges), null, null, null, null,
                Invoicing.STANDARD, TrialUsage.FREE, commitment == null ? Map.of() : Map.of("USD", commitment));
    }

    static Subscription sub(BillingInterval interval, LocalDate start) {
        return new Subscription("sub_1", "cus_1", 1, "growth", interval, Alignment.CALENDAR, start, null, start, start, null, null, null, false,
                null, null, null, PlanOverrides.NONE, 7, null, null, null, 0, null, null);
    }

    static InvoiceLine usage(String code, String amount, Period p) {
        return new InvoiceLine(InvoiceLine.USAGE, code, code, p, BigDecimal.ONE, Money.of(amount, "USD"), Money.of(amount, "USD"));
    }

    static List<String> text(List<InvoiceLine> lines) {
        return lines.stream().map(l -> l.chargeCode() + " " + l.amount().toPlainMinorString()).toList();
    }

    @Test
    void aChargeBelowItsMinimumIsToppedUpAndOneAtItIsNot() {
        Period june = new Period(LocalDate.of(2026, 6, 1), LocalDate.of(2026, 7, 1));
        Subscription s = sub(BillingInterval.MONTH, june.start());
        assertThat(text(PeriodMinimums.trueUps(s, plan(null, REQUESTS), USD, june, List.of(usage("requests", "12.34", june)), RoundingPolicy.DEFAULT)))
                .containsExactly("requests 37.66");
        assertThat(PeriodMinimums.trueUps(s, plan(null, REQUESTS), USD, june, List.of(usage("requests", "50.00", june)), RoundingPolicy.DEFAULT)).isEmpty();
    }

    @Test
    void aStubIsProratedByDayAndAQuarterOwesThreeMonthsWithoutItsDiscount() {
        Period stub = new Period(LocalDate.of(2026, 6, 21), LocalDate.of(2026, 7, 1)); // 10/30 of June
        assertThat(text(PeriodMinimums.trueUps(sub(BillingInterval.MONTH, stub.start()), plan(null, REQUESTS), USD, stub, List.of(),
                RoundingPolicy.DEFAULT))).containsExactly("requests 16.67");
        Period quarter = new Period(LocalDate.of(2026, 7, 1), LocalDate.of(2026, 10, 1));
        assertThat(text(PeriodMinimums.trueUps(sub(BillingInterval.QUARTER, quarter.start()), plan(null, REQUESTS), USD, quarter, List.of(),
                RoundingPolicy.DEFAULT))).containsExactly("requests 150.00");
    }

    @Test
    void theCommitmentCountsTheServedFeesThePeriodsUsageAndItsTrueUpsButNotOwnCadenceCharges() {
        Period june = new Period(LocalDate.of(2026, 6, 1), LocalDate.of(2026, 7, 1));
        Subscription seven = sub(BillingInterval.MONTH, june.start());
        // fees: base 20.00 × 7 seats + requests 10.00 + its true-up 40.00 = 190.00; the weekly texts' 500.00 are billed on their own cadence
        List<InvoiceLine> lines = PeriodMinimums.trueUps(seven, plan(new BigDecimal("300.00"), BASE, REQUESTS, WEEKLY_TEXTS), USD, june,
                List.of(usage("requests", "10.00", june), usage("texts", "500.00", june)), RoundingPolicy.DEFAULT);
        assertThat(text(lines)).containsExactly("requests 40.00", "minimum_commitment 110.00");
        assertThat(lines).allSatisfy(l -> assertThat(l.kind()).isEqualTo(InvoiceLine.TRUE_UP));
        assertThat(lines.get(1).description()).isEqualTo("Growth — minimum commitment 300.00, period fees 190.00, true-up — June 2026");
    }
}
