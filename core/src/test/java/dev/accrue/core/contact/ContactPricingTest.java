package dev.accrue.core.contact;

import dev.accrue.core.catalog.CountedCharge;
import dev.accrue.core.catalog.DerivedAllowance;
import dev.accrue.core.catalog.IntervalOption;
import dev.accrue.core.catalog.MeteredCharge;
import dev.accrue.core.catalog.Plan;
import dev.accrue.core.catalog.ResetCadence;
import dev.accrue.core.catalog.Tier;
import dev.accrue.core.invoice.InvoiceLine;
import dev.accrue.core.subscription.CountedPricing;
import dev.accrue.core.time.BillingInterval;
import dev.accrue.core.time.Period;
import dev.accrue.core.time.RoundingPolicy;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.LongRange;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Currency;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Tier bands and the last-invoiced floor of counted (contact) charges: pure, no database. */
class ContactPricingTest {
    static final CountedCharge CONTACTS = new CountedCharge("contacts", "Contacts", "contacts", List.of(
            tier(1000, "49.00"), tier(5000, "99.00"), tier(10000, "179.00"), tier(25000, "329.00"), tier(50000, "549.00"),
            new Tier(null, null, Map.of("EUR", new BigDecimal("899.00")))), true,
            List.of(new DerivedAllowance("email_sends", BigDecimal.valueOf(4), ResetCadence.MONTH)), null);
    static final IntervalOption MONTH = new IntervalOption(BillingInterval.MONTH, BigDecimal.ZERO);
    static final IntervalOption QUARTER = new IntervalOption(BillingInterval.QUARTER, BigDecimal.valueOf(5));
    static final IntervalOption YEAR = new IntervalOption(BillingInterval.YEAR, BigDecimal.valueOf(15));

    static Tier tier(long upTo, String eur) {
        return new Tier(BigDecimal.valueOf(upTo), null, Map.of("EUR", new BigDecimal(eur)));
    }

    @Test
    void theBandIsTheFirstTierWhoseInclusiveUpperBoundHoldsTheCount() {
        assertThat(CountedPricing.band(CONTACTS, 0, "EUR").monthlyPrice()).isEqualByComparingTo("49.00");
        assertThat(CountedPricing.band(CONTACTS, 1000, "EUR").monthlyPrice()).isEqualByComparingTo("49.00");
        assertThat(CountedPricing.band(CONTACTS, 1001, "EUR").monthlyPrice()).isEqualByComparingTo("99.00");
        assertThat(CountedPricing.band(CONTACTS, 1001, "EUR").label()).isEqualTo("1001–5000");
        assertThat(CountedPricing.band(CONTACTS, 50000, "EUR").monthlyPrice()).isEqualByComparingTo("549.00");
        assertThat(CountedPricing.band(CONTACTS, 50001, "EUR").monthlyPrice()).isEqualByComparingTo("899.00");
        assertThat(CountedPricing.band(CONTACTS, 2_000_000, "EUR").label()).isEqualTo("over 50000");
    }

    @Test
    void thePriceRisesWithTheCountButNeverDropsBelowTheLastInvoicedOne() {
        var grown = CountedPricing.quote(CONTACTS, MONTH, 7000, "EUR", new BigDecimal("99.00"));
        assertThat(grown.monthlyPrice()).isEqualByComparingTo("179.00");
        assertThat(grown.floored()).isFalse();
        var dropped = CountedPricing.quote(CONTACTS, MONTH, 800, "EUR", new BigDecimal("179.00"));
        assertThat(dropped.band().monthlyPrice()).isEqualByComparingTo("49.00");
        assertThat(dropped.monthlyPrice()).isEqualByComparingTo("179.00");
        assertThat(dropped.floored()).isTrue();
        var firstRenewal = CountedPricing.quote(CONTACTS, MONTH, 800, "EUR", null);
        assertThat(firstRenewal.monthlyPrice()).isEqualByComparingTo("49.00");
    }

    @Test
    void withoutMinimumIsLastInvoicedThePriceFollowsTheBandDown() {
        CountedCharge free = new CountedCharge("c", "C", "contacts", CONTACTS.tiers(), false, List.of(), null);
        assertThat(CountedPricing.quote(free, MONTH, 800, "EUR", new BigDecimal("179.00")).monthlyPrice()).isEqualByComparingTo("49.00");
    }

    @Test
    void longerIntervalsCostMonthlyTimesMonthsLessTheDiscount() {
        // 99.00 × 3 × 0.95 = 282.15 ; 99.00 × 12 × 0.85 = 1009.80
        assertThat(CountedPricing.quote(CONTACTS, QUARTER, 3000, "EUR", null).periodPrice()).isEqualByComparingTo("282.15");
        assertThat(CountedPricing.quote(CONTACTS, YEAR, 3000, "EUR", null).periodPrice()).isEqualByComparingTo("1009.80");
    }

    @Test
    void theLineSaysTheCountTheBandAndTheFloor() {
        Plan plan = plan();
        Period q = new Period(LocalDate.of(2026, 1, 15), LocalDate.of(2026, 4, 15));
        var quote = CountedPricing.quote(CONTACTS, QUARTER, 800, "EUR", new BigDecimal("99.00"));
        InvoiceLine line = CountedPricing.line(plan, CONTACTS, QUARTER, quote, "contact", q, q, Currency.getInstance("EUR"), RoundingPolicy.DEFAULT);
        assertThat(line.kind()).isEqualTo(InvoiceLine.COUNTED);
        assertThat(line.amount().amount()).isEqualByComparingTo("282.15");
        assertThat(line.description()).isEqualTo(
                "Marketing — Contacts: 800 contacts, band 0–1000 at 49.00/month; minimum price: last invoiced 99.00/month; 3 months less 5%");
    }

    @Test
    void aCalendarStubPeriodIsProratedByDayAndRoundedOnce() {
        Period full = new Period(LocalDate.of(2026, 1, 1), LocalDate.of(2026, 2, 1));
        Period stub = new Period(LocalDate.of(2026, 1, 15), LocalDate.of(2026, 2, 1));
        var quote = CountedPricing.quote(CONTACTS, MONTH, 3000, "EUR", null);
        InvoiceLine line = CountedPricing.line(plan(), CONTACTS, MONTH, quote, "contact", stub, full, Currency.getInstance("EUR"), RoundingPolicy.DEFAULT);
        // 99.00 × 17/31 = 54.2903… → 54.29
        assertThat(line.amount().amount()).isEqualByComparingTo("54.29");
        assertThat(line.description()).endsWith("at 99.00/month (17/31 days)");
    }

    @Test
    void anUpgradeChargesTheBandDifferenceForTheRemainingDaysAndNeverRefunds() {
        Period june = new Period(LocalDate.of(2026, 6, 1), LocalDate.of(2026, 7, 1));
        Period rest = new Period(LocalDate.of(2026, 6, 15), LocalDate.of(2026, 7, 1));
        var eur = Currency.getInstance("EUR");
        InvoiceLine line = CountedPricing.upgradeLine(plan(), CONTACTS, MONTH, 7000, new BigDecimal("99.00"), rest, june, eur, RoundingPolicy.DEFAULT);
        // (179.00 − 99.00) × 16/30 = 42.666… → 42.67
        assertThat(line.kind()).isEqualTo(InvoiceLine.PRORATION);
        assertThat(line.amount().amount()).isEqualByComparingTo("42.67");
        // quarterly: the difference is scaled like the period price (× 3 × 0.95) before prorating
        Period q = new Period(LocalDate.of(2026, 6, 1), LocalDate.of(2026, 9, 1));
        InvoiceLine quarterly = CountedPricing.upgradeLine(plan(), CONTACTS, QUARTER, 7000, new BigDecimal("99.00"), q, q, eur, RoundingPolicy.DEFAULT);
        assertThat(quarterly.amount().amount()).isEqualByComparingTo("228.00");
        assertThat(CountedPricing.upgradeLine(plan(), CONTACTS, MONTH, 10, new BigDecimal("99.00"), rest, june, eur, RoundingPolicy.DEFAULT))
                .as("a lower band is not refunded").isNull();
    }

    @Test
    void aWeeklyIntervalHasNoCountedPrice() {
        var week = new IntervalOption(BillingInterval.WEEK, BigDecimal.ZERO);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> CountedPricing.quote(CONTACTS, week, 10, "EUR", null))
                .isInstanceOf(dev.accrue.core.error.AccrueException.class);
    }

    @Test
    void derivedAllowancesAddPerUnitTimesTheCountToTheMeteredChargeOfTheirMetric() {
        Plan with = CountedPricing.withDerivedAllowances(plan(), Map.of("contacts", 2500L));
        MeteredCharge emails = (MeteredCharge) with.charge("emails").orElseThrow();
        assertThat(emails.allowances()).hasSize(1);
        assertThat(emails.allowances().getFirst().quantity()).isEqualByComparingTo("10000");
        assertThat(emails.allowances().getFirst().reset()).isEqualTo(ResetCadence.MONTH);
        assertThat(CountedPricing.withDerivedAllowances(plan(), Map.of())).isEqualTo(plan());
    }

    static Plan plan() {
        MeteredCharge emails = new MeteredCharge("emails", "Emails", "email_sends", List.of(), null, null, null, null, null, false, null);
        return new Plan("marketing", "usercom", "Marketing", 1, null, List.of(MONTH, QUARTER, YEAR), null, 0, List.of(CONTACTS, emails),
                null, null, null, null);
    }

    // ---- properties ----

    @Property
    void theBandPriceNeverDecreasesAsTheCountGrows(@ForAll @LongRange(max = 200_000) long a, @ForAll @LongRange(max = 200_000) long b) {
        assertThat(CountedPricing.band(CONTACTS, Math.min(a, b), "EUR").monthlyPrice())
                .isLessThanOrEqualTo(CountedPricing.band(CONTACTS, Math.max(a, b), "EUR").monthlyPrice());
    }

    @Property
    void aSequenceOfRenewalsNeverInvoicesLessThanBeforeAndAlwaysAtLeastTheBand(@ForAll("counts") List<Long> counts) {
        BigDecimal last = null;
        for (long count : counts) {
            var q = CountedPricing.quote(CONTACTS, MONTH, count, "EUR", last);
            assertThat(q.monthlyPrice()).isGreaterThanOrEqualTo(q.band().monthlyPrice());
            if (last != null) {
                assertThat(q.monthlyPrice()).isGreaterThanOrEqualTo(last);
                // it only ever stays or rises to a band price: the floor or the band, nothing else
                assertThat(q.monthlyPrice()).isEqualByComparingTo(last.max(q.band().monthlyPrice()));
            }
            last = q.monthlyPrice();
        }
    }

    @Property
    void theCountAlwaysLiesInsideItsBand(@ForAll @LongRange(max = 500_000) long count) {
        var band = CountedPricing.band(CONTACTS, count, "EUR");
        assertThat(count).isGreaterThanOrEqualTo(band.from());
        if (band.upTo() != null) {
            assertThat(count).isLessThanOrEqualTo(band.upTo());
        }
    }

    @Provide
    Arbitrary<List<Long>> counts() {
        return Arbitraries.longs().between(0, 120_000).list().ofMinSize(1).ofMaxSize(24).map(ArrayList::new);
    }
}
