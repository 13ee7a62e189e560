package dev.accrue.server.customer;

import com.fasterxml.jackson.databind.JsonNode;
import dev.accrue.server.support.Fixtures;
import dev.accrue.server.support.PortalLinks;
import dev.accrue.server.support.Sandbox;
import dev.accrue.server.support.TestNode;
import dev.accrue.server.support.WebClient;
import org.apache.pdfbox.Loader;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.text.PDFTextStripper;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 16 point 13, the parts of account hierarchies beyond "separate": a consolidated parent gets one invoice per
 * billing date with a section per child (exact to the cent, gapless, exactly once, rendered with the sections, paid from
 * the parent's card); the parent's portal shows its children's invoices labelled by child, a child's portal never its
 * parent's or its siblings'; and a parent whose payment fails through dunning takes down the children that payment
 * served, which come back when it pays.
 */
class ConsolidatedInvoicingScenarioTest {
    private static final String CATALOG = AccountHierarchyScenarioTest.CATALOG;
    private static final String VISA_OK = "4242424242424242";
    private static final String CHARGE_FAILS = "4000000000000341";

    @Test
    void oneInvoicePerPeriodWithASectionPerChildToTheCentPaidByTheParent() throws IOException {
        Sandbox s = new Sandbox("consolidated", CATALOG, "2026-06-01T08:00:00Z");
        salesTax(s);
        String parent = customer(s, "Pinecrest Partners", "NY", null, null);
        addCard(s, parent, VISA_OK);
        // the children are in PA and NY: on the parent's invoice they are taxed where the buyer — the parent — is (NY)
        String north = customer(s, "Pinecrest North", "PA", parent, "consolidated");
        String south = customer(s, "Pinecrest South", "NY", parent, "consolidated");
        String east = customer(s, "Pinecrest East", "NY", parent, "separate");
        assertThat(s.api.get("/v1/customers/" + north).text("invoicing")).isEqualTo("consolidated");

        String northSub = s.subscribe(Map.of("customer_id", north, "plan", "team")).get("id").asText();
        String southSub = s.subscribe(Map.of("customer_id", south, "plan", "team", "quantity", 3)).get("id").asText();
        String eastSub = s.subscribe(Map.of("customer_id", east, "plan", "team", "quantity", 2)).get("id").asText();
        s.advanceTo("2026-06-01T09:00:00Z");
        // a consolidated child's upcoming invoice is its own section of the parent's next invoice, nothing of its sibling's
        JsonNode upcoming = s.api.get("/v1/subscriptions/" + northSub + "/upcoming_invoice").json();
        assertThat(upcoming.get("issue_date").asText() + " " + upcoming.get("total").asText()).isEqualTo("2026-07-01 54.43");
        List<String> upcomingLines = new ArrayList<>();
        upcoming.get("lines").forEach(l -> upcomingLines.add(l.get("section_name").asText() + " " + l.get("kind").asText() + " " + l.get("amount").asText()));
        assertThat(upcomingLines).containsExactly("Pinecrest North recurring 49.99", "Pinecrest North tax 4.44");
        s.advanceTo("2026-07-01T09:00:00Z");
        s.advanceTo("2026-07-01T10:00:00Z"); // billing again on the same day issues nothing twice

        // 49.99 × 8.875 % = 4.4366… → 4.44; 149.97 × 8.875 % = 13.3098… → 13.31; 199.96 + 17.75 = 217.71
        String section = "[North: recurring 49.99, North: tax 4.44, South: recurring 149.97, South: tax 13.31]";
        assertThat(invoices(s, parent)).containsExactly(
                "2026-06-01 paid 199.96 217.71 " + section,
                "2026-07-01 paid 199.96 217.71 " + section);
        List<JsonNode> consolidated = all(s, "/v1/invoices?customer_id=" + parent).reversed();
        for (JsonNode invoice : consolidated) {
            assertThat(invoice.get("subscription_id").isNull()).isTrue();
            assertThat(invoice.get("period_start").asText() + " " + invoice.get("period_end").asText()).matches("2026-0[67]-01 2026-0[78]-01");
            // the sections add up to the invoice, cent for cent
            BigDecimal sum = BigDecimal.ZERO;
            for (JsonNode line : invoice.get("lines")) {
                assertThat(line.get("section_customer_id").asText()).isIn(north, south);
                sum = sum.add(new BigDecimal(line.get("amount").asText()));
            }
            assertThat(sum).isEqualByComparingTo(invoice.get("total").asText());
        }
        // numbered in the tenant's one gapless series, with the separate child's invoices between them
        List<String> numbers = new ArrayList<>();
        all(s, "/v1/invoices").forEach(i -> numbers.add(i.get("number").asText()));
        assertThat(numbers).containsExactlyInAnyOrder("INV-000001", "INV-000002", "INV-000003", "INV-000004");
        // the consolidated children have no documents of their own; the separate one keeps its own
        assertThat(all(s, "/v1/invoices?customer_id=" + north)).isEmpty();
        assertThat(all(s, "/v1/invoices?customer_id=" + south)).isEmpty();
        assertThat(all(s, "/v1/invoices?subscription_id=" + northSub)).isEmpty();
        assertThat(all(s, "/v1/invoices?customer_id=" + east)).hasSize(2);
        // every payment is the parent's: two consolidated invoices and the separate child's two
        List<String> paid = new ArrayList<>();
        all(s, "/v1/payments?customer_id=" + parent).forEach(p -> paid.add(p.get("status").asText() + " " + p.get("amount").asText()));
        assertThat(paid).containsExactlyInAnyOrder("succeeded 217.71", "succeeded 217.71", "succeeded 108.85", "succeeded 108.85");

        // rendered with a section per child, in HTML and PDF
        String june = consolidated.getFirst().get("id").asText();
        String html = s.api.get("/v1/invoices/" + june + "/html").body();
        assertThat(html).contains("<td class=\"section\" colspan=\"4\">Pinecrest North</td>", "<td class=\"section\" colspan=\"4\">Pinecrest South</td>");
        assertThat(html.indexOf("Pinecrest North</td>")).isLessThan(html.indexOf("Pinecrest South</td>"));
        var pdf = s.api.getFile("/v1/invoices/" + june + "/pdf");
        assertThat(pdf.status()).isEqualTo(200);
        try (PDDocument doc = Loader.loadPDF(pdf.body())) {
            String text = new PDFTextStripper().getText(doc);
            assertThat(text).contains("Pinecrest North", "Pinecrest South", "217.71");
            assertThat(text.indexOf("Pinecrest North")).isLessThan(text.indexOf("Pinecrest South"));
        }

        // the parent's portal lists its own consolidated invoices and its separate child's, each labelled
        WebClient parentPortal = signedIn(s, parent);
        WebClient.Page list = parentPortal.get("/portal/invoices");
        assertThat(list.status()).isEqualTo(200);
        assertThat(list.body()).contains("<td class=\"account\">Pinecrest North, Pinecrest South</td>", "<td class=\"account\">Pinecrest East</td>");
        String eastInvoice = all(s, "/v1/invoices?customer_id=" + east).getFirst().get("id").asText();
        assertThat(parentPortal.get("/portal/invoices/" + eastInvoice).status()).isEqualTo(200);
        WebClient.Page sections = parentPortal.get("/portal/invoices/" + june);
        assertThat(sections.body()).contains("Pinecrest North</th>", "Pinecrest South</th>");
        assertThat(parentPortal.get("/portal/invoices/" + eastInvoice + "/pdf").status()).isEqualTo(200);
        // a child's portal: never the parent's invoice (its consolidated one) nor a sibling's — answered like an unknown id
        WebClient northPortal = signedIn(s, north);
        assertThat(northPortal.get("/portal/invoices/" + june).status()).isEqualTo(404);
        assertThat(northPortal.get("/portal/invoices/" + june + "/pdf").status()).isEqualTo(404);
        assertThat(northPortal.get("/portal/invoices/" + eastInvoice).status()).isEqualTo(404);
        assertThat(northPortal.get("/portal/invoices").body()).doesNotContain(june, eastInvoice);
        WebClient eastPortal = signedIn(s, east);
        assertThat(eastPortal.get("/portal/invoices/" + june).status()).isEqualTo(404);
        assertThat(eastPortal.get("/portal/invoices").body()).contains(eastInvoice).doesNotContain(june);
        assertThat(s.api.get("/v1/subscriptions/" + eastSub).text("status")).isEqualTo("active");
        assertThat(s.api.get("/v1/subscriptions/" + southSub).text("status")).isEqualTo("active");
    }

    @Test
    void whenTheParentsPaymentFailsThroughDunningTheChildrenItPaysForAreSuspendedAndReinstatedWhenPaid() {
        Sandbox s = new Sandbox("consolidated-dunning", CATALOG, "2026-06-01T08:00:00Z");
        String parent = customer(s, "Lapsed Reseller", "NY", null, null);
        addCard(s, parent, CHARGE_FAILS);
        String north = customer(s, "Lapsed North", "NY", parent, "consolidated");
        String east = customer(s, "Lapsed East", "NY", parent, "separate");
        // a child of another parent that pays: untouched by this parent's failure
        String other = customer(s, "Solvent Reseller", "NY", null, null);
        addCard(s, other, VISA_OK);
        String otherChild = customer(s, "Solvent Child", "NY", other, "consolidated");
        String northSub = s.subscribe(Map.of("customer_id", north, "plan", "team")).get("id").asText();
        String eastSub = s.subscribe(Map.of("customer_id", east, "plan", "team")).get("id").asText();
        String otherSub = s.subscribe(Map.of("customer_id", otherChild, "plan", "team")).get("id").asText();

        // the default schedule: the first try, retries 1, 3, 5 and 7 days after the first failure, then 3 days of grace
        for (String at : new String[] {"2026-06-01T09:00:00Z", "2026-06-02T10:00:00Z", "2026-06-04T10:00:00Z", "2026-06-06T10:00:00Z",
                "2026-06-08T10:00:00Z", "2026-06-11T09:00:00Z"}) {
            s.advanceTo(at);
        }
        assertThat(status(s, northSub)).isEqualTo("active"); // still in grace
        s.advanceTo("2026-06-11T11:00:00Z");
        assertThat(status(s, northSub)).isEqualTo("suspended"); // its section is on the unpaid consolidated invoice
        assertThat(status(s, eastSub)).isEqualTo("suspended");  // its own invoice, which the parent did not pay
        assertThat(status(s, otherSub)).isEqualTo("active");
        assertThat(s.api.get("/v1/audit_events?object_id=" + parent).body()).contains("customer.suspended", north, east);

        // the parent adds a card that works: everything open is paid, and the children come back with it
        addCard(s, parent, VISA_OK);
        s.advanceTo("2026-06-11T11:01:00Z");
        for (JsonNode invoice : all(s, "/v1/invoices?customer_id=" + parent)) {
            assertThat(invoice.get("status").asText()).isEqualTo("paid");
        }
        assertThat(status(s, northSub)).isEqualTo("active");
        assertThat(status(s, eastSub)).isEqualTo("active");
    }

    @Test
    void consolidationIsRefusedPreciselyWhenTheChildCannotShareTheParentsInvoiceAndNothingChanges() {
        Sandbox s = new Sandbox("consolidated-bad", CATALOG, "2026-06-01T08:00:00Z");
        String parent = customer(s, "Strict Parent", "NY", null, null);
        String child = customer(s, "Strict Child", "NY", parent, "consolidated");

        Map<String, Object> chicago = body(s, "Chicago Child", "NY", parent, "consolidated");
        chicago.put("time_zone", "America/Chicago");
        assertRefused(s.api.post("/v1/customers", chicago), "time zones America/Chicago and America/New_York");
        Map<String, Object> anniversary = body(s, "Anniversary Child", "NY", parent, "consolidated");
        anniversary.put("alignment", "anniversary");
        assertRefused(s.api.post("/v1/customers", anniversary), "different cycles");
        Map<String, Object> fifteenth = body(s, "Fifteenth Child", "NY", parent, "consolidated");
        fifteenth.put("billing_cycle_day", 15);
        assertRefused(s.api.post("/v1/customers", fifteenth), "billing_cycle_day 15 / null");
        Map<String, Object> prepaid = body(s, "Prepaid Child", "NY", parent, "consolidated");
        prepaid.put("account_type", "prepaid");
        assertRefused(s.api.post("/v1/customers", prepaid), "prepaid");
        // the same child invoiced separately may be anywhere: only consolidation needs one billing date
        chicago.put("invoicing", "separate");
        assertThat(s.api.post("/v1/customers", chicago).status()).isEqualTo(201);
        // a parent cannot move its billing dates away from its consolidated children either
        assertRefused(s.api.patch("/v1/customers/" + parent, Map.of("time_zone", "Europe/Berlin")), child);
        assertThat(s.api.get("/v1/customers/" + parent).text("time_zone")).isEqualTo("America/New_York");
        // the currency and clock rules are the hierarchy's own, for both modes
        Map<String, Object> euro = body(s, "Euro Child", "NY", parent, "consolidated");
        euro.put("currency", "EUR");
        assertThat(s.api.post("/v1/customers", euro).code()).isEqualTo("currency_mismatch");
        var bad = s.api.post("/v1/customers", body(s, "Odd Child", "NY", parent, "merged"));
        assertThat(bad.code()).isEqualTo("validation_failed");
        assertThat(bad.text("field")).isEqualTo("invoicing");
        assertThat(all(s, "/v1/customers?parent_id=" + parent)).hasSize(2);
    }

    private static void assertRefused(dev.accrue.server.support.Api.Response r, String detail) {
        assertThat(r.status()).as(r.toString()).isEqualTo(400);
        assertThat(r.code()).isEqualTo("validation_failed");
        assertThat(r.text("field")).isEqualTo("invoicing");
        assertThat(r.text("detail")).contains(detail);
    }

    private static void salesTax(Sandbox s) {
        assertThat(s.api.send("PUT", "/v1/tenant/tax", Map.of("seller_country", "US", "rates", List.of(
                Map.of("country", "US", "region", "PA", "type", "Sales tax", "rate", "0.06"),
                Map.of("country", "US", "region", "NY", "type", "Sales tax", "rate", "0.08875")))).status()).isEqualTo(200);
    }

    private static String customer(Sandbox s, String name, String state, String parentId, String invoicing) {
        var created = s.api.post("/v1/customers", body(s, name, state, parentId, invoicing));
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        return created.text("id");
    }

    private static Map<String, Object> body(Sandbox s, String name, String state, String parentId, String invoicing) {
        Map<String, Object> body = Fixtures.customer(name);
        body.put("billing_emails", List.of("ap@" + name.toLowerCase().replace(' ', '-') + ".example"));
        body.put("billing_address", state.equals("PA")
                ? Map.of("line1", "15 Germantown Avenue", "city", "Philadelphia", "region", "PA", "postal_code", "19118", "country", "US")
                : Map.of("line1", "1 Liberty Plaza", "city", "New York", "region", "NY", "postal_code", "10006", "country", "US"));
        body.put("test_clock_id", s.clockId);
        if (parentId != null) {
            body.put("parent_id", parentId);
        }
        if (invoicing != null) {
            body.put("invoicing", invoicing);
        }
        return body;
    }

    private static void addCard(Sandbox s, String customerId, String number) {
        Map<String, Object> card = new LinkedHashMap<>(Map.of("number", number, "exp_month", 12, "exp_year", 2030, "cvc", "123"));
        String token = s.api.post("/v1/sandbox/tokens", Map.of("card", card)).text("id");
        var method = s.api.post("/v1/customers/" + customerId + "/payment_methods", Map.of("token", token));
        assertThat(method.status()).as(method.toString()).isEqualTo(201);
    }

    private static WebClient signedIn(Sandbox s, String customerId) {
        WebClient web = new WebClient(TestNode.get().baseUrl());
        assertThat(web.get(PortalLinks.link(s.api, customerId, "admin@example.com", "admin", null)).status()).isEqualTo(302);
        return web;
    }

    private static String status(Sandbox s, String subscriptionId) {
        return s.api.get("/v1/subscriptions/" + subscriptionId).text("status");
    }

    /** "issue_date status subtotal total [section: kind amount, …]" per invoice of the customer, oldest first. */
    private static List<String> invoices(Sandbox s, String customerId) {
        List<String> out = new ArrayList<>();
        for (JsonNode i : all(s, "/v1/invoices?customer_id=" + customerId).reversed()) {
            List<String> lines = new ArrayList<>();
            i.get("lines").forEach(l -> lines.add(l.get("section_name").asText().replace("Pinecrest ", "") + ": " + l.get("kind").asText() + " "
                                                  + l.get("amount").asText()));
            out.add(i.get("issue_date").asText() + " " + i.get("status").asText() + " " + i.get("subtotal").asText() + " " + i.get("total").asText()
                    + " " + lines);
        }
        return out;
    }

    private static List<JsonNode> all(Sandbox s, String path) {
        List<JsonNode> out = new ArrayList<>();
        s.api.get(path + (path.contains("?") ? "&" : "?") + "limit=100").json().get("data").forEach(out::add);
        return out;
    }
}
