package dev.accrue.server.billing;

import com.fasterxml.jackson.databind.JsonNode;
import dev.accrue.server.support.Sandbox;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 16 point 12 on the real server over a test clock: a professional-services fee (quantity × unit price, reduced tax)
 * invoiced at once on an invoice of its own, and a manual charge and an exempt fee parked on the subscription's next regular
 * invoice, which carries them with the renewal and taxes each by its category. Refusals change nothing.
 */
class OneOffChargesScenarioTest {
    static final String CATALOG = """
            name: oneoff
            version: 1
            effective_from: 2020-01-01
            currencies: [USD]
            products:
              - { code: team, name: Team }
            plans:
              - code: team
                product: team
                name: Team
                alignment: calendar
                intervals: [{ interval: month }]
                charges:
                  - { type: recurring, code: base, name: Platform, monthly_price: { USD: "30.00" } }
            """;

    @Test
    void chargedNowOnItsOwnInvoiceOrParkedOnTheNextRegularInvoiceTaxedByItsCategory() {
        Sandbox s = new Sandbox("one-off", CATALOG, "2026-06-01T12:00:00Z");
        assertThat(s.api.send("PUT", "/v1/tenant/tax", Map.of("seller_country", "US", "rates", List.of(
                Map.of("country", "US", "type", "Sales tax", "rate", "0.10"),
                Map.of("country", "US", "category", "reduced", "type", "Sales tax", "rate", "0.05")))).status()).isEqualTo(200);
        String c = s.customer("Services Co", "USD", "America/New_York");
        String sub = s.subscribe(Map.of("customer_id", c, "plan", "team")).get("id").asText();
        String charges = "/v1/customers/" + c + "/one_off_charges";

        // refusals: nothing is written
        assertThat(s.api.post(charges, Map.of("amount", "10.00")).text("field")).isEqualTo("description");
        var both = s.api.post(charges, Map.of("description", "x", "amount", "10.00", "unit_price", "5.00"));
        assertThat(both.text("code")).isEqualTo("validation_failed");
        assertThat(s.api.post(charges, Map.of("description", "x")).text("code")).isEqualTo("missing_field");
        assertThat(s.api.post(charges, Map.of("description", "x", "amount", "0")).text("code")).isEqualTo("invalid_amount");
        assertThat(s.api.post(charges, Map.of("description", "x", "amount", "10.001")).text("code")).isEqualTo("invalid_amount");
        var dust = s.api.post(charges, Map.of("description", "x", "unit_price", "0.001"));
        assertThat(dust.text("code")).isEqualTo("invalid_amount");
        assertThat(dust.text("detail")).contains("rounds to 0.00");
        assertThat(s.api.post(charges, Map.of("description", "x", "amount", "10.00", "currency", "EUR")).text("code")).isEqualTo("currency_mismatch");
        assertThat(s.api.post(charges, Map.of("description", "x", "amount", "10.00", "tax_category", "luxury")).text("field")).isEqualTo("tax_category");
        assertThat(s.api.post(charges, Map.of("description", "x", "amount", "10.00", "invoice", "later")).text("field")).isEqualTo("invoice");
        var noSub = s.api.post(charges, Map.of("description", "x", "amount", "10.00", "invoice", "next_invoice"));
        assertThat(noSub.text("code")).isEqualTo("missing_field");
        assertThat(noSub.text("field")).isEqualTo("subscription_id");
        var otherSub = s.api.post(charges, Map.of("description", "x", "amount", "10.00", "invoice", "next_invoice", "subscription_id", "sub_nope"));
        assertThat(otherSub.status()).isEqualTo(404);
        assertThat(s.api.get(charges).json().get("data")).isEmpty();

        s.advanceTo("2026-06-10T15:00:00Z");
        var workshop = s.api.post(charges, Map.of("description", "Onboarding workshop (3 hours)", "quantity", "3", "unit_price", "150.00",
                "tax_category", "reduced"));
        assertThat(workshop.status()).isEqualTo(201);
        assertThat(workshop.text("amount")).isEqualTo("450.00");
        assertThat(workshop.text("invoice")).isEqualTo("now");
        String workshopInvoice = workshop.text("invoice_id");
        assertThat(workshopInvoice).startsWith("inv_");

        s.advanceTo("2026-06-20T15:00:00Z");
        Map<String, Object> migration = new HashMap<>(Map.of("description", "Data migration", "amount", "200.00", "invoice", "next_invoice",
                "subscription_id", sub, "currency", "USD"));
        assertThat(s.api.post(charges, migration).status()).isEqualTo(201);
        var filing = s.api.post(charges, Map.of("description", "Government filing fee", "amount", "15.00", "tax_category", "exempt",
                "invoice", "next_invoice", "subscription_id", sub));
        assertThat(filing.status()).isEqualTo(201);
        assertThat(filing.json().get("invoice_id").isNull()).isTrue();

        s.advanceTo("2026-07-01T15:00:00Z");
        assertThat(invoices(s, c)).containsExactly(
                "2026-06-01 33.00 [recurring base 30.00, tax Sales tax 3.00]",
                // 3 × 150.00 at the reduced 5 %: 22.50
                "2026-06-10 472.50 [one_off reduced 450.00, tax Sales tax 22.50]",
                // the parked charges join the renewal: 10 % of 230.00, and the exempt fee on a 0 % line of its own
                "2026-07-01 268.00 [one_off standard 200.00, one_off exempt 15.00, recurring base 30.00, tax Sales tax 23.00, tax Sales tax 0.00]");
        var listed = s.api.get(charges).json().get("data");
        assertThat(listed).hasSize(3);
        assertThat(listed.get(2).get("invoice_id").asText()).isEqualTo(workshopInvoice);
        assertThat(listed.get(0).get("description").asText()).isEqualTo("Government filing fee");
    }

    /** Every invoice of the customer, oldest first: "issue_date total [kind charge_code amount, …]". */
    private static List<String> invoices(Sandbox s, String customer) {
        List<String> out = new ArrayList<>();
        JsonNode data = s.api.get("/v1/invoices?limit=100&customer_id=" + customer).json().get("data");
        for (JsonNode i : data) {
            List<String> lines = new ArrayList<>();
            i.get("lines").forEach(l -> lines.add(l.get("kind").asText() + " " + l.get("charge_code").asText() + " " + l.get("amount").asText()));
            out.addFirst(i.get("issue_date").asText() + " " + i.get("total").asText() + " " + lines);
        }
        return out;
    }
}
