package dev.accrue.server.notification;

import dev.accrue.app.event.DomainEvents;
import dev.accrue.app.event.EventTypes;
import dev.accrue.server.support.Sandbox;
import dev.accrue.server.support.TestNode;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Billing changes made through the API record their events in the outbox, once, with the object's public data:
 * subscriptions created, changed, downgraded at the period end, cancelled; suspension and reinstatement; invoices
 * created, finalized and voided; credit notes.
 */
class BillingEventsRecordedTest {
    static final String CATALOG = """
            name: tiers
            version: 1
            effective_from: 2026-01-01
            currencies: [USD]
            products:
              - { code: crm, name: CRM }
            plans:
              - code: basic
                product: crm
                name: Basic
                tier: 1
                alignment: calendar
                intervals: [{ interval: month }]
                charges:
                  - { type: recurring, code: base, name: Basic, monthly_price: { USD: "30.00" } }
              - code: pro
                product: crm
                name: Pro
                tier: 2
                alignment: calendar
                intervals: [{ interval: month }]
                charges:
                  - { type: recurring, code: base, name: Pro, monthly_price: { USD: "50.00" } }
            """;
    private final DomainEvents events = TestNode.get().accrue().services().events();

    @Test
    void theLifeOfASubscriptionIsTold() {
        Sandbox s = new Sandbox("events", CATALOG, "2026-03-01T10:00:00Z");
        String tenant = s.tenant.id();
        String customer = s.customer("Evented Inc", "USD", "UTC");
        String sub = s.subscribe(Map.of("customer_id", customer, "plan", "basic")).get("id").asText();
        assertThat(types(tenant, sub)).containsExactly(EventTypes.SUBSCRIPTION_CREATED);
        var created = events.list(tenant, EventTypes.SUBSCRIPTION_CREATED, sub, 10).getFirst().event();
        assertThat(created.customerId()).isEqualTo(customer);
        assertThat(created.data()).containsEntry("plan", "basic").containsEntry("start_date", "2026-03-01");
        String firstInvoice = events.list(tenant, EventTypes.INVOICE_CREATED, null, 10).getFirst().event().objectId();

        assertThat(s.api.post("/v1/subscriptions/" + sub + "/change", Map.of("plan", "pro", "effective", "immediately")).status()).isEqualTo(200);
        assertThat(s.api.post("/v1/subscriptions/" + sub + "/change", Map.of("plan", "basic", "effective", "next_period")).status()).isEqualTo(200);
        assertThat(s.api.post("/v1/subscriptions/" + sub + "/suspend", null).status()).isEqualTo(200);
        assertThat(s.api.post("/v1/subscriptions/" + sub + "/reinstate", null).status()).isEqualTo(200);
        assertThat(types(tenant, customer)).containsExactly(EventTypes.CUSTOMER_SUSPENDED, EventTypes.CUSTOMER_REINSTATED);
        s.advanceTo("2026-04-01T12:00:00Z");
        assertThat(types(tenant, sub)).containsExactly(EventTypes.SUBSCRIPTION_CREATED, EventTypes.SUBSCRIPTION_CHANGED,
                EventTypes.SUBSCRIPTION_CHANGED, EventTypes.SUBSCRIPTION_DOWNGRADE_EFFECTIVE);
        var downgrade = events.list(tenant, EventTypes.SUBSCRIPTION_DOWNGRADE_EFFECTIVE, sub, 10).getFirst().event();
        assertThat(downgrade.data()).containsEntry("plan", "basic").containsEntry("previous_plan", "pro").containsEntry("effective_on", "2026-04-01");

        List<String> invoiceTypes = types(tenant, firstInvoice);
        assertThat(invoiceTypes).startsWith(EventTypes.INVOICE_CREATED).contains(EventTypes.INVOICE_FINALIZED);
        assertThat(s.api.post("/v1/invoices/" + firstInvoice + "/void", null).status()).isEqualTo(200);
        assertThat(types(tenant, firstInvoice)).endsWith(EventTypes.INVOICE_VOIDED).containsOnlyOnce(EventTypes.INVOICE_VOIDED);
        var voided = events.list(tenant, EventTypes.INVOICE_VOIDED, firstInvoice, 10).getFirst().event();
        assertThat(voided.data()).containsEntry("status", "void").containsEntry("currency", "USD").containsKey("number");

        String april = events.list(tenant, EventTypes.INVOICE_FINALIZED, null, 10).stream().map(r -> r.event().objectId())
                .filter(id -> !id.equals(firstInvoice)).findFirst().orElseThrow();
        var note = s.api.post("/v1/invoices/" + april + "/credit_notes", Map.of("reason", "Outage", "amount", "5.00"));
        assertThat(note.status()).isEqualTo(201);
        var recorded = events.list(tenant, EventTypes.CREDIT_NOTE_CREATED, note.text("id"), 10);
        assertThat(recorded).hasSize(1);
        assertThat(recorded.getFirst().event().data()).containsEntry("total", "5.00").containsEntry("invoice_id", april);

        assertThat(s.api.post("/v1/subscriptions/" + sub + "/cancel", Map.of()).status()).isEqualTo(200);
        s.advanceTo("2026-05-01T12:00:00Z");
        assertThat(types(tenant, sub)).endsWith(EventTypes.SUBSCRIPTION_CHANGED, EventTypes.SUBSCRIPTION_CANCELLED);
    }

    private List<String> types(String tenant, String objectId) {
        return events.list(tenant, null, objectId, 100).reversed().stream().map(r -> r.event().type()).toList();
    }
}
