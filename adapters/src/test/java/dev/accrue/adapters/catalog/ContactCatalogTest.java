package dev.accrue.adapters.catalog;

import dev.accrue.core.catalog.Catalog;
import dev.accrue.core.catalog.CatalogProblem;
import dev.accrue.core.catalog.CountedCharge;
import dev.accrue.core.catalog.InvalidCatalogException;
import dev.accrue.core.catalog.Invoicing;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/** The catalog keys contact-based plans use: counted charges, the invoicing key, the smtp filter. */
class ContactCatalogTest {
    static final String PLAN = """
            name: contacts
            version: 1
            effective_from: 2026-01-01
            currencies: [EUR]
            metrics:
              - { code: contacts, aggregation: latest, field: count, unit: contact }
              - { code: email_sends, aggregation: count, unit: email, filters: { smtp: [platform] } }
            products:
              - { code: crm, name: CRM }
            plans:
              - code: basic
                product: crm
                name: Basic
                INVOICING
                intervals: [{ interval: month }, INTERVAL]
                charges:
                  - type: counted
                    code: contacts
                    metric: contacts
                    minimum_is_last_invoiced: true
                    tiers: [{ up_to: 1000, flat_price: { EUR: "49.00" } }, { flat_price: { EUR: "99.00" } }]
                    derived_allowances: [{ metric: email_sends, per_unit: 4, reset: month }]
                  - { type: metered, code: emails, metric: email_sends, overage: { policy: block } }
            """;

    static String plan(String invoicing, String interval) {
        return PLAN.replace("INVOICING", invoicing).replace("INTERVAL", interval);
    }

    @Test
    void invoicingDefaultsToStandardAndAcceptsProformaFirst() {
        Catalog standard = CatalogYaml.read("c.yaml", plan("tier: 1", "{ interval: year, discount_percent: 15 }"));
        assertThat(standard.plan("basic").orElseThrow().invoicing()).isEqualTo(Invoicing.STANDARD);
        Catalog proforma = CatalogYaml.read("c.yaml", plan("invoicing: proforma_first", "{ interval: year, discount_percent: 15 }"));
        assertThat(proforma.plan("basic").orElseThrow().invoicing()).isEqualTo(Invoicing.PROFORMA_FIRST);
        assertThat(proforma.plan("basic").orElseThrow().charges().getFirst()).isInstanceOf(CountedCharge.class);
    }

    @Test
    void anUnknownInvoicingValueIsRefusedWithItsLine() {
        var e = catchThrowableOfType(InvalidCatalogException.class,
                () -> CatalogYaml.read("c.yaml", plan("invoicing: invoice_later", "{ interval: year }")));
        assertThat(e).isNotNull();
        assertThat(e.problems()).extracting(CatalogProblem::code).containsExactly(CatalogProblem.INVALID_VALUE);
        assertThat(e.problems().getFirst().line()).isEqualTo(14);
    }

    @Test
    void aCountedChargeCannotBeSoldWeekly() {
        var e = catchThrowableOfType(InvalidCatalogException.class, () -> CatalogYaml.read("c.yaml", plan("tier: 1", "{ interval: week }")));
        assertThat(e).isNotNull();
        List<CatalogProblem> problems = e.problems();
        assertThat(problems).extracting(CatalogProblem::code).containsExactly(CatalogProblem.INVALID_VALUE);
        assertThat(problems.getFirst().path()).isEqualTo("plans[0].charges[0]");
    }

    @Test
    void everyBandNeedsAPriceInEveryCurrency() {
        String twoCurrencies = plan("tier: 1", "{ interval: year }").replace("currencies: [EUR]", "currencies: [EUR, PLN]");
        var e = catchThrowableOfType(InvalidCatalogException.class, () -> CatalogYaml.read("c.yaml", twoCurrencies));
        assertThat(e).isNotNull();
        assertThat(e.problems()).extracting(CatalogProblem::code).containsOnly(CatalogProblem.MISSING_PRICE);
        assertThat(e.problems()).extracting(CatalogProblem::path)
                .containsExactly("plans[0].charges[0].tiers[0].flat_price", "plans[0].charges[0].tiers[1].flat_price");
    }

    @Test
    void theUsercomDemoPlansAreProformaFirstAndCountOnlyPlatformSends() throws Exception {
        Catalog usercom = CatalogYaml.read("usercom.yaml", DemoCatalogsTest.resource("usercom.yaml"));
        assertThat(usercom.plans()).allSatisfy(p -> assertThat(p.invoicing()).isEqualTo(Invoicing.PROFORMA_FIRST));
        assertThat(usercom.metric("email_sends").orElseThrow().filters()).containsEntry("smtp", List.of("platform"));
    }
}
