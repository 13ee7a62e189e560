package dev.accrue.server.billing;

import dev.accrue.server.support.Sandbox;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 16 point 12 (drafts): a draft kept by the tenant's grace hours is finalized on request with the next gapless number;
 * what is not a draft any more is refused before a number is taken, however requests and the finalization job race.
 */
class DraftFinalizeTest {

    @Test
    void aDraftFinalizedOnRequestTakesTheNextNumberAndNothingElseUsesOne() throws Exception {
        Sandbox s = new Sandbox("finalize drafts", SubscriptionLifecycleTest.TIERS, "2026-01-01T10:00:00Z");
        assertThat(s.api.patch("/v1/tenant", Map.of("invoice_grace_hours", 24)).status()).isEqualTo(200);
        String a = draftOf(s, s.customer("Waiting Co", "USD", "UTC"));
        String b = draftOf(s, s.customer("Hurry Co", "USD", "UTC"));

        var finalized = s.api.post("/v1/invoices/" + b + "/finalize", null);
        assertThat(finalized.status()).isEqualTo(200);
        assertThat(finalized.text("status")).isEqualTo("finalized");
        assertThat(finalized.text("number")).isEqualTo("INV-000001");
        assertThat(finalized.text("total")).isEqualTo("10.00");
        // again: refused, no number used
        var again = s.api.post("/v1/invoices/" + b + "/finalize", null);
        assertThat(again.status()).isEqualTo(409);
        assertThat(again.text("code")).isEqualTo("invoice_not_draft");
        assertThat(s.api.post("/v1/invoices/inv_unknown/finalize", null).status()).isEqualTo(404);
        assertThat(s.api.get("/v1/invoices/" + a).text("status")).isEqualTo("draft");

        // the job finalizes the other draft when its grace is over, with the very next number
        s.advanceTo("2026-01-02T10:00:00Z");
        assertThat(s.api.get("/v1/invoices/" + a).text("number")).isEqualTo("INV-000002");
        assertThat(s.api.post("/v1/invoices/" + a + "/finalize", null).text("code")).isEqualTo("invoice_not_draft");

        // four requests race for one draft: one finalizes it, the others are refused, and no number is lost
        String c = draftOf(s, s.customer("Racing Co", "USD", "UTC"));
        ExecutorService pool = Executors.newFixedThreadPool(4);
        List<Future<Integer>> answers = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            answers.add(pool.submit(() -> s.api.post("/v1/invoices/" + c + "/finalize", null).status()));
        }
        List<Integer> statuses = new ArrayList<>();
        for (Future<Integer> f : answers) {
            statuses.add(f.get());
        }
        pool.shutdown();
        assertThat(statuses).containsExactlyInAnyOrder(200, 409, 409, 409);
        assertThat(s.api.get("/v1/invoices/" + c).text("number")).isEqualTo("INV-000003");
        String d = draftOf(s, s.customer("Next Co", "USD", "UTC"));
        assertThat(s.api.post("/v1/invoices/" + d + "/finalize", null).text("number")).isEqualTo("INV-000004");
    }

    private static String draftOf(Sandbox s, String customer) {
        String sub = s.subscribe(Map.of("customer_id", customer, "plan", "basic", "alignment", "calendar")).get("id").asText();
        var draft = s.api.get("/v1/invoices?subscription_id=" + sub).json().at("/data/0");
        assertThat(draft.get("status").asText()).isEqualTo("draft");
        return draft.get("id").asText();
    }
}
