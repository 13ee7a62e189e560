package dev.accrue.adapters.catalog;

import dev.accrue.core.catalog.CatalogProblem;
import dev.accrue.core.catalog.InvalidCatalogException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.math.BigDecimal;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/** Issue 16 point 5: progressive billing thresholds are refused, at their path, when they could not be billed as written. */
class ProgressiveBillingValidationTest {
    static final String CATALOG = """
            name: acme
            version: 1
            effective_from: 2026-01-01
            currencies: [USD, EUR]
            metrics:
              - { code: requests, aggregation: sum, field: n }
            products:
              - { code: api, name: API }
            plans:
              - code: heavy
                product: api
                name: Heavy
                intervals: [{ interval: month }]
                progressive_billing: { thresholds: [{ USD: "20.00", EUR: "18.00" }, { USD: "50.00", EUR: "45.00" }], recurring: { USD: "50.00", EUR: "45.00" }, scope: lifetime }
                charges:
                  - { type: metered, code: requests, metric: requests, pricing: { model: per_unit, unit_price: { USD: "0.10", EUR: "0.09" } } }
            """;

    @Test
    void theValidCatalogReads() {
        var pb = CatalogYaml.read("acme.yaml", CATALOG).plan("heavy").orElseThrow().progressiveBilling();
        assertThat(pb.level(new BigDecimal("100"), "USD")).isEqualTo(3);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = ';', value = {
            "{ USD: \"50.00\", EUR: \"45.00\" }], recurring;{ USD: \"20.00\", EUR: \"45.00\" }], recurring;tiers_not_ascending;plans[0].progressive_billing.thresholds[1].USD",
            "[{ USD: \"20.00\", EUR: \"18.00\" },;[{ USD: \"20.00\" },;missing_price;plans[0].progressive_billing.thresholds[0]",
            "[{ USD: \"20.00\", EUR: \"18.00\" },;[{ USD: \"0\", EUR: \"18.00\" },;invalid_value;plans[0].progressive_billing.thresholds[0].USD",
            "[{ USD: \"20.00\", EUR: \"18.00\" },;[{ USD: \"20.001\", EUR: \"18.00\" },;invalid_amount;plans[0].progressive_billing.thresholds[0].USD",
            "recurring: { USD: \"50.00\", EUR: \"45.00\" };recurring: { USD: \"-5\", EUR: \"45.00\" };negative_amount;plans[0].progressive_billing.recurring.USD",
            "scope: lifetime;scope: forever;invalid_value;plans[0].progressive_billing.scope",
    })
    void refused(String from, String to, String code, String path) {
        assertThat(CATALOG).contains(from);
        InvalidCatalogException e = catchThrowableOfType(InvalidCatalogException.class, () -> CatalogYaml.read("acme.yaml", CATALOG.replace(from, to)));
        assertThat(e).as("refused").isNotNull();
        List<CatalogProblem> problems = e.problems();
        assertThat(problems).as(problems.toString()).anySatisfy(p -> {
            assertThat(p.code()).isEqualTo(code);
            assertThat(p.path()).isEqualTo(path);
        });
    }

    @Test
    void emptyProgressiveBillingIsRefused() {
        String empty = CATALOG.replaceAll("progressive_billing: .*\\n", "progressive_billing: { scope: lifetime }\n");
        InvalidCatalogException e = catchThrowableOfType(InvalidCatalogException.class, () -> CatalogYaml.read("acme.yaml", empty));
        assertThat(e.problems()).anySatisfy(p -> assertThat(p.path()).isEqualTo("plans[0].progressive_billing.thresholds"));
    }
}
