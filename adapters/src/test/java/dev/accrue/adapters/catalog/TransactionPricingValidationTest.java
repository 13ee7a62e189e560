package dev.accrue.adapters.catalog;

import dev.accrue.core.catalog.CatalogProblem;
import dev.accrue.core.catalog.InvalidCatalogException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/** Issue 16 point 2: percentage, graduated percentage and dynamic pricing refuse, at their path, what they would not bill as written. */
class TransactionPricingValidationTest {
    static final String CATALOG = """
            name: acme
            version: 1
            effective_from: 2026-01-01
            currencies: [USD, EUR]
            metrics:
              - { code: payments, aggregation: sum, field: amount }
              - { code: payment_count, aggregation: count }
            products:
              - { code: pay, name: Payments }
            plans:
              - code: processing
                product: pay
                name: Processing
                intervals: [{ interval: month }]
                charges:
                  - { type: metered, code: fees, metric: payments, pricing: { model: percentage, rate: "2.9", fixed_fee: { USD: "0.30", EUR: "0.25" } } }
                  - { type: metered, code: payouts, metric: payments, pricing: { model: graduated_percentage, tiers: [{ up_to: 1000, rate: "1" }, { rate: "0.5" }] } }
                  - { type: metered, code: resale, metric: payments, pricing: { model: dynamic } }
            """;

    @Test
    void theValidCatalogReads() {
        assertThat(CatalogYaml.read("acme.yaml", CATALOG).plan("processing")).isPresent();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = ';', value = {
            "rate: \"2.9\", fixed_fee;fixed_fee;missing_field;plans[0].charges[0].pricing.rate",
            "rate: \"2.9\";rate: \"101\";invalid_value;plans[0].charges[0].pricing.rate",
            "rate: \"2.9\";rate: \"2.0000000001\";invalid_amount;plans[0].charges[0].pricing.rate",
            "{ USD: \"0.30\", EUR: \"0.25\" };{ USD: \"0.30\" };missing_price;plans[0].charges[0].pricing.fixed_fee",
            "rate: \"2.9\";rate: \"2.9\", free_transactions: -1;invalid_value;plans[0].charges[0].pricing.free_transactions",
            "rate: \"2.9\";rate: \"2.9\", free_amount: \"-5\";negative_amount;plans[0].charges[0].pricing.free_amount",
            "code: fees, metric: payments;code: fees, metric: payment_count;invalid_value;plans[0].charges[0].metric",
            "code: fees, metric: payments,;code: fees, metric: payments, allowances: [{ quantity: 100 }],;invalid_value;plans[0].charges[0].allowances",
            "code: resale, metric: payments,;code: resale, metric: payments, overage: { policy: block },;invalid_value;plans[0].charges[2].overage.policy",
            "{ model: dynamic };{ model: dynamic, per_units: 60 };invalid_value;plans[0].charges[2].pricing.per_units",
            "{ model: dynamic };{ model: dynamic, rate: \"1\" };invalid_value;plans[0].charges[2].pricing.rate",
            "{ up_to: 1000, rate: \"1\" };{ up_to: 1000 };missing_price;plans[0].charges[1].pricing.tiers[0].rate",
            "{ up_to: 1000, rate: \"1\" };{ up_to: 1000, rate: \"1\", unit_price: { USD: \"1\", EUR: \"1\" } };invalid_value;plans[0].charges[1].pricing.tiers[0].unit_price",
            "{ model: dynamic };{ model: per_unit, unit_price: { USD: \"1\", EUR: \"1\" }, fixed_fee: { USD: \"1\", EUR: \"1\" } };invalid_value;plans[0].charges[2].pricing.fixed_fee",
            // per-transaction bounds: every currency, min not above max, percentage only, not with free amounts or transactions
            "rate: \"2.9\", fixed_fee;rate: \"2.9\", per_transaction_min: { USD: \"0.50\" }, fixed_fee;missing_price;plans[0].charges[0].pricing.per_transaction_min",
            "rate: \"2.9\", fixed_fee;rate: \"2.9\", per_transaction_min: { USD: \"6\", EUR: \"1\" }, per_transaction_max: { USD: \"5\", EUR: \"5\" }, fixed_fee;invalid_value;plans[0].charges[0].pricing.per_transaction_min.USD",
            "rate: \"2.9\", fixed_fee;rate: \"2.9\", per_transaction_max: { USD: \"-1\", EUR: \"1\" }, fixed_fee;negative_amount;plans[0].charges[0].pricing.per_transaction_max.USD",
            "rate: \"2.9\", fixed_fee;rate: \"2.9\", per_transaction_max: { USD: \"5\", EUR: \"5\" }, free_transactions: 1, fixed_fee;invalid_value;plans[0].charges[0].pricing.free_transactions",
            "rate: \"2.9\", fixed_fee;rate: \"2.9\", per_transaction_min: { USD: \"1\", EUR: \"1\" }, free_amount: \"10\", fixed_fee;invalid_value;plans[0].charges[0].pricing.free_amount",
            "{ model: dynamic };{ model: dynamic, per_transaction_max: { USD: \"5\", EUR: \"5\" } };invalid_value;plans[0].charges[2].pricing.per_transaction_max",
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
