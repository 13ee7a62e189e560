package dev.accrue.adapters.catalog;

import dev.accrue.core.catalog.CatalogProblem;
import dev.accrue.core.catalog.InvalidCatalogException;
import dev.accrue.core.catalog.OneTimeFee;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/** Issue 16 point 6: plan phases are refused, each at its path, where they could not be billed as written. */
class PlanPhasesValidationTest {
    static final String CATALOG = """
            name: acme
            version: 1
            effective_from: 2026-01-01
            currencies: [USD, EUR]
            products:
              - { code: crm, name: CRM }
              - { code: other, name: Other }
            plans:
              - code: starter
                product: crm
                name: Starter
                intervals: [{ interval: month }]
                introductory: { periods: 3, prices: { base: { USD: "10.00" } } }
                term: { periods: 12, then_plan: standard }
                one_time_fees:
                  - { code: setup, name: Setup, amount: { USD: "99.00", EUR: "90.00" } }
                  - { code: review, amount: { USD: "20.00", EUR: "18.00" }, on: introductory_end }
                charges:
                  - { type: recurring, code: base, monthly_price: { USD: "20.00", EUR: "18.00" } }
              - code: standard
                product: crm
                name: Standard
                tier: 1
                intervals: [{ interval: month }]
                charges:
                  - { type: recurring, code: base, monthly_price: { USD: "30.00", EUR: "27.00" } }
              - code: foreign
                product: other
                name: Foreign
                intervals: [{ interval: month }]
                charges:
                  - { type: recurring, code: base, monthly_price: { USD: "30.00", EUR: "27.00" } }
            """;

    private static CatalogProblem only(String yaml) {
        InvalidCatalogException e = catchThrowableOfType(InvalidCatalogException.class, () -> CatalogYaml.read("acme.yaml", yaml));
        assertThat(e).as("expected the catalog to be refused").isNotNull();
        List<CatalogProblem> all = e.problems();
        assertThat(all).as(all.toString()).hasSize(1);
        return all.getFirst();
    }

    private static String with(String from, String to) {
        assertThat(CATALOG).contains(from);
        return CATALOG.replace(from, to);
    }

    private static void refused(String yaml, String code, String path, String message) {
        CatalogProblem p = only(yaml);
        assertThat(p.code()).isEqualTo(code);
        assertThat(p.path()).isEqualTo(path);
        assertThat(p.message()).contains(message);
    }

    @Test
    void theValidCatalogReadsEveryPhase() {
        var plan = CatalogYaml.read("acme.yaml", CATALOG).plan("starter").orElseThrow();
        assertThat(plan.introductory().periods()).isEqualTo(3);
        assertThat(plan.term().thenPlan()).isEqualTo("standard");
        assertThat(plan.oneTimeFees()).extracting(OneTimeFee::on).containsExactly(OneTimeFee.Trigger.ACTIVATION, OneTimeFee.Trigger.INTRODUCTORY_END);
    }

    @Test
    void anIntroductionNamesRecurringChargesForOneToAHundredTwentyPeriods() {
        refused(with("periods: 3,", "periods: 0,"), CatalogProblem.INVALID_VALUE, "plans[0].introductory.periods", "must be 1-120, got 0");
        refused(with("prices: { base: {", "prices: { seats: {"), CatalogProblem.UNKNOWN_REFERENCE, "plans[0].introductory.prices.seats",
                "no recurring charge 'seats'");
        refused(with("prices: { base: { USD: \"10.00\" } }", "prices: { base: { USD: \"10.005\" } }"), CatalogProblem.INVALID_AMOUNT,
                "plans[0].introductory.prices.base.USD", "minor digits");
        refused(with("prices: { base: { USD: \"10.00\" } }", "prices: {}"), CatalogProblem.MISSING_FIELD, "plans[0].introductory.prices", "needs prices");
    }

    @Test
    void aWeeklyPlanHasNoMonthsForAnIntroductoryMonthlyPrice() {
        String weekly = with("intervals: [{ interval: month }]\n    introductory", "intervals: [{ interval: month }, { interval: week }]\n    introductory")
                .replace("monthly_price: { USD: \"20.00\", EUR: \"18.00\" }",
                        "monthly_price: { USD: \"20.00\", EUR: \"18.00\" }, interval_prices: { week: { USD: \"5.00\", EUR: \"4.50\" } }");
        refused(weekly, CatalogProblem.NOT_SUPPORTED, "plans[0].introductory", "week interval");
    }

    @Test
    void aTermMovesToAnotherPlanOfTheProductAndOutlastsTheIntroduction() {
        refused(with("then_plan: standard", "then_plan: premium"), CatalogProblem.UNKNOWN_REFERENCE, "plans[0].term.then_plan", "No plan 'premium'");
        refused(with("then_plan: standard", "then_plan: starter"), CatalogProblem.INVALID_VALUE, "plans[0].term.then_plan", "(this plan)");
        refused(with("then_plan: standard", "then_plan: foreign"), CatalogProblem.INVALID_VALUE, "plans[0].term.then_plan", "(product other)");
        refused(with("term: { periods: 12,", "term: { periods: 2,"), CatalogProblem.INVALID_VALUE, "plans[0].term.periods",
                "ends before the introductory price (3 periods)");
        refused(with("term: { periods: 12,", "term: { periods: 121,"), CatalogProblem.INVALID_VALUE, "plans[0].term.periods", "must be 1-120");
    }

    @Test
    void oneTimeFeesHaveTheirOwnCodesAndAnAmountInEveryCurrency() {
        refused(with("amount: { USD: \"99.00\", EUR: \"90.00\" }", "amount: { USD: \"99.00\" }"), CatalogProblem.MISSING_PRICE,
                "plans[0].one_time_fees[0].amount", "no EUR amount");
        refused(with("{ code: setup,", "{ code: base,"), CatalogProblem.DUPLICATE_CODE, "plans[0].one_time_fees[0].code", "also a charge");
        refused(with("{ code: review,", "{ code: setup,"), CatalogProblem.DUPLICATE_CODE, "plans[0].one_time_fees[1].code", "used twice");
        refused(with("EUR: \"90.00\" }", "EUR: \"-1.00\" }"), CatalogProblem.NEGATIVE_AMOUNT, "plans[0].one_time_fees[0].amount.EUR", "zero or more");
        refused(with("on: introductory_end", "on: renewal"), CatalogProblem.INVALID_VALUE, "plans[0].one_time_fees[1].on", "is not one of");
    }

    @Test
    void aFeeAtTheIntroductionsEndNeedsAnIntroduction() {
        refused(with("introductory: { periods: 3, prices: { base: { USD: \"10.00\" } } }\n", "# no introduction\n"), CatalogProblem.INVALID_VALUE,
                "plans[0].one_time_fees[1].on", "needs an introductory price");
    }
}
