package dev.accrue.server.contact;

import com.fasterxml.jackson.databind.JsonNode;
import dev.accrue.server.support.Api;
import dev.accrue.server.support.Sandbox;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Seed 003 (User.com), time-travelled on PostgreSQL with the demo catalog: the contact count at each
 * anniversary renewal sets the band price, the price never drops below the last invoiced one, longer intervals
 * get their discount, emails allowed are 4 × contacts fixed at renewal (custom-SMTP sends not counted), and
 * each renewal issues a proforma (PRO-…) that becomes an invoice (INV-…) once paid.
 */
class ContactBillingScenarioTest {

    @Test
    void theCountAtEachRenewalSetsTheBandAndThePriceNeverDropsBelowTheLastInvoiced() {
        Sandbox s = new Sandbox("usercom growth", Sandbox.demoCatalog("usercom.yaml"), "2026-01-15T08:00:00Z");
        String c = s.customer("Growth Shop", "EUR", "Europe/Warsaw");
        // 800 qualifying contacts and 150 anonymous visitors (no email, phone, user id, chat reply or push)
        List<Map<String, Object>> contacts = new ArrayList<>();
        for (int i = 0; i < 950; i++) {
            Map<String, Object> contact = new HashMap<>();
            contact.put("id", "v" + i);
            switch (i % 5) {
                case 0 -> contact.put("email", "p" + i + "@example.com");
                case 1 -> contact.put("phone", "+4860000" + i);
                case 2 -> contact.put("user_id", "u" + i);
                case 3 -> contact.put("chat_replied", true);
                default -> contact.put("web_push", true);
            }
            if (i >= 800) {
                contact.clear();
                contact.put("id", "v" + i);
                contact.put("chat_replied", false);
            }
            contacts.add(contact);
        }
        var synced = s.api.post("/v1/customers/" + c + "/contacts/sync", Map.of("upsert", contacts));
        assertThat(synced.status()).isEqualTo(200);
        assertThat(synced.json().get("count").asLong()).isEqualTo(800);
        assertThat(synced.json().get("upserted").asInt()).isEqualTo(950);
        String sub = s.subscribe(Map.of("customer_id", c, "plan", "marketing_automation")).get("id").asText();

        s.advanceTo("2026-02-10T08:00:00Z");
        assertThat(s.api.send("PUT", "/v1/customers/" + c + "/contact_count", Map.of("count", 3200)).json().get("source").asText()).isEqualTo("pushed");
        s.advanceTo("2026-02-16T08:00:00Z");
        s.api.send("PUT", "/v1/customers/" + c + "/contact_count", Map.of("count", 12000));
        s.advanceTo("2026-03-16T08:00:00Z");
        // contacts drop: a sync deleting most of them recounts the records (the sync replaces the pushed count)
        List<String> gone = new ArrayList<>();
        for (int i = 0; i < 700; i++) {
            gone.add("v" + i);
        }
        assertThat(s.api.post("/v1/customers/" + c + "/contacts/sync", Map.of("delete", gone)).json().get("count").asLong()).isEqualTo(100);
        assertThat(s.api.get("/v1/customers/" + c + "/contact_count").json().get("source").asText()).isEqualTo("contacts");
        s.advanceTo("2026-04-16T08:00:00Z");
        s.api.send("PUT", "/v1/customers/" + c + "/contact_count", Map.of("count", 30000));
        s.advanceTo("2026-05-16T08:00:00Z");

        assertThat(documents(s.api, sub)).containsExactly(
                "2026-01-15 PRO-000001 proforma 49.00 [counted contacts 2026-01-15..2026-02-15 49.00]",
                "2026-02-15 PRO-000002 proforma 99.00 [usage emails 2026-01-15..2026-02-15 0.00, counted contacts 2026-02-15..2026-03-15 99.00]",
                "2026-03-15 PRO-000003 proforma 329.00 [usage emails 2026-02-15..2026-03-15 0.00, counted contacts 2026-03-15..2026-04-15 329.00]",
                "2026-04-15 PRO-000004 proforma 329.00 [usage emails 2026-03-15..2026-04-15 0.00, counted contacts 2026-04-15..2026-05-15 329.00]",
                "2026-05-15 PRO-000005 proforma 549.00 [usage emails 2026-04-15..2026-05-15 0.00, counted contacts 2026-05-15..2026-06-15 549.00]");
        List<String> descriptions = new ArrayList<>();
        for (JsonNode d : all(s.api, sub)) {
            descriptions.add(d.at("/lines").get(d.get("lines").size() - 1).get("description").asText());
        }
        assertThat(descriptions).containsExactly(
                "Marketing Automation — Contacts: 800 contacts, band 0–1000 at 49.00/month",
                "Marketing Automation — Contacts: 3200 contacts, band 1001–5000 at 99.00/month",
                "Marketing Automation — Contacts: 12000 contacts, band 10001–25000 at 329.00/month",
                "Marketing Automation — Contacts: 100 contacts, band 0–1000 at 49.00/month; minimum price: last invoiced 329.00/month",
                "Marketing Automation — Contacts: 30000 contacts, band 25001–50000 at 549.00/month");
    }

    @Test
    void aQuarterlyPlanCostsTheBandTimesThreeLessFivePercent() {
        Sandbox s = new Sandbox("usercom quarterly", Sandbox.demoCatalog("usercom.yaml"), "2026-01-31T08:00:00Z");
        String c = s.customer("Quarterly Ltd", "EUR", "UTC");
        s.api.send("PUT", "/v1/customers/" + c + "/contact_count", Map.of("count", 3000));
        String sub = s.subscribe(Map.of("customer_id", c, "plan", "omnichannel", "interval", "quarter")).get("id").asText();
        s.advanceTo("2026-04-20T08:00:00Z");
        s.api.send("PUT", "/v1/customers/" + c + "/contact_count", Map.of("count", 30000));
        s.advanceTo("2026-07-31T08:00:00Z");
        // 179.00 × 3 × 0.95 = 510.15 ; 899.00 × 3 × 0.95 = 2562.15 ; Jan 31 renews Apr 30, Jul 31 (anchor + n months)
        assertThat(documents(s.api, sub)).containsExactly(
                "2026-01-31 PRO-000001 proforma 510.15 [counted contacts 2026-01-31..2026-04-30 510.15]",
                "2026-04-30 PRO-000002 proforma 2562.15 [usage emails 2026-01-31..2026-04-30 0.00, counted contacts 2026-04-30..2026-07-31 2562.15]",
                "2026-07-31 PRO-000003 proforma 2562.15 [usage emails 2026-04-30..2026-07-31 0.00, counted contacts 2026-07-31..2026-10-31 2562.15]");
        assertThat(all(s.api, sub).get(1).at("/lines/1/description").asText()).isEqualTo(
                "Omnichannel (marketing, chat, CRM) — Contacts: 30000 contacts, band 25001–50000 at 899.00/month; 3 months less 5%");
    }

    @Test
    void emailsAbove4TimesTheContactsAtRenewalAreChargedAndCustomSmtpSendsAreNotCounted() {
        Sandbox s = new Sandbox("usercom emails", Sandbox.demoCatalog("usercom.yaml"), "2026-03-01T08:00:00Z");
        String c = s.customer("Mailer GmbH", "EUR", "UTC");
        s.api.send("PUT", "/v1/customers/" + c + "/contact_count", Map.of("count", 500));
        String sub = s.subscribe(Map.of("customer_id", c, "plan", "marketing_automation")).get("id").asText();
        s.advanceTo("2026-03-10T08:00:00Z");
        List<Map<String, Object>> events = new ArrayList<>();
        for (int i = 0; i < 4500; i++) { // 3500 through the platform, 1000 through the customer's own SMTP server
            events.add(Map.of("event_id", "mail-" + i, "customer_id", c, "metric", "email_sends", "timestamp", "2026-03-10T07:00:00Z",
                    "properties", Map.of("smtp", i < 3500 ? "platform" : "custom")));
        }
        var ingested = s.api.post("/v1/events/batch", Map.of("events", events)).json();
        assertThat(ingested.get("accepted").asInt()).isEqualTo(4500);
        // a send that does not say which SMTP server it went through is refused, not guessed
        var unmarked = s.api.post("/v1/events", Map.of("event_id", "mail-x", "customer_id", c, "metric", "email_sends",
                "timestamp", "2026-03-10T07:00:00Z", "properties", Map.of()));
        assertThat(unmarked.code()).isEqualTo("missing_field");
        assertThat(unmarked.json().get("field").asText()).isEqualTo("properties.smtp");

        // the allowance is fixed by the count at the renewal (500 → 2000 emails), not by later changes
        s.api.send("PUT", "/v1/customers/" + c + "/contact_count", Map.of("count", 10000));
        JsonNode usage = s.api.get("/v1/subscriptions/" + sub + "/usage").json();
        JsonNode emails = usage.get("charges").get(0);
        assertThat(emails.get("charge").asText()).isEqualTo("emails");
        assertThat(emails.get("used").asText()).isEqualTo("3500");
        assertThat(emails.get("included").asText()).isEqualTo("2000");

        s.advanceTo("2026-04-01T08:00:00Z");
        // 1500 over → 2 started packages of 1000 at 1.00; the April renewal counts 10000 contacts → 179.00
        assertThat(documents(s.api, sub)).containsExactly(
                "2026-03-01 PRO-000001 proforma 49.00 [counted contacts 2026-03-01..2026-04-01 49.00]",
                "2026-04-01 PRO-000002 proforma 181.00 [usage emails 2026-03-01..2026-04-01 2.00, counted contacts 2026-04-01..2026-05-01 179.00]");
        assertThat(all(s.api, sub).get(1).at("/lines/0/description").asText())
                .isEqualTo("Emails above 4 × contacts: 3500 email used, 2000 email included, 1500 email overage");
        // April's allowance follows April's renewal: 4 × 10000
        assertThat(s.api.get("/v1/subscriptions/" + sub + "/usage").json().at("/charges/0/included").asText()).isEqualTo("40000");
    }

    @Test
    void aProformaIsIssuedBeforeCollectionAndBecomesAPaidInvoiceWithTheNextInvoiceNumber() {
        Sandbox s = new Sandbox("usercom proforma", Sandbox.demoCatalog("usercom.yaml"), "2026-05-05T08:00:00Z");
        String c = s.customer("Proforma SA", "EUR", "UTC");
        s.api.send("PUT", "/v1/customers/" + c + "/contact_count", Map.of("count", 4000));
        String sub = s.subscribe(Map.of("customer_id", c, "plan", "marketing_automation")).get("id").asText();
        s.advanceTo("2026-07-06T08:00:00Z");
        List<JsonNode> docs = all(s.api, sub);
        assertThat(docs).extracting(d -> d.get("number").asText() + " " + d.get("status").asText() + " " + d.get("proforma_number").asText())
                .containsExactly("PRO-000001 proforma PRO-000001", "PRO-000002 proforma PRO-000002", "PRO-000003 proforma PRO-000003");
        assertThat(docs).allSatisfy(d -> assertThat(d.get("finalized_at").isNull()).isTrue());
        assertThat(s.api.get("/v1/invoices?status=proforma&customer_id=" + c).json().get("data")).hasSize(3);

        // paid out of order: numbers follow the payments, gapless, and the proforma number stays as the reference
        s.advanceTo("2026-07-08T08:00:00Z");
        JsonNode third = s.api.post("/v1/invoices/" + docs.get(2).get("id").asText() + "/mark_paid", Map.of()).json();
        assertThat(third.get("status").asText()).isEqualTo("paid");
        assertThat(third.get("number").asText()).isEqualTo("INV-000001");
        assertThat(third.get("proforma_number").asText()).isEqualTo("PRO-000003");
        assertThat(third.get("issue_date").asText()).isEqualTo("2026-07-08");
        assertThat(third.get("total").asText()).isEqualTo("99.00");
        assertThat(third.get("finalized_at").isNull()).isFalse();
        JsonNode first = s.api.post("/v1/invoices/" + docs.get(0).get("id").asText() + "/mark_paid", Map.of()).json();
        assertThat(first.get("number").asText()).isEqualTo("INV-000002");
        assertThat(first.get("proforma_number").asText()).isEqualTo("PRO-000001");

        // paying twice, or writing a proforma off, is refused and changes nothing
        assertThat(s.api.post("/v1/invoices/" + docs.get(0).get("id").asText() + "/mark_paid", Map.of()).code()).isEqualTo("invoice_not_open");
        assertThat(s.api.post("/v1/invoices/" + docs.get(1).get("id").asText() + "/mark_uncollectible", Map.of()).code()).isEqualTo("invoice_not_open");
        // a voided proforma takes no invoice number
        JsonNode voided = s.api.post("/v1/invoices/" + docs.get(1).get("id").asText() + "/void", Map.of()).json();
        assertThat(voided.get("status").asText()).isEqualTo("void");
        assertThat(voided.get("number").asText()).isEqualTo("PRO-000002");
        s.advanceTo("2026-08-05T08:00:00Z");
        JsonNode fourth = all(s.api, sub).getLast();
        assertThat(fourth.get("number").asText()).isEqualTo("PRO-000004");
        assertThat(s.api.post("/v1/invoices/" + fourth.get("id").asText() + "/mark_paid", Map.of()).json().get("number").asText())
                .isEqualTo("INV-000003");
        assertThat(documents(s.api, sub)).containsExactly(
                "2026-07-08 INV-000002 paid 99.00 [counted contacts 2026-05-05..2026-06-05 99.00]",
                "2026-06-05 PRO-000002 void 99.00 [usage emails 2026-05-05..2026-06-05 0.00, counted contacts 2026-06-05..2026-07-05 99.00]",
                "2026-07-08 INV-000001 paid 99.00 [usage emails 2026-06-05..2026-07-05 0.00, counted contacts 2026-07-05..2026-08-05 99.00]",
                "2026-08-05 INV-000003 paid 99.00 [usage emails 2026-07-05..2026-08-05 0.00, counted contacts 2026-08-05..2026-09-05 99.00]");
    }

    @Test
    void anImmediateUpgradeChargesTheBandDifferenceForTheRestOfThePeriodAndRaisesTheFloor() {
        Sandbox s = new Sandbox("usercom upgrade", Sandbox.demoCatalog("usercom.yaml"), "2026-06-01T08:00:00Z");
        String c = s.customer("Upgrader", "EUR", "UTC");
        s.api.send("PUT", "/v1/customers/" + c + "/contact_count", Map.of("count", 3200));
        String sub = s.subscribe(Map.of("customer_id", c, "plan", "marketing_automation")).get("id").asText();
        s.advanceTo("2026-06-15T08:00:00Z");
        // the preview prices the same and changes nothing
        JsonNode preview = s.api.post("/v1/subscriptions/" + sub + "/change/preview", Map.of("plan", "omnichannel")).json();
        assertThat(preview.get("total").asText()).isEqualTo("42.67");
        JsonNode change = s.api.post("/v1/subscriptions/" + sub + "/change", Map.of("plan", "omnichannel")).json();
        assertThat(change.get("total").asText()).isEqualTo("42.67");
        s.api.send("PUT", "/v1/customers/" + c + "/contact_count", Map.of("count", 100));
        s.advanceTo("2026-08-01T08:00:00Z");
        // (179.00 − 99.00) × 16/30 days (June 15 to 30, the change day counted) = 42.67 ; July on Omnichannel 179.00 ; the count drops to 100:
        // August stays at the last invoiced 179.00
        assertThat(documents(s.api, sub)).containsExactly(
                "2026-06-01 PRO-000001 proforma 99.00 [counted contacts 2026-06-01..2026-07-01 99.00]",
                "2026-06-15 PRO-000002 proforma 42.67 [proration contacts 2026-06-15..2026-07-01 42.67]",
                "2026-07-01 PRO-000003 proforma 179.00 [usage emails 2026-06-01..2026-07-01 0.00, counted contacts 2026-07-01..2026-08-01 179.00]",
                "2026-08-01 PRO-000004 proforma 179.00 [usage emails 2026-07-01..2026-08-01 0.00, counted contacts 2026-08-01..2026-09-01 179.00]");
        assertThat(all(s.api, sub).get(1).at("/lines/0/description").asText()).isEqualTo(
                "Upgrade to Omnichannel (marketing, chat, CRM) — Contacts: 3200, band 1001–5000 at 179.00/month instead of 99.00/month (16/30 days)");
    }

    @Test
    void afterACancellationTheLastMonthsEmailOverageIsAProformaToo() {
        Sandbox s = new Sandbox("usercom cancel", Sandbox.demoCatalog("usercom.yaml"), "2026-09-10T08:00:00Z");
        String c = s.customer("Leaving Ltd", "EUR", "UTC");
        s.api.send("PUT", "/v1/customers/" + c + "/contact_count", Map.of("count", 100)); // 400 emails a month
        String sub = s.subscribe(Map.of("customer_id", c, "plan", "marketing_automation")).get("id").asText();
        List<Map<String, Object>> events = new ArrayList<>();
        for (int i = 0; i < 1400; i++) {
            events.add(Map.of("event_id", "m" + i, "customer_id", c, "metric", "email_sends", "timestamp", "2026-09-10T07:00:00Z",
                    "properties", Map.of("smtp", "platform")));
        }
        assertThat(s.api.post("/v1/events/batch", Map.of("events", events)).json().get("accepted").asInt()).isEqualTo(1400);
        assertThat(s.api.post("/v1/subscriptions/" + sub + "/cancel", Map.of("reason", "moving on")).status()).isEqualTo(200);
        s.advanceTo("2026-11-10T08:00:00Z");
        // 1400 − 400 = 1000 over → one package of 1000 at 1.00, on a proforma; nothing billed after the end
        assertThat(documents(s.api, sub)).containsExactly(
                "2026-09-10 PRO-000001 proforma 49.00 [counted contacts 2026-09-10..2026-10-10 49.00]",
                "2026-10-10 PRO-000002 proforma 1.00 [usage emails 2026-09-10..2026-10-10 1.00]");
    }

    /** The subscription's documents oldest first, each as "issue_date number status total [kind charge period amount, …]". */
    static List<String> documents(Api api, String sub) {
        List<String> out = new ArrayList<>();
        for (JsonNode i : all(api, sub)) {
            List<String> lines = new ArrayList<>();
            i.get("lines").forEach(l -> lines.add(l.get("kind").asText() + " " + l.get("charge_code").asText() + " "
                    + l.get("period_start").asText() + ".." + l.get("period_end").asText() + " " + l.get("amount").asText()));
            out.add(i.get("issue_date").asText() + " " + i.get("number").asText() + " " + i.get("status").asText() + " " + i.get("total").asText()
                    + " " + lines);
        }
        return out;
    }

    static List<JsonNode> all(Api api, String sub) {
        List<JsonNode> all = new ArrayList<>();
        api.get("/v1/invoices?limit=100&subscription_id=" + sub).json().get("data").forEach(all::add);
        return all.reversed();
    }
}
