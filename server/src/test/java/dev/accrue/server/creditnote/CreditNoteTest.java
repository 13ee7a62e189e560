package dev.accrue.server.creditnote;

import com.fasterxml.jackson.databind.JsonNode;
import dev.accrue.server.support.Api;
import dev.accrue.server.support.Sandbox;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 12 point 4 on the real server over a test clock: credit notes against finalized invoices (whole, per line,
 * partial), their limits counting earlier notes, their gapless CN numbers, the credit they grant consumed by the next
 * invoice; voiding and its refusals; and a usage correction larger than the next invoice carried as credit.
 */
class CreditNoteTest {
    static final String CATALOG = """
            name: notes
            version: 1
            effective_from: 2020-01-01
            currencies: [USD]
            metrics:
              - { code: call_seconds, aggregation: sum, field: duration_seconds, unit: second }
            products:
              - { code: voice, name: Voice }
            plans:
              - code: basic
                product: voice
                name: Basic
                tier: 1
                alignment: calendar
                intervals: [{ interval: month }]
                charges:
                  - { type: recurring, code: base, name: Base, monthly_price: { USD: "BASE" }, timing: TIMING }
                  - { type: metered, code: calls, name: Calls, metric: call_seconds, pricing: { model: per_unit, unit_price: { USD: "0.01" } } }
            """;

    private static Sandbox sandbox(String label, String base, String timing) {
        return new Sandbox(label, CATALOG.replace("BASE", base).replace("TIMING", timing), "2026-06-01T08:00:00Z");
    }

    private static JsonNode onlyInvoice(Sandbox s, String sub) {
        JsonNode data = s.api.get("/v1/invoices?subscription_id=" + sub).json().get("data");
        assertThat(data).hasSize(1);
        return data.get(0);
    }

    /** The 1-based position of the invoice's first line of {@code kind}. */
    private static int lineOf(JsonNode invoice, String kind) {
        for (int i = 0; i < invoice.get("lines").size(); i++) {
            if (invoice.get("lines").get(i).get("kind").asText().equals(kind)) {
                return i + 1;
            }
        }
        throw new AssertionError("no " + kind + " line in " + invoice);
    }

    private static String balance(Sandbox s, String customer) {
        return s.api.get("/v1/customers/" + customer + "/credit").text("balance");
    }

    private static List<String> notes(Api api, String path) {
        List<String> out = new ArrayList<>();
        api.get(path).json().get("data").forEach(n -> out.add(n.get("number").asText() + " " + n.get("total").asText()));
        return out;
    }

    @Test
    void aPartialCreditOfALineThenTheRestOfTheInvoiceBecomeCreditTheNextInvoiceConsumes() {
        Sandbox s = sandbox("credit notes", "30.00", "in_advance");
        String c = s.customer("Credited Co", "USD", "UTC");
        String sub = s.subscribe(Map.of("customer_id", c, "plan", "basic")).get("id").asText();
        JsonNode invoice = onlyInvoice(s, sub);
        String inv = invoice.get("id").asText();
        assertThat(invoice.get("total").asText()).isEqualTo("30.00");
        int base = lineOf(invoice, "recurring");

        var first = s.api.withHeader("Idempotency-Key", "cn-1").post("/v1/invoices/" + inv + "/credit_notes",
                Map.of("reason", "Outage on June 3", "lines", List.of(Map.of("line", base, "amount", "10.00"))));
        assertThat(first.status()).isEqualTo(201);
        assertThat(first.text("number")).isEqualTo("CN-000001");
        assertThat(first.text("total")).isEqualTo("10.00");
        assertThat(first.text("resolution")).isEqualTo("credit");
        assertThat(first.text("invoice_number")).isEqualTo(invoice.get("number").asText());
        assertThat(first.json().at("/lines/0/invoice_line").asInt()).isEqualTo(base);
        assertThat(balance(s, c)).isEqualTo("10.00");
        // the same request again replays the note: nothing credited twice
        var replay = s.api.withHeader("Idempotency-Key", "cn-1").post("/v1/invoices/" + inv + "/credit_notes",
                Map.of("reason", "Outage on June 3", "lines", List.of(Map.of("line", base, "amount", "10.00"))));
        assertThat(replay.header("Idempotent-Replayed")).isEqualTo("true");
        assertThat(replay.text("id")).isEqualTo(first.text("id"));
        assertThat(balance(s, c)).isEqualTo("10.00");

        // refusals: precise, and nothing written (no note, no number taken, no credit)
        var over = s.api.post("/v1/invoices/" + inv + "/credit_notes", Map.of("reason", "x", "lines", List.of(Map.of("line", base, "amount", "20.01"))));
        assertThat(over.status()).isEqualTo(409);
        assertThat(over.code()).isEqualTo("credit_exceeds_remaining");
        assertThat(over.text("remaining")).isEqualTo("20.00");
        assertThat(over.text("field")).isEqualTo("lines[0].amount");
        var overWhole = s.api.post("/v1/invoices/" + inv + "/credit_notes", Map.of("reason", "x", "amount", "20.01"));
        assertThat(overWhole.code()).isEqualTo("credit_exceeds_remaining");
        assertThat(s.api.post("/v1/invoices/" + inv + "/credit_notes", Map.of("reason", "x", "amount", "0")).code()).isEqualTo("invalid_amount");
        assertThat(s.api.post("/v1/invoices/" + inv + "/credit_notes", Map.of("reason", "x", "amount", "-5.00")).code()).isEqualTo("invalid_amount");
        assertThat(s.api.post("/v1/invoices/" + inv + "/credit_notes", Map.of("reason", "x", "amount", "1.001")).code()).isEqualTo("invalid_amount");
        var currency = s.api.post("/v1/invoices/" + inv + "/credit_notes", Map.of("reason", "x", "amount", "1.00", "currency", "EUR"));
        assertThat(currency.status()).isEqualTo(400);
        assertThat(currency.code()).isEqualTo("currency_mismatch");
        assertThat(s.api.post("/v1/invoices/" + inv + "/credit_notes", Map.of("amount", "1.00")).code()).isEqualTo("missing_field");
        assertThat(s.api.post("/v1/invoices/" + inv + "/credit_notes", Map.of("reason", "x", "lines", List.of(Map.of("line", 99)))).code())
                .isEqualTo("validation_failed");
        Sandbox other = sandbox("credit notes elsewhere", "30.00", "in_advance");
        assertThat(other.api.post("/v1/invoices/" + inv + "/credit_notes", Map.of("reason", "x")).status()).isEqualTo(404);
        assertThat(other.api.get("/v1/invoices/" + inv + "/credit_notes").status()).isEqualTo(404);
        assertThat(other.api.get("/v1/credit_notes/" + first.text("id")).status()).isEqualTo(404);
        assertThat(balance(s, c)).isEqualTo("10.00");
        assertThat(notes(s.api, "/v1/invoices/" + inv + "/credit_notes")).containsExactly("CN-000001 10.00");

        // the rest of the invoice as a whole: the next number, all that is left
        var rest = s.api.post("/v1/invoices/" + inv + "/credit_notes", Map.of("reason", "Cancelled the deal", "currency", "USD"));
        assertThat(rest.status()).isEqualTo(201);
        assertThat(rest.text("number")).isEqualTo("CN-000002");
        assertThat(rest.text("total")).isEqualTo("20.00");
        assertThat(rest.json().at("/lines/0/invoice_line").isNull()).isTrue();
        var nothingLeft = s.api.post("/v1/invoices/" + inv + "/credit_notes", Map.of("reason", "again"));
        assertThat(nothingLeft.code()).isEqualTo("credit_exceeds_remaining");
        assertThat(s.api.post("/v1/invoices/" + inv + "/credit_notes", Map.of("reason", "x", "lines", List.of(Map.of("line", base)))).code())
                .isEqualTo("credit_exceeds_remaining");
        assertThat(balance(s, c)).isEqualTo("30.00");

        // the invoice never changes; the notes are listed per invoice, per customer and read alone
        JsonNode after = s.api.get("/v1/invoices/" + inv).json();
        assertThat(after.get("total").asText()).isEqualTo("30.00");
        assertThat(after.get("status").asText()).isEqualTo("finalized");
        assertThat(after.get("lines")).isEqualTo(invoice.get("lines"));
        assertThat(notes(s.api, "/v1/invoices/" + inv + "/credit_notes")).containsExactly("CN-000002 20.00", "CN-000001 10.00");
        assertThat(notes(s.api, "/v1/credit_notes?customer_id=" + c)).containsExactly("CN-000002 20.00", "CN-000001 10.00");
        assertThat(s.api.get("/v1/credit_notes/" + first.text("id")).text("reason")).isEqualTo("Outage on June 3");

        // a credited invoice is not voided: the credit would be handed out twice
        var voided = s.api.post("/v1/invoices/" + inv + "/void", Map.of());
        assertThat(voided.status()).isEqualTo(409);
        assertThat(voided.code()).isEqualTo("invoice_credited");

        // the next invoice consumes the credit
        s.advanceTo("2026-07-01T09:00:00Z");
        assertThat(s.invoices(sub).getLast()).startsWith("2026-07-01 0.00 [");
        assertThat(balance(s, c)).isEqualTo("0.00");
    }

    @Test
    void draftsAndProformasAreNotCreditedAndOnlyUnpaidFinalizedInvoicesAreVoidedGivingBackTheCreditTheyUsed() {
        Sandbox s = sandbox("voids", "30.00", "in_advance");
        String c = s.customer("Void Co", "USD", "UTC");
        String sub = s.subscribe(Map.of("customer_id", c, "plan", "basic")).get("id").asText();
        String june = onlyInvoice(s, sub).get("id").asText();
        assertThat(s.api.post("/v1/invoices/" + june + "/credit_notes", Map.of("reason", "Goodwill")).text("number")).isEqualTo("CN-000001");
        s.advanceTo("2026-07-01T09:00:00Z");
        JsonNode july = s.api.get("/v1/invoices?subscription_id=" + sub).json().at("/data/0");
        assertThat(july.get("total").asText()).isEqualTo("0.00");
        assertThat(balance(s, c)).isEqualTo("0.00");

        // voiding the July invoice gives back the 30.00 of credit it consumed; it is audited
        var voided = s.api.post("/v1/invoices/" + july.get("id").asText() + "/void", Map.of());
        assertThat(voided.status()).isEqualTo(200);
        assertThat(voided.text("status")).isEqualTo("void");
        assertThat(balance(s, c)).isEqualTo("30.00");
        List<String> actions = new ArrayList<>();
        s.api.get("/v1/audit_events?object_id=" + july.get("id").asText()).json().get("data").forEach(e -> actions.add(e.get("action").asText()));
        assertThat(actions).contains("invoice.void");
        // a void invoice is neither voided again nor credited
        assertThat(s.api.post("/v1/invoices/" + july.get("id").asText() + "/void", Map.of()).code()).isEqualTo("invoice_not_open");
        assertThat(s.api.post("/v1/invoices/" + july.get("id").asText() + "/credit_notes", Map.of("reason", "x")).code())
                .isEqualTo("invoice_not_creditable");
        assertThat(balance(s, c)).isEqualTo("30.00");

        // a paid invoice is not voided (a credit note corrects it)
        s.advanceTo("2026-08-01T09:00:00Z");
        s.advanceTo("2026-09-01T09:00:00Z");
        String september = s.api.get("/v1/invoices?subscription_id=" + sub).json().at("/data/0/id").asText();
        assertThat(s.api.post("/v1/invoices/" + september + "/mark_paid", Map.of()).status()).isEqualTo(200);
        var paid = s.api.post("/v1/invoices/" + september + "/void", Map.of());
        assertThat(paid.status()).isEqualTo(409);
        assertThat(paid.code()).isEqualTo("invoice_not_open");
        assertThat(s.api.post("/v1/invoices/" + september + "/credit_notes", Map.of("reason", "Refund later", "amount", "5.00")).text("number"))
                .isEqualTo("CN-000002");

        // a draft (held by the tenant's grace period) is neither credited nor voided
        assertThat(s.api.patch("/v1/tenant", Map.of("invoice_grace_hours", 48)).status()).isEqualTo(200);
        s.advanceTo("2026-10-01T09:00:00Z");
        JsonNode october = s.api.get("/v1/invoices?subscription_id=" + sub).json().at("/data/0");
        assertThat(october.get("status").asText()).isEqualTo("draft");
        var draftCredit = s.api.post("/v1/invoices/" + october.get("id").asText() + "/credit_notes", Map.of("reason", "x"));
        assertThat(draftCredit.status()).isEqualTo(409);
        assertThat(draftCredit.code()).isEqualTo("invoice_not_creditable");
        assertThat(s.api.post("/v1/invoices/" + october.get("id").asText() + "/void", Map.of()).code()).isEqualTo("invoice_not_open");
        // no number was taken by the refusals: the series stays gapless
        assertThat(notes(s.api, "/v1/credit_notes")).containsExactly("CN-000002 5.00", "CN-000001 30.00");
    }

    @Test
    void aUsageCorrectionLargerThanTheNextInvoiceIsCarriedAsCreditAndTheInvoiceTotalsZero() {
        Sandbox s = sandbox("carried correction", "10.00", "in_arrears");
        String c = s.customer("Corrected Co", "USD", "UTC");
        String sub = s.subscribe(Map.of("customer_id", c, "plan", "basic")).get("id").asText();
        s.advanceTo("2026-06-06T08:00:00Z");
        assertThat(s.api.post("/v1/events", Map.of("event_id", "big", "customer_id", c, "metric", "call_seconds", "timestamp", "2026-06-05T09:00:00Z",
                "properties", Map.of("duration_seconds", 3000))).text("status")).isEqualTo("accepted");
        s.advanceTo("2026-07-02T08:00:00Z");
        assertThat(s.invoices(sub).getLast()).startsWith("2026-07-01 40.00 [");
        // the call was billed in error: cancelling it credits 30.00 on the next invoice, which only owes 10.00
        assertThat(s.api.delete("/v1/events/big").status()).isEqualTo(200);
        s.advanceTo("2026-08-01T09:00:00Z");
        JsonNode august = s.api.get("/v1/invoices?subscription_id=" + sub).json().at("/data/0");
        assertThat(august.get("total").asText()).isEqualTo("0.00");
        assertThat(august.get("subtotal").asText()).isEqualTo("-20.00");
        JsonNode carried = august.get("lines").get(august.get("lines").size() - 1);
        assertThat(carried.get("kind").asText()).isEqualTo("credit");
        assertThat(carried.get("amount").asText()).isEqualTo("20.00");
        assertThat(carried.get("description").asText()).startsWith("Carried to customer credit: 20.00 USD");
        assertThat(balance(s, c)).isEqualTo("20.00");
        // a carried credit invoice is not voided (the credit is already the customer's)
        assertThat(s.api.post("/v1/invoices/" + august.get("id").asText() + "/void", Map.of()).code()).isEqualTo("invoice_credited");
        // the next invoices consume it, never more than was carried
        s.advanceTo("2026-11-01T09:00:00Z");
        List<String> totals = new ArrayList<>();
        s.invoices(sub).forEach(i -> totals.add(i.substring(0, i.indexOf(" ["))));
        assertThat(totals).containsExactly("2026-07-01 40.00", "2026-08-01 0.00", "2026-09-01 0.00", "2026-10-01 0.00", "2026-11-01 10.00");
        assertThat(balance(s, c)).isEqualTo("0.00");
    }

    @Test
    void concurrentCreditNotesNeverCreditMoreThanTheInvoiceAndTakeGaplessNumbers() throws Exception {
        Sandbox s = sandbox("concurrent credit notes", "30.00", "in_advance");
        String c = s.customer("Raced Co", "USD", "UTC");
        String sub = s.subscribe(Map.of("customer_id", c, "plan", "basic")).get("id").asText();
        String inv = onlyInvoice(s, sub).get("id").asText();
        // 12 notes of 7.00 race for an invoice of 30.00: exactly 4 fit, the rest are refused
        List<java.util.concurrent.Future<Api.Response>> answers = new ArrayList<>();
        try (var pool = java.util.concurrent.Executors.newFixedThreadPool(12)) {
            for (int i = 0; i < 12; i++) {
                answers.add(pool.submit(() -> s.api.post("/v1/invoices/" + inv + "/credit_notes", Map.of("reason", "race", "amount", "7.00"))));
            }
        }
        List<String> codes = new ArrayList<>();
        for (var a : answers) {
            codes.add(a.get().status() == 201 ? "created" : a.get().code());
        }
        assertThat(codes).filteredOn("created"::equals).hasSize(4);
        assertThat(codes).filteredOn("credit_exceeds_remaining"::equals).hasSize(8);
        assertThat(notes(s.api, "/v1/invoices/" + inv + "/credit_notes"))
                .containsExactly("CN-000004 7.00", "CN-000003 7.00", "CN-000002 7.00", "CN-000001 7.00");
        assertThat(balance(s, c)).isEqualTo("28.00");
    }

    /**
     * A credit note gives back what the customer was charged, tax included: an invoice of 100.00 + 20.00 VAT that the
     * customer paid 120.00 is credited 120.00 in all (a part of its line, then the rest), the limit counts the tax, and
     * refunding a note through the payment gives back its whole amount to the card and takes its credit back.
     */
    @Test
    void aTaxedInvoiceIsCreditedWithItsTaxAndTheRefundIsTheGrossAmount() {
        String catalog = CATALOG.replace("currencies: [USD]", "currencies: [EUR]").replace("USD:", "EUR:");
        Sandbox s = new Sandbox("gross credit notes", catalog.replace("BASE", "100.00").replace("TIMING", "in_advance"), "2026-06-01T08:00:00Z");
        assertThat(s.api.send("PUT", "/v1/tenant/tax", Map.of("seller_country", "FR", "prices", "tax_exclusive")).status()).isEqualTo(200);
        Map<String, Object> body = dev.accrue.server.support.Fixtures.customer("Taxed Co");
        body.put("billing_address", new java.util.LinkedHashMap<>(Map.of("line1", "1 rue de la Paix", "city", "Paris", "country", "FR")));
        body.put("currency", "EUR");
        body.put("time_zone", "UTC");
        body.remove("alignment");
        body.put("test_clock_id", s.clockId);
        body.put("tax_status", "taxable");
        String c = s.api.post("/v1/customers", body).text("id");
        String sub = s.subscribe(Map.of("customer_id", c, "plan", "basic")).get("id").asText();
        JsonNode invoice = onlyInvoice(s, sub);
        String inv = invoice.get("id").asText();
        assertThat(invoice.get("subtotal").asText() + " " + invoice.get("tax").asText() + " " + invoice.get("total").asText()).isEqualTo("100.00 20.00 120.00");
        var paid = s.api.post("/v1/invoices/" + inv + "/payments", Map.of("amount", "120.00", "reference", "SEPA-1"));
        assertThat(paid.status()).as(paid.toString()).isEqualTo(201);
        String payment = paid.text("id");

        int base = lineOf(invoice, "recurring");
        // the line can give back 120.00 (its 100.00 and its 20.00 of VAT); 60.00 of it now
        var tooMuch = s.api.post("/v1/invoices/" + inv + "/credit_notes", Map.of("reason", "x", "lines", List.of(Map.of("line", base, "amount", "120.01"))));
        assertThat(tooMuch.code()).isEqualTo("credit_exceeds_remaining");
        assertThat(tooMuch.text("remaining")).isEqualTo("120.00");
        var part = s.api.post("/v1/invoices/" + inv + "/credit_notes", Map.of("reason", "Outage", "lines", List.of(Map.of("line", base, "amount", "60.00"))));
        assertThat(part.status()).as(part.toString()).isEqualTo(201);
        assertThat(part.text("total")).isEqualTo("60.00");
        // the tax line is not a thing sold
        int taxLine = lineOf(invoice, "tax");
        assertThat(s.api.post("/v1/invoices/" + inv + "/credit_notes", Map.of("reason", "x", "lines", List.of(Map.of("line", taxLine)))).code())
                .isEqualTo("validation_failed");
        var over = s.api.post("/v1/invoices/" + inv + "/credit_notes", Map.of("reason", "x", "amount", "60.01"));
        assertThat(over.code()).isEqualTo("credit_exceeds_remaining");
        assertThat(over.text("remaining")).isEqualTo("60.00");
        var rest = s.api.post("/v1/invoices/" + inv + "/credit_notes", Map.of("reason", "Cancelled"));
        assertThat(rest.status()).as(rest.toString()).isEqualTo(201);
        assertThat(rest.text("total")).isEqualTo("60.00");
        assertThat(balance(s, c)).isEqualTo("120.00");
        assertThat(s.api.post("/v1/invoices/" + inv + "/credit_notes", Map.of("reason", "again")).code()).isEqualTo("credit_exceeds_remaining");

        // the last note goes back to the payment instead: its full 60.00, and its credit leaves the balance
        var refund = s.api.post("/v1/payments/" + payment + "/refunds", Map.of("credit_note_id", rest.text("id")));
        assertThat(refund.status()).as(refund.toString()).isEqualTo(201);
        assertThat(refund.text("amount")).isEqualTo("60.00");
        assertThat(balance(s, c)).isEqualTo("60.00");
        assertThat(s.api.get("/v1/credit_notes/" + rest.text("id")).text("resolution")).isEqualTo("refund");
        assertThat(s.api.get("/v1/payments/" + payment).text("refunded")).isEqualTo("60.00");
    }
}
