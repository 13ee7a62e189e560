package dev.accrue.adapters.catalog;

import dev.accrue.core.catalog.CatalogProblem;
import dev.accrue.core.catalog.InvalidCatalogException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/** Issue 16 point 3: persistent metrics and negative values in a sum are refused, at their path, where they would not bill as written. */
class PersistentMetricValidationTest {
    static final String CATALOG = """
            name: acme
            version: 1
            effective_from: 2026-01-01
            currencies: [USD]
            metrics:
              - { code: seats, aggregation: persistent, field: user_id, unit: seat }
              - { code: minutes, aggregation: sum, field: minutes, allow_negative: true }
            products:
              - { code: ws, name: Workspace }
            plans:
              - code: team
                product: ws
                name: Team
                intervals: [{ interval: month }]
                charges:
                  - { type: metered, code: seat_fees, metric: seats, pricing: { model: per_unit, unit_price: { USD: "30.00" } } }
                  - { type: metered, code: gpu, metric: minutes, pricing: { model: per_unit, unit_price: { USD: "0.10" } } }
            """;

    @Test
    void theValidCatalogReads() {
        assertThat(CatalogYaml.read("acme.yaml", CATALOG).metric("seats")).isPresent();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = ';', value = {
            "field: user_id, unit: seat;unit: seat;missing_field;metrics[0].field",
            "unit: seat };unit: seat, group_by: [team] };not_supported;metrics[0].group_by",
            "unit: seat };unit: seat, filters: { kind: [paid] } };not_supported;metrics[0].filters",
            "unit: seat };unit: seat, allow_negative: true };invalid_value;metrics[0].allow_negative",
            "{ model: per_unit, unit_price: { USD: \"0.10\" } };{ model: dynamic };invalid_value;plans[0].charges[1].metric",
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
}
