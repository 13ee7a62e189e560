package dev.accrue.adapters.catalog;

import dev.accrue.core.catalog.Catalog;
import dev.accrue.core.catalog.CatalogProblem;
import dev.accrue.core.catalog.InvalidCatalogException;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/** One test per kind of catalog problem: each names the file, the path inside the document and the problem. */
class CatalogValidationTest {
    static final String VALID = """
            name: acme
            version: 1
            effective_from: 2026-01-01
            currencies: [USD, EUR]
            metrics:
              - { code: call_seconds, aggregation: sum, field: duration_seconds, unit: second }
            features:
              - { code: concurrent_calls, type: limit }
              - { code: ai_employees, type: quota }
            rate_tables:
              - code: sms
                dimensions: [direction, country]
                rows:
                  - { match: { direction: inbound }, price: { USD: "0.01", EUR: "0.01" } }
            products:
              - { code: voice, name: Voice }
            plans:
              - code: starter
                product: voice
                name: Starter
                tier: 1
                intervals: [{ interval: month }, { interval: year, discount_percent: 15 }]
                charges:
                  - { type: recurring, code: base, name: Base, monthly_price: { USD: "30.00", EUR: "28.00" } }
                  - type: metered
                    code: minutes
                    metric: call_seconds
                    allowances: [{ quantity: 18000, reset: month }]
                    pricing: { model: per_unit, unit_price: { USD: "0.12", EUR: "0.11" }, per_units: 60 }
                    overage: { policy: charge_up_to_cap, cap: { USD: "100", EUR: "90" } }
                entitlements:
                  limits: { concurrent_calls: 5 }
                  quotas: { ai_employees: 3 }
            """;

    private static List<CatalogProblem> problems(String yaml) {
        InvalidCatalogException e = catchThrowableOfType(InvalidCatalogException.class, () -> CatalogYaml.read("acme.yaml", yaml));
        assertThat(e).as("expected the catalog to be refused").isNotNull();
        assertThat(e.problems()).allSatisfy(p -> assertThat(p.file()).isEqualTo("acme.yaml"));
        return e.problems();
    }

    private static CatalogProblem only(String yaml) {
        List<CatalogProblem> all = problems(yaml);
        assertThat(all).as(all.toString()).hasSize(1);
        return all.getFirst();
    }

    private static String replace(String from, String to) {
        assertThat(VALID).contains(from);
        return VALID.replace(from, to);
    }

    @Test
    void theBaseDocumentIsValid() {
        Catalog c = CatalogYaml.read("acme.yaml", VALID);
        assertThat(c.plan("starter")).isPresent();
        assertThat(c.plan("starter").orElseThrow().charge("minutes")).isPresent();
    }

    @Test
    void yamlSyntaxErrorsGiveLineAndColumn() {
        CatalogProblem p = only("name: \"acme\nversion: 1\n");
        assertThat(p.code()).as(p.toString()).isEqualTo(CatalogProblem.SYNTAX_ERROR);
        assertThat(p.line()).isNotNull();
        assertThat(p.toString()).startsWith("acme.yaml:");
    }

    @Test
    void unknownKeysAreRefusedWithTheirPathAndLine() {
        CatalogProblem p = only(replace("    tier: 1\n", "    tier: 1\n    colour: blue\n"));
        assertThat(p.code()).isEqualTo(CatalogProblem.UNKNOWN_KEY);
        assertThat(p.path()).isEqualTo("plans[0].colour");
        assertThat(p.message()).contains("colour");
        assertThat(p.line()).isEqualTo(22);
    }

    @Test
    void everyUnknownKeyIsReportedInOnePass() {
        List<CatalogProblem> all = problems(replace("    tier: 1\n", "    tier: 1\n    colour: blue\n    flavour: mint\n").replace("name: acme", "name: acme\nowner: me"));
        assertThat(all).extracting(CatalogProblem::path).containsExactlyInAnyOrder("owner", "plans[0].colour", "plans[0].flavour");
        assertThat(all).allSatisfy(p -> assertThat(p.code()).isEqualTo(CatalogProblem.UNKNOWN_KEY));
    }

    @Test
    void twoPlansOfAProductCannotShareATier() {
        String extra = VALID + "  - { code: starter_two, product: voice, name: Starter 2, tier: 1, intervals: [{ interval: month }] }\n";
        CatalogProblem p = only(extra);
        assertThat(p.code()).isEqualTo(CatalogProblem.DUPLICATE_CODE);
        assertThat(p.path()).isEqualTo("plans[1].tier");
    }

    @Test
    void wrongTypesAreRefused() {
        CatalogProblem p = only(replace("    tier: 1\n", "    tier: [1]\n"));
        assertThat(p.code()).isEqualTo(CatalogProblem.WRONG_TYPE);
        assertThat(p.path()).isEqualTo("plans[0].tier");
    }

    @Test
    void unknownEnumValuesListTheAllowedOnes() {
        CatalogProblem p = only(replace("{ interval: month }", "{ interval: fortnight }"));
        assertThat(p.code()).isEqualTo(CatalogProblem.INVALID_VALUE);
        assertThat(p.path()).isEqualTo("plans[0].intervals[0].interval");
        assertThat(p.message()).contains("half_year");
    }

    @Test
    void unknownChargeTypesAreRefused() {
        CatalogProblem p = only(replace("{ type: recurring, code: base", "{ type: monthly, code: base"));
        assertThat(p.code()).isEqualTo(CatalogProblem.INVALID_VALUE);
        assertThat(p.message()).contains("recurring, metered or counted");
    }

    @Test
    void missingRequiredFields() {
        CatalogProblem p = only(replace("    name: Starter\n", ""));
        assertThat(p.code()).isEqualTo(CatalogProblem.MISSING_FIELD);
        assertThat(p.path()).isEqualTo("plans[0].name");
        assertThat(problems(VALID.replace("effective_from: 2026-01-01\n", ""))).extracting(CatalogProblem::path).contains("effective_from");
    }

    @Test
    void duplicateCodes() {
        CatalogProblem p = only(replace("  - { code: ai_employees, type: quota }", "  - { code: ai_employees, type: quota }\n  - { code: ai_employees, type: quota }"));
        assertThat(p.code()).isEqualTo(CatalogProblem.DUPLICATE_CODE);
        assertThat(p.path()).isEqualTo("features[2].code");
    }

    @Test
    void referenceToAMissingMetric() {
        CatalogProblem p = only(replace("metric: call_seconds", "metric: call_minutes"));
        assertThat(p.code()).isEqualTo(CatalogProblem.UNKNOWN_REFERENCE);
        assertThat(p.path()).isEqualTo("plans[0].charges[1].metric");
        assertThat(p.message()).contains("call_minutes");
    }

    @Test
    void referenceToAMissingProduct() {
        CatalogProblem p = only(replace("product: voice", "product: video"));
        assertThat(p.code()).isEqualTo(CatalogProblem.UNKNOWN_REFERENCE);
        assertThat(p.path()).isEqualTo("plans[0].product");
    }

    @Test
    void referenceToAMissingFeature() {
        CatalogProblem p = only(replace("quotas: { ai_employees: 3 }", "quotas: { robots: 3 }"));
        assertThat(p.code()).isEqualTo(CatalogProblem.UNKNOWN_REFERENCE);
        assertThat(p.path()).isEqualTo("plans[0].entitlements.quotas.robots");
    }

    @Test
    void featureUsedAsTheWrongKind() {
        CatalogProblem p = only(replace("limits: { concurrent_calls: 5 }", "limits: { ai_employees: 5 }"));
        assertThat(p.code()).isEqualTo(CatalogProblem.WRONG_FEATURE_TYPE);
        assertThat(p.path()).isEqualTo("plans[0].entitlements.limits.ai_employees");
    }

    @Test
    void referenceToAMissingRateTableOrPlan() {
        String withTable = replace("pricing: { model: per_unit, unit_price: { USD: \"0.12\", EUR: \"0.11\" }, per_units: 60 }", "rate_table: calls");
        CatalogProblem p = only(withTable);
        assertThat(p.code()).isEqualTo(CatalogProblem.UNKNOWN_REFERENCE);
        assertThat(p.path()).isEqualTo("plans[0].charges[1].rate_table");
        String addOn = VALID + "add_ons:\n  - { code: sms, name: SMS, type: package, price: { USD: \"0\", EUR: \"0\" }, available_on: [pro] }\n";
        CatalogProblem q = only(addOn);
        assertThat(q.path()).isEqualTo("add_ons[0].available_on[0]");
        assertThat(q.message()).contains("'pro'");
    }

    @Test
    void invalidIsoCurrency() {
        CatalogProblem p = only(replace("currencies: [USD, EUR]", "currencies: [USD, EUR, ABC]"));
        assertThat(p.code()).isEqualTo(CatalogProblem.INVALID_CURRENCY);
        assertThat(p.path()).isEqualTo("currencies[2]");
    }

    @Test
    void priceInACurrencyTheCatalogDoesNotDeclare() {
        CatalogProblem p = only(replace("monthly_price: { USD: \"30.00\", EUR: \"28.00\" }", "monthly_price: { USD: \"30.00\", EUR: \"28.00\", GBP: \"25.00\" }"));
        assertThat(p.code()).isEqualTo(CatalogProblem.UNDECLARED_CURRENCY);
        assertThat(p.path()).isEqualTo("plans[0].charges[0].monthly_price.GBP");
    }

    @Test
    void planWithoutAPriceInADeclaredCurrency() {
        CatalogProblem p = only(replace("monthly_price: { USD: \"30.00\", EUR: \"28.00\" }", "monthly_price: { USD: \"30.00\" }"));
        assertThat(p.code()).isEqualTo(CatalogProblem.MISSING_PRICE);
        assertThat(p.message()).contains("EUR");
    }

    @Test
    void negativeAmounts() {
        CatalogProblem p = only(replace("USD: \"30.00\"", "USD: \"-30.00\""));
        assertThat(p.code()).isEqualTo(CatalogProblem.NEGATIVE_AMOUNT);
        assertThat(p.path()).isEqualTo("plans[0].charges[0].monthly_price.USD");
    }

    @Test
    void graduatedTiersMustAscendAndEndOpen() {
        String tiers = "pricing: { model: graduated, tiers: [{ up_to: 1000, unit_price: { USD: \"0.1\", EUR: \"0.1\" } }, { up_to: 500, unit_price: { USD: \"0.05\", EUR: \"0.05\" } }] }";
        List<CatalogProblem> all = problems(replace("pricing: { model: per_unit, unit_price: { USD: \"0.12\", EUR: \"0.11\" }, per_units: 60 }", tiers));
        assertThat(all).extracting(CatalogProblem::code).containsExactlyInAnyOrder(CatalogProblem.TIERS_NOT_ASCENDING, CatalogProblem.LAST_TIER_BOUNDED);
        assertThat(all).extracting(CatalogProblem::path).containsOnly("plans[0].charges[1].pricing.tiers[1].up_to");
    }

    @Test
    void aCapNeedsTheCapPolicyAndTheCapPolicyNeedsACap() {
        CatalogProblem p = only(replace("policy: charge_up_to_cap", "policy: charge"));
        assertThat(p.code()).isEqualTo(CatalogProblem.CAP_WITHOUT_CAP_POLICY);
        assertThat(p.path()).isEqualTo("plans[0].charges[1].overage.cap");
        CatalogProblem q = only(replace("overage: { policy: charge_up_to_cap, cap: { USD: \"100\", EUR: \"90\" } }", "overage: { policy: charge_up_to_cap }"));
        assertThat(q.code()).isEqualTo(CatalogProblem.CAP_MISSING);
    }

    @Test
    void weeklyBillingNeedsAnExplicitPrice() {
        List<CatalogProblem> all = problems(replace("{ interval: month }", "{ interval: week }"));
        assertThat(all).extracting(CatalogProblem::code).containsOnly(CatalogProblem.WEEKLY_NEEDS_PRICE);
        assertThat(all.getFirst().path()).isEqualTo("plans[0].charges[0].interval_prices.week");
    }

    @Test
    void discountsOutsideZeroToHundred() {
        CatalogProblem p = only(replace("discount_percent: 15", "discount_percent: 100"));
        assertThat(p.code()).isEqualTo(CatalogProblem.DISCOUNT_OUT_OF_RANGE);
        assertThat(p.path()).isEqualTo("plans[0].intervals[1].discount_percent");
    }

    @Test
    void pricingAndRateTableTogetherConflict() {
        CatalogProblem p = only(VALID.replaceFirst("( *)overage: \\{ policy", "$1rate_table: sms\n$1overage: { policy"));
        assertThat(p.code()).isEqualTo(CatalogProblem.PRICING_CONFLICT);
    }

    @Test
    void emptyListEntriesAreRefusedWithTheirPath() {
        CatalogProblem p = only(replace("currencies: [USD, EUR]", "currencies: [USD, EUR, ~]"));
        assertThat(p.code()).isEqualTo(CatalogProblem.INVALID_VALUE);
        assertThat(p.path()).isEqualTo("currencies");
        assertThat(p.message()).contains("empty");
    }

    @Test
    void twoRateRowsWithTheSameMatchAreRefused() {
        CatalogProblem p = only(replace("      - { match: { direction: inbound }, price: { USD: \"0.01\", EUR: \"0.01\" } }",
                "      - { match: { direction: inbound }, price: { USD: \"0.01\", EUR: \"0.01\" } }\n      - { match: { direction: inbound }, price: { USD: \"0.02\", EUR: \"0.02\" } }"));
        assertThat(p.code()).isEqualTo(CatalogProblem.DUPLICATE_CODE);
        assertThat(p.path()).isEqualTo("rate_tables[0].rows[1].match");
    }

    @Test
    void mapsKeepTheDocumentsOrder() {
        Catalog c = CatalogYaml.read("acme.yaml", VALID.replace("monthly_price: { USD: \"30.00\", EUR: \"28.00\" }", "monthly_price: { EUR: \"28.00\", USD: \"30.00\" }"));
        var base = (dev.accrue.core.catalog.RecurringCharge) c.plan("starter").orElseThrow().charge("base").orElseThrow();
        assertThat(base.monthlyPrice().keySet()).containsExactly("EUR", "USD");
    }

    @Test
    void everyProblemIsReportedAtOnce() {
        String broken = VALID.replace("metric: call_seconds", "metric: nope").replace("product: voice", "product: nope").replace("discount_percent: 15", "discount_percent: -1");
        assertThat(problems(broken)).hasSize(3);
    }

    @Test
    void yearlyPriceIsDerivedFromTheMonthlyPriceAndDiscount() {
        Catalog c = CatalogYaml.read("acme.yaml", VALID);
        var plan = c.plan("starter").orElseThrow();
        var base = (dev.accrue.core.catalog.RecurringCharge) plan.charge("base").orElseThrow();
        var yearly = plan.interval(dev.accrue.core.time.BillingInterval.YEAR).orElseThrow();
        assertThat(base.periodPrice(yearly, "USD").orElseThrow()).isEqualByComparingTo("306.00");
    }

    @Test
    void allowancesOfOneChargeMustResetAlike() {
        CatalogProblem p = only(replace("allowances: [{ quantity: 18000, reset: month }]",
                "allowances: [{ quantity: 18000, reset: month }, { quantity: 600, reset: week }]"));
        assertThat(p.code()).isEqualTo(CatalogProblem.NOT_SUPPORTED);
        assertThat(p.path()).isEqualTo("plans[0].charges[1].allowances");
        assertThat(p.message()).contains("[month, week]");
    }

    @Test
    void rentedNumbersMatchOnCountryAndTypeOnly() {
        String rental = VALID + """
                add_ons:
                  - code: numbers
                    name: Numbers
                    type: rental
                    rental:
                      attributes: [country, region]
                      options: [{ match: { country: US, region: west }, monthly_fee: { USD: "1.00", EUR: "1.00" } }]
                """;
        CatalogProblem p = only(rental);
        assertThat(p.code()).isEqualTo(CatalogProblem.NOT_SUPPORTED);
        assertThat(p.path()).isEqualTo("add_ons[0].rental.attributes[1]");
    }
}
