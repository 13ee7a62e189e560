package dev.accrue.server.creditnote;

import dev.accrue.server.support.Sandbox;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Issue 12 point 3, promotional credit: granted into the customer credit ledger, consumed by the next invoices. */
class PromotionalCreditTest {

    @Test
    void aGrantIsConsumedByTheNextInvoicesAndBadGrantsChangeNothing() {
        Sandbox s = new Sandbox("promotional credit", CreditNoteTest.CATALOG.replace("BASE", "30.00").replace("TIMING", "in_advance"),
                "2026-06-01T08:00:00Z");
        String c = s.customer("Promoted Co", "USD", "UTC");
        String path = "/v1/customers/" + c + "/credit_grants";
        var granted = s.api.withHeader("Idempotency-Key", "launch").post(path, Map.of("amount", "45.00", "currency", "USD", "description", "Launch offer"));
        assertThat(granted.status()).isEqualTo(201);
        assertThat(granted.text("balance")).isEqualTo("45.00");
        assertThat(granted.json().at("/entries/0/description").asText()).isEqualTo("Promotional credit: Launch offer");
        assertThat(s.api.withHeader("Idempotency-Key", "launch").post(path, Map.of("amount", "45.00", "currency", "USD", "description", "Launch offer"))
                .header("Idempotent-Replayed")).isEqualTo("true");

        assertThat(s.api.post(path, Map.of("amount", "5.00", "currency", "EUR", "description", "x")).code()).isEqualTo("currency_mismatch");
        assertThat(s.api.post(path, Map.of("amount", "0", "currency", "USD", "description", "x")).code()).isEqualTo("invalid_amount");
        assertThat(s.api.post(path, Map.of("amount", "-1.00", "currency", "USD", "description", "x")).code()).isEqualTo("invalid_amount");
        assertThat(s.api.post(path, Map.of("amount", "1.005", "currency", "USD", "description", "x")).code()).isEqualTo("invalid_amount");
        assertThat(s.api.post(path, Map.of("amount", "1.00", "currency", "USD")).code()).isEqualTo("missing_field");
        assertThat(s.api.post("/v1/customers/cus_nobody/credit_grants", Map.of("amount", "1.00", "currency", "USD", "description", "x")).status())
                .isEqualTo(404);
        assertThat(s.api.get("/v1/customers/" + c + "/credit").text("balance")).isEqualTo("45.00");

        String sub = s.subscribe(Map.of("customer_id", c, "plan", "basic")).get("id").asText();
        s.advanceTo("2026-07-01T09:00:00Z");
        List<String> totals = new ArrayList<>();
        s.invoices(sub).forEach(i -> totals.add(i.substring(0, i.indexOf(" ["))));
        assertThat(totals).containsExactly("2026-06-01 0.00", "2026-07-01 15.00");
        assertThat(s.api.get("/v1/customers/" + c + "/credit").text("balance")).isEqualTo("0.00");
        List<String> actions = new ArrayList<>();
        s.api.get("/v1/audit_events?object_id=" + c).json().get("data").forEach(e -> actions.add(e.get("action").asText()));
        assertThat(actions).contains("credit.granted");
    }
}
