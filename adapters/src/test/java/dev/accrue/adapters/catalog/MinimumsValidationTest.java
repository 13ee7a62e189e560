package dev.accrue.adapters.catalog;

import dev.accrue.core.catalog.CatalogProblem;
import dev.accrue.core.catalog.InvalidCatalogException;
import dev.accrue.core.catalog.MeteredCharge;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.assertj.core.api.Assertions.tuple;

/** Issue 16 point 1: spending minimums and minimum commitments are refused, each at its path, where they could not be settled as written. */
class MinimumsValidationTest {
    static final String CATALOG = """
            name: acme
            version: 1
            effective_from: 2026-01-01
            currencies: [USD, EUR]
            metrics:
              - { code: requests, aggregation: sum, field: n, unit: request }
            products:
              - { code: api, name: API }
            plans:
              - code: growth
                product: api
                name: Growth
                intervals: [{ interval: month }, { interval: year }]
                minimum_commitment: { USD: "100.00", EUR: "90.00" }
                charges:
                  - { type: recurring, code: base, monthly_price: { USD: "20.00", EUR: "18.00" } }
                  - { type: metered, code: requests, metric: requests, pricing: { model: per_unit, unit_price: { USD: "0.01", EUR: "0.01" } },
                      minimum_spend: { USD: "50.00", EUR: "45.00" } }
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

    @Test
    void theValidCatalogReadsBothMinimums() {
        var plan = CatalogYaml.read("acme.yaml", CATALOG).plan("growth").orElseThrow();
        assertThat(plan.minimumCommitment()).containsKeys("USD", "EUR");
        assertThat(((MeteredCharge) plan.charge("requests").orElseThrow()).minimumSpend()).containsKeys("USD", "EUR");
    }

    @Test
    void aMinimumIsGivenInEveryCurrency() {
        CatalogProblem p = only(with("minimum_spend: { USD: \"50.00\", EUR: \"45.00\" }", "minimum_spend: { USD: \"50.00\" }"));
        assertThat(p.code()).isEqualTo(CatalogProblem.MISSING_PRICE);
        assertThat(p.path()).isEqualTo("plans[0].charges[1].minimum_spend");
        assertThat(p.message()).contains("EUR");
    }

    @Test
    void aMinimumIsInWholeMinorUnitsAndNotNegative() {
        CatalogProblem p = only(with("EUR: \"90.00\" }", "EUR: \"90.005\" }"));
        assertThat(p.code()).isEqualTo(CatalogProblem.INVALID_AMOUNT);
        assertThat(p.path()).isEqualTo("plans[0].minimum_commitment.EUR");
        CatalogProblem negative = only(with("USD: \"50.00\", EUR", "USD: \"-1.00\", EUR"));
        assertThat(negative.code()).isEqualTo(CatalogProblem.NEGATIVE_AMOUNT);
        assertThat(negative.path()).isEqualTo("plans[0].charges[1].minimum_spend.USD");
    }

    @Test
    void aWeeklyPlanHasNoMonthsToScaleAMinimumBy() {
        String weekly = with("intervals: [{ interval: month }, { interval: year }]", "intervals: [{ interval: week }]")
                .replace("monthly_price: { USD: \"20.00\", EUR: \"18.00\" }", "interval_prices: { week: { USD: \"5.00\", EUR: \"4.00\" } }");
        InvalidCatalogException e = catchThrowableOfType(InvalidCatalogException.class, () -> CatalogYaml.read("acme.yaml", weekly));
        assertThat(e.problems()).extracting(CatalogProblem::code, CatalogProblem::path).containsExactlyInAnyOrder(
                tuple(CatalogProblem.NOT_SUPPORTED, "plans[0].minimum_commitment"),
                tuple(CatalogProblem.NOT_SUPPORTED, "plans[0].charges[1].minimum_spend"));
    }

    @Test
    void aChargeOnItsOwnCadenceOrOnAnAddOnSettlesNoMinimum() {
        CatalogProblem p = only(with("minimum_spend: { USD: \"50.00\", EUR: \"45.00\" } }",
                "minimum_spend: { USD: \"50.00\", EUR: \"45.00\" }, invoice_cadence: week }"));
        assertThat(p.code()).isEqualTo(CatalogProblem.NOT_SUPPORTED);
        assertThat(p.path()).isEqualTo("plans[0].charges[1].minimum_spend");
        CatalogProblem addOn = only(CATALOG + """
                add_ons:
                  - code: extra
                    name: Extra
                    type: package
                    price: { USD: "1.00", EUR: "1.00" }
                    charges:
                      - { type: metered, code: extra_requests, metric: requests, pricing: { model: per_unit, unit_price: { USD: "0.01", EUR: "0.01" } },
                          minimum_spend: { USD: "5.00", EUR: "5.00" } }
                """);
        assertThat(addOn.code()).isEqualTo(CatalogProblem.NOT_SUPPORTED);
        assertThat(addOn.path()).isEqualTo("add_ons[0].charges[0].minimum_spend");
    }

    @Test
    void noChargeMayTakeTheCommitmentLinesCode() {
        CatalogProblem p = only(with("code: base,", "code: minimum_commitment,"));
        assertThat(p.code()).isEqualTo(CatalogProblem.INVALID_VALUE);
        assertThat(p.path()).isEqualTo("plans[0].charges[0].code");
    }
}
