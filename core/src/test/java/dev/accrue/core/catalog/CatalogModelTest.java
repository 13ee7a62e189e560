package dev.accrue.core.catalog;

import dev.accrue.core.error.AccrueException;
import dev.accrue.core.time.Alignment;
import dev.accrue.core.time.BillingInterval;
import dev.accrue.core.time.BillingTiming;
import dev.accrue.core.time.ProrationPolicy;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Lookups the billing engine relies on, and enterprise overrides. */
class CatalogModelTest {
    private static final RecurringCharge BASE = new RecurringCharge("base", "Base", Map.of("USD", new BigDecimal("30.00")),
            Map.of("week", Map.of("USD", new BigDecimal("8.00"))), ProrationPolicy.BY_DAY, BillingTiming.IN_ADVANCE, null);
    private static final MeteredCharge MINUTES = new MeteredCharge("minutes", "Minutes", "call_seconds",
            List.of(new Allowance(new BigDecimal("18000"), ResetCadence.MONTH)),
            new Pricing(PriceModel.PER_UNIT, Map.of("USD", new BigDecimal("0.12")), new BigDecimal("60"), null, null, null),
            null, null, null, null, false, null);

    private static Plan plan(String code, int tier, long employees, boolean queuing) {
        return new Plan(code, "voice", code, tier, null,
                List.of(new IntervalOption(BillingInterval.MONTH, null), new IntervalOption(BillingInterval.QUARTER, new BigDecimal("10")),
                        new IntervalOption(BillingInterval.WEEK, null)),
                Alignment.CALENDAR, 0, List.of(BASE, MINUTES),
                new Entitlements(Map.of("boosted_queuing", queuing), Map.of(), Map.of("ai_employees", employees)), null, null, null);
    }

    private static final Catalog CATALOG = new Catalog("acme", 1, Instant.parse("2026-01-01T00:00:00Z"), List.of("USD"), null,
            List.of(), List.of(new RateTable("sms", null, List.of("direction", "country"), "segment", null,
                    List.of(new RateRow(Map.of("direction", "inbound"), Map.of("USD", new BigDecimal("0.01"))),
                            new RateRow(Map.of("direction", "outbound", "country", "FR"), Map.of("USD", new BigDecimal("0.07")))),
                    Map.of("USD", new BigDecimal("0.10")))),
            List.of(), List.of(), List.of(plan("starter", 1, 1, false), plan("pro", 2, 5, true), plan("elite", 3, 20, true)), List.of());

    @Test
    void intervalPricesAreDerivedFromTheMonthlyPriceOrGivenExplicitly() {
        Plan p = CATALOG.plan("pro").orElseThrow();
        assertThat(BASE.periodPrice(p.interval(BillingInterval.MONTH).orElseThrow(), "USD").orElseThrow()).isEqualByComparingTo("30.00");
        assertThat(BASE.periodPrice(p.interval(BillingInterval.QUARTER).orElseThrow(), "USD").orElseThrow()).isEqualByComparingTo("81.00");
        assertThat(BASE.periodPrice(p.interval(BillingInterval.WEEK).orElseThrow(), "USD").orElseThrow()).isEqualByComparingTo("8.00");
        assertThat(BASE.periodPrice(p.interval(BillingInterval.MONTH).orElseThrow(), "EUR")).isEmpty();
    }

    @Test
    void tiersDecideUpgradesAndTheCheapestPlanWithAFeature() {
        assertThat(CATALOG.isUpgrade("starter", "pro")).isTrue();
        assertThat(CATALOG.isUpgrade("elite", "pro")).isFalse();
        assertThat(CATALOG.cheapestPlanWith("voice", "boosted_queuing", 1).orElseThrow().code()).isEqualTo("pro");
        assertThat(CATALOG.cheapestPlanWith("voice", "ai_employees", 6).orElseThrow().code()).isEqualTo("elite");
        assertThat(CATALOG.cheapestPlanWith("voice", "ai_employees", 50)).isEmpty();
    }

    @Test
    void ratesPickTheMostSpecificRowThenTheDefault() {
        RateTable sms = CATALOG.rateTable("sms").orElseThrow();
        assertThat(sms.rate(Map.of("direction", "inbound", "country", "US"), "USD").orElseThrow()).isEqualByComparingTo("0.01");
        assertThat(sms.rate(Map.of("direction", "outbound", "country", "FR"), "USD").orElseThrow()).isEqualByComparingTo("0.07");
        assertThat(sms.rate(Map.of("direction", "outbound", "country", "BR"), "USD").orElseThrow()).isEqualByComparingTo("0.10");
    }

    @Test
    void overridesReplacePricesAllowancesQuotasAndContractedRates() {
        PlanOverrides deal = new PlanOverrides(Map.of("base", Map.of("USD", new BigDecimal("25.00"))),
                Map.of("minutes", List.of(new Allowance(new BigDecimal("36000"), ResetCadence.MONTH))),
                Map.of(), Map.of("ai_employees", 12L),
                Map.of("sms", List.of(new RateRow(Map.of("direction", "outbound", "country", "FR"), Map.of("USD", new BigDecimal("0.05"))))));
        Plan custom = deal.applyTo(CATALOG.plan("pro").orElseThrow());
        RecurringCharge base = (RecurringCharge) custom.charge("base").orElseThrow();
        assertThat(base.monthlyPrice().get("USD")).isEqualByComparingTo("25.00");
        assertThat(((MeteredCharge) custom.charge("minutes").orElseThrow()).allowances().getFirst().quantity()).isEqualByComparingTo("36000");
        assertThat(custom.entitlements().quotas()).containsEntry("ai_employees", 12L);
        assertThat(custom.entitlements().features()).containsEntry("boosted_queuing", true);
        RateTable contracted = deal.applyTo(CATALOG.rateTable("sms").orElseThrow());
        assertThat(contracted.rate(Map.of("direction", "outbound", "country", "FR"), "USD").orElseThrow()).isEqualByComparingTo("0.05");
        assertThat(contracted.rate(Map.of("direction", "inbound"), "USD").orElseThrow()).isEqualByComparingTo("0.01");
        assertThat(CATALOG.plan("pro").orElseThrow().entitlements().quotas()).containsEntry("ai_employees", 5L);
    }

    @Test
    void aNegotiatedPriceIsNotShadowedByAnExplicitIntervalPrice() {
        PlanOverrides deal = new PlanOverrides(Map.of("base", Map.of("USD", new BigDecimal("6.00"))), null, null, null, null);
        Plan custom = deal.applyTo(CATALOG.plan("pro").orElseThrow());
        RecurringCharge base = (RecurringCharge) custom.charge("base").orElseThrow();
        var weekly = custom.interval(BillingInterval.WEEK).orElseThrow();
        assertThat(base.periodPrice(weekly, "USD")).isEmpty();
        assertThat(base.periodPrice(custom.interval(BillingInterval.MONTH).orElseThrow(), "USD").orElseThrow()).isEqualByComparingTo("6.00");
    }

    @Test
    void anOverrideOfAChargeThePlanLacksIsRefused() {
        PlanOverrides bad = new PlanOverrides(Map.of("setup", Map.of("USD", BigDecimal.ONE)), null, null, null, null);
        assertThatThrownBy(() -> bad.applyTo(CATALOG.plan("pro").orElseThrow()))
                .isInstanceOf(AccrueException.class).hasMessageContaining("no recurring charge 'setup'");
        PlanOverrides wrongKind = new PlanOverrides(null, Map.of("base", List.of()), null, null, null);
        assertThatThrownBy(() -> wrongKind.applyTo(CATALOG.plan("pro").orElseThrow())).hasMessageContaining("no metered charge 'base'");
    }
}
