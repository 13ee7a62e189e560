package dev.accrue.server.tax;

import com.fasterxml.jackson.databind.JsonNode;
import dev.accrue.server.support.Fixtures;
import dev.accrue.server.support.Sandbox;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every document of a subscription carries its taxes the same way, on the real server over a test clock: a French
 * seller's French consumer pays 20 % on the plan and the number rental, a German business with a VAT id is
 * reverse-charged, an exempt customer pays none, and a tax-inclusive tenant's prices hold the tax inside them.
 */
class TaxedInvoicesTest {
    static final String CATALOG = """
            name: taxed
            version: 1
            effective_from: 2020-01-01
            currencies: [EUR]
            features:
              - { code: phone_numbers, name: Phone numbers, type: quota, unit: number }
            products:
              - { code: tel, name: Telephony }
            plans:
              - code: basic
                product: tel
                name: Basic
                tier: 1
                alignment: calendar
                intervals: [{ interval: month }]
                charges:
                  - { type: recurring, code: base, name: Basic, monthly_price: { EUR: "10.03" } }
                entitlements:
                  quotas: { phone_numbers: 5 }
            add_ons:
              - code: numbers
                name: Phone number
                type: rental
                available_on: [basic]
                rental:
                  quota: phone_numbers
                  attributes: [country, type]
                  hold_grace_days: 3
                  options:
                    - { match: { country: FR, type: local }, monthly_fee: { EUR: "1.03" } }
            """;

    private static String customer(Sandbox s, String name, String country, String status, String taxId) {
        Map<String, Object> body = Fixtures.customer(name);
        body.put("billing_address", new LinkedHashMap<>(Map.of("line1", "1 rue de la Paix", "city", "Paris", "country", country)));
        body.put("currency", "EUR");
        body.put("time_zone", "UTC");
        body.remove("alignment");
        body.put("test_clock_id", s.clockId);
        body.put("tax_status", status);
        if (taxId != null) {
            body.put("tax_id", taxId);
        }
        var created = s.api.post("/v1/customers", body);
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        return created.text("id");
    }

    private static String subscribe(Sandbox s, String customerId) {
        return s.subscribe(Map.of("customer_id", customerId, "plan", "basic")).get("id").asText();
    }

    private static List<JsonNode> invoices(Sandbox s, String sub) {
        List<JsonNode> all = new ArrayList<>();
        s.api.get("/v1/invoices?limit=100&subscription_id=" + sub).json().get("data").forEach(all::add);
        return all.reversed();
    }

    /** "subtotal tax total" and the tax lines as "type rate taxable tax description". */
    private static String summary(JsonNode invoice) {
        List<String> taxes = new ArrayList<>();
        invoice.get("taxes").forEach(t -> taxes.add(t.get("type").asText() + " " + t.get("rate").asText() + " " + t.get("taxable_amount").asText()
                + " " + t.get("tax").asText() + " " + t.get("description").asText()));
        return invoice.get("subtotal").asText() + " " + invoice.get("tax").asText() + " " + invoice.get("total").asText() + " " + taxes;
    }

    @Test
    void aFrenchSellerTaxesItsFrenchConsumerOnThePlanAndTheRentalRoundingOncePerRate() {
        Sandbox s = new Sandbox("tax fr", CATALOG, "2026-06-01T08:00:00Z");
        assertThat(s.api.send("PUT", "/v1/tenant/tax", Map.of("seller_country", "FR")).status()).isEqualTo(200);
        String sub = subscribe(s, customer(s, "Jeanne Martin", "FR", "taxable", null));
        var rented = s.api.post("/v1/subscriptions/" + sub + "/numbers", Map.of("number", "+33123456789", "country", "FR", "type", "local"));
        assertThat(rented.status()).as(rented.toString()).isEqualTo(201);
        s.advanceTo("2026-07-01T08:00:00Z");

        List<JsonNode> all = invoices(s, sub);
        assertThat(all).extracting(TaxedInvoicesTest::summary).containsExactly(
                "10.03 2.01 12.04 [VAT 0.2 10.03 2.01 VAT 20 %]",
                "1.03 0.21 1.24 [VAT 0.2 1.03 0.21 VAT 20 %]",
                // 11.06 × 20 % = 2.212: one line, rounded once (not 2.01 + 0.21 = 2.22)
                "11.06 2.21 13.27 [VAT 0.2 11.06 2.21 VAT 20 %]");
        JsonNode renewal = all.getLast();
        JsonNode taxLine = renewal.get("lines").get(renewal.get("lines").size() - 1);
        assertThat(taxLine.get("kind").asText()).isEqualTo("tax");
        assertThat(taxLine.get("charge_code").asText()).isEqualTo("VAT");
        assertThat(taxLine.get("quantity").asText()).isEqualTo("0.2");
        assertThat(taxLine.get("unit_price").asText()).isEqualTo("11.06");
        assertThat(taxLine.get("amount").asText()).isEqualTo("2.21");
    }

    @Test
    void aGermanBusinessWithAVatIdIsReverseChargedAndAnExemptCustomerPaysNone() {
        Sandbox s = new Sandbox("tax b2b", CATALOG, "2026-06-01T08:00:00Z");
        s.api.send("PUT", "/v1/tenant/tax", Map.of("seller_country", "FR"));
        String business = subscribe(s, customer(s, "Müller GmbH", "DE", "business", "DE123456789"));
        String exempt = subscribe(s, customer(s, "Croix-Rouge", "FR", "exempt", null));
        String noVatId = subscribe(s, customer(s, "Schmidt KG", "DE", "business", null));

        assertThat(invoices(s, business)).extracting(TaxedInvoicesTest::summary).containsExactly(
                "10.03 0.00 10.03 [VAT 0 10.03 0.00 VAT 0 % — Reverse charge — VAT to be accounted for by the recipient (Art. 196 Directive 2006/112/EC)]");
        assertThat(invoices(s, exempt)).extracting(TaxedInvoicesTest::summary).containsExactly(
                "10.03 0.00 10.03 [VAT 0 10.03 0.00 VAT 0 % — Exempt from tax]");
        // a German business without a VAT id pays German VAT (19 %)
        assertThat(invoices(s, noVatId)).extracting(TaxedInvoicesTest::summary).containsExactly(
                "10.03 1.91 11.94 [VAT 0.19 10.03 1.91 VAT 19 %]");
        // and a malformed VAT id never gets in
        Map<String, Object> bad = Fixtures.customer("Bad GmbH");
        bad.put("billing_address", Map.of("line1", "x", "city", "Berlin", "country", "DE"));
        bad.put("currency", "EUR");
        bad.put("tax_id", "DE12345678X");
        assertThat(s.api.post("/v1/customers", bad).code()).isEqualTo("invalid_tax_id");
    }

    @Test
    void aTaxInclusiveTenantsPricesHoldTheTax() {
        Sandbox s = new Sandbox("tax incl", CATALOG, "2026-06-01T08:00:00Z");
        s.api.send("PUT", "/v1/tenant/tax", Map.of("seller_country", "FR", "prices", "tax_inclusive"));
        String sub = subscribe(s, customer(s, "Paul Durand", "FR", "taxable", null));
        // 10.03 / 1.2 = 8.358…: tax 1.67, net 8.36, and net + tax is exactly the price
        assertThat(invoices(s, sub)).extracting(TaxedInvoicesTest::summary).containsExactly("8.36 1.67 10.03 [VAT 0.2 8.36 1.67 VAT 20 % included]");
    }

    @Test
    void prepaidMoneyIsTaxedOnceWhenItIsToppedUpByTheSameRule() {
        Sandbox s = new Sandbox("tax prepaid", CATALOG, "2026-06-01T08:00:00Z");
        s.api.send("PUT", "/v1/tenant/tax", Map.of("seller_country", "FR"));
        String consumer = prepaid(s, "Jeanne Prepaid", "FR", "taxable", null);
        String business = prepaid(s, "Prepaid GmbH", "DE", "business", "DE123456789");
        // the top-up's receipt carries the VAT of the customer's jurisdiction, reverse charge included
        var fr = s.api.post("/v1/customers/" + consumer + "/wallet/top_ups", Map.of("amount", "50.00", "currency", "EUR"));
        assertThat(List.of(fr.text("tax_rate"), fr.text("tax"), fr.text("total"), fr.text("balance_after"))).containsExactly("0.2", "10.00", "60.00", "50.00");
        var de = s.api.post("/v1/customers/" + business + "/wallet/top_ups", Map.of("amount", "50.00", "currency", "EUR"));
        assertThat(List.of(de.text("tax_rate"), de.text("tax"), de.text("total"))).containsExactly("0", "0.00", "50.00");
        // the documents that already-taxed money pays carry no tax: the wallet pays the plan's price
        assertThat(invoices(s, subscribe(s, consumer))).extracting(TaxedInvoicesTest::summary).containsExactly("10.03 0.00 0.00 []");
        assertThat(s.api.get("/v1/customers/" + consumer + "/wallet").text("balance")).isEqualTo("39.97");
        // a tenant that configured no taxes still taxes top-ups at its older single tax_rate, through the same calculator
        Sandbox legacy = new Sandbox("tax legacy", CATALOG, "2026-06-01T08:00:00Z");
        legacy.api.patch("/v1/tenant", Map.of("tax_rate", "0.10"));
        var old = legacy.api.post("/v1/customers/" + prepaid(legacy, "Old Co", "FR", "taxable", null) + "/wallet/top_ups",
                Map.of("amount", "12.35", "currency", "EUR"));
        assertThat(List.of(old.text("tax_rate"), old.text("tax"), old.text("total"))).containsExactly("0.1", "1.24", "13.59");
    }

    private static String prepaid(Sandbox s, String name, String country, String status, String taxId) {
        Map<String, Object> body = Fixtures.customer(name);
        body.put("billing_address", new LinkedHashMap<>(Map.of("line1", "1 rue de la Paix", "city", "Paris", "country", country)));
        body.put("tax_status", status);
        if (taxId != null) {
            body.put("tax_id", taxId);
        }
        body.put("currency", "EUR");
        body.put("time_zone", "UTC");
        body.remove("alignment");
        body.put("account_type", "prepaid");
        body.put("test_clock_id", s.clockId);
        var created = s.api.post("/v1/customers", body);
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        return created.text("id");
    }

    @Test
    void eachChargeIsTaxedAtTheRateOfItsCatalogTaxCategory() {
        String catalog = CATALOG.replace("monthly_price: { EUR: \"10.03\" } }", "monthly_price: { EUR: \"10.03\" }, tax_category: reduced }")
                .replace("    type: rental\n", "    type: rental\n    tax_category: exempt\n");
        Sandbox s = new Sandbox("tax categories", catalog, "2026-06-01T08:00:00Z");
        s.api.send("PUT", "/v1/tenant/tax", Map.of("seller_country", "FR"));
        String sub = subscribe(s, customer(s, "Jeanne Martin", "FR", "taxable", null));
        s.api.post("/v1/subscriptions/" + sub + "/numbers", Map.of("number", "+33123456789", "country", "FR", "type", "local"));
        s.advanceTo("2026-07-01T08:00:00Z");
        // the plan at France's reduced 10 %, the number rental exempt: one line per rate
        assertThat(summary(invoices(s, sub).getLast()))
                .isEqualTo("11.06 1.00 12.06 [VAT 0.1 10.03 1.00 VAT 10 %, VAT 0 1.03 0.00 VAT 0 % — Exempt from tax]");
    }

    @Test
    void aTenantThatCollectsNoTaxIssuesNoTaxLines() {
        Sandbox s = new Sandbox("tax none", CATALOG, "2026-06-01T08:00:00Z");
        String sub = subscribe(s, customer(s, "Jeanne Martin", "FR", "taxable", null));
        assertThat(invoices(s, sub)).extracting(TaxedInvoicesTest::summary).containsExactly("10.03 0.00 10.03 []");
    }
}
