package dev.accrue.adapters.catalog;

import dev.accrue.core.catalog.Catalog;
import dev.accrue.core.catalog.CatalogProblem;
import dev.accrue.core.catalog.CatalogValidator;
import dev.accrue.core.catalog.InvalidCatalogException;
import dev.accrue.core.catalog.PlanOverrides;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/** Catalog amounts and enterprise overrides obey one set of rules, owned by CatalogValidator. */
class AmountRulesTest {
    private static final Catalog CATALOG = CatalogYaml.read("acme.yaml", CatalogValidationTest.VALID);

    private static List<String> problems(PlanOverrides o) {
        return CatalogValidator.validateOverrides(CATALOG, o).stream().map(p -> p.path() + " " + p.code()).toList();
    }

    @Test
    void overridesAreCheckedLikeCatalogPrices() {
        assertThat(problems(new PlanOverrides(Map.of("base", Map.of("USD", new BigDecimal("1500.00"))), null, Map.of("concurrent_calls", BigDecimal.TEN),
                Map.of("ai_employees", 2000L), null))).isEmpty();
        assertThat(problems(new PlanOverrides(Map.of("base", Map.of("USD", new BigDecimal("-10.00"))), null, null, null, null)))
                .containsExactly("overrides.prices.base.USD negative_amount");
        assertThat(problems(new PlanOverrides(Map.of("base", Map.of("USD", new BigDecimal("10.001"))), null, null, null, null)))
                .containsExactly("overrides.prices.base.USD invalid_amount");
        assertThat(problems(new PlanOverrides(Map.of("base", Map.of("USD", new BigDecimal("1e400"))), null, null, null, null)))
                .containsExactly("overrides.prices.base.USD invalid_amount");
        assertThat(problems(new PlanOverrides(Map.of("base", Map.of("EUR", new BigDecimal("9223372036854775808"))), null, null, null, null)))
                .containsExactly("overrides.prices.base.EUR invalid_amount");
        assertThat(problems(new PlanOverrides(null, null, Map.of("concurrent_calls", new BigDecimal("-1")), Map.of("ai_employees", -1L), null)))
                .containsExactlyInAnyOrder("overrides.limits.concurrent_calls negative_amount", "overrides.quotas.ai_employees negative_amount");
        assertThat(problems(new PlanOverrides(Map.of("base", Map.of("GBP", BigDecimal.ONE)), null, null, null, null)))
                .containsExactly("overrides.prices.base.GBP undeclared_currency");
    }

    @Test
    void catalogRecurringPricesAreInMinorUnitsAndBounded() {
        InvalidCatalogException e = catchThrowableOfType(InvalidCatalogException.class, () -> CatalogYaml.read("acme.yaml",
                CatalogValidationTest.VALID.replace("USD: \"30.00\"", "USD: \"30.001\"").replace("USD: \"0.12\"", "USD: \"2000000\"")));
        assertThat(e.problems()).extracting(CatalogProblem::path, CatalogProblem::code).contains(
                org.assertj.core.groups.Tuple.tuple("plans[0].charges[0].monthly_price.USD", "invalid_amount"),
                org.assertj.core.groups.Tuple.tuple("plans[0].charges[1].pricing.unit_price.USD", "invalid_amount"));
        InvalidCatalogException notMoney = catchThrowableOfType(InvalidCatalogException.class, () -> CatalogYaml.read("acme.yaml",
                CatalogValidationTest.VALID.replace("currencies: [USD, EUR]", "currencies: [USD, EUR, XXX]")));
        assertThat(notMoney.problems()).extracting(CatalogProblem::code).contains("invalid_currency");
    }
}
