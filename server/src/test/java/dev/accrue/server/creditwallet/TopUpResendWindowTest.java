package dev.accrue.server.creditwallet;

import com.fasterxml.jackson.databind.JsonNode;
import dev.accrue.server.support.Sandbox;
import dev.accrue.server.support.TestNode;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 13, unknown outcomes, for credit-wallet target top-ups: a pending top-up is sent again under its key only while
 * the key is younger than ACCRUE_GATEWAY_RESEND_WINDOW (23 hours by default); an older one is looked up at the gateway
 * instead, and one the gateway never got fails without a charge — never a resend under a key the gateway may have
 * forgotten (which would be a new charge). The age counts from the first send, not from the request: a top-up that
 * waited for the job was never sent. Over a test clock, against the sandbox's books.
 */
class TopUpResendWindowTest {

    private static long chargesWithKey(String key) {
        return TestNode.get().accrue().database().jdbi().withHandle(h -> h.createQuery(
                "SELECT count(*) FROM sandbox_movements WHERE kind = 'charge' AND idempotency_key = :k").bind("k", "charge:" + key).mapTo(Long.class).one());
    }

    private record Wallet(Sandbox s, String path, String firstTopUp) {
    }

    /** A wallet opened empty below its threshold: its top-up is asked (stored, pending) at once and charged by the next run. */
    private static Wallet openedEmpty(String label) {
        Sandbox s = new Sandbox(label, CreditWalletScenarioTest.CATALOG, "2026-06-01T08:00:00Z");
        String c = s.customer(label + " Co", "USD", "UTC");
        String token = s.api.post("/v1/sandbox/tokens", Map.of("card", Map.of("number", "4242424242424242", "exp_month", 12, "exp_year", 2030,
                "cvc", "123"))).text("id");
        assertThat(s.api.post("/v1/customers/" + c + "/payment_methods", Map.of("token", token)).status()).isEqualTo(201);
        String wallets = "/v1/customers/" + c + "/credit_wallets";
        String id = s.api.post(wallets, Map.of("name", "Credits", "unit", "credits", "rate", "0.03", "top_up", Map.of("threshold", "100",
                "target", "1000"))).text("id");
        JsonNode pending = s.api.get(wallets + "/" + id).json().at("/top_ups/0");
        assertThat(pending.get("status").asText()).isEqualTo("pending");
        return new Wallet(s, wallets + "/" + id, pending.get("id").asText());
    }

    private static JsonNode topUp(JsonNode wallet, String id) {
        for (JsonNode t : wallet.get("top_ups")) {
            if (t.get("id").asText().equals(id)) {
                return t;
            }
        }
        throw new AssertionError("no top-up " + id + " in " + wallet);
    }

    /** What a node that died right after stamping the send, before the gateway call, leaves behind. */
    private static void sentAndDiedAt(String topUp, String at) {
        TestNode.get().accrue().database().jdbi().useHandle(h -> h.createUpdate(
                "UPDATE credit_wallet_top_ups SET sent_at = CAST(:at AS timestamptz) WHERE id = :id").bind("at", at).bind("id", topUp).execute());
    }

    @Test
    void aSentTopUpWhoseKeyIsTooOldIsLookedUpFailsWithoutAChargeAndIsAskedAgainUnderANewKey() {
        Wallet w = openedEmpty("top-up old key");
        // the node stamped the send and died before calling the gateway; a day passes before a run looks at it
        sentAndDiedAt(w.firstTopUp(), "2026-06-01T08:00:00Z");
        w.s().advanceTo("2026-06-02T08:30:00Z");

        JsonNode first = topUp(w.s().api.get(w.path()).json(), w.firstTopUp());
        assertThat(first.get("status").asText()).isEqualTo("failed");
        assertThat(first.get("failure_code").asText()).isEqualTo("outcome_unknown");
        assertThat(chargesWithKey(w.firstTopUp())).as("a resend under a key the gateway may have forgotten could charge twice: none").isZero();
        assertThat(w.s().api.get("/v1/audit_events?object_id=" + w.path().substring(w.path().lastIndexOf('/') + 1)).body())
                .contains("credit_wallet.top_up_failed");

        // the wallet is still below its threshold: a new top-up, a new key, charged once while its key is young
        w.s().advanceTo("2026-06-02T09:00:00Z");
        JsonNode wallet = w.s().api.get(w.path()).json();
        assertThat(wallet.get("top_ups")).hasSize(2);
        JsonNode second = wallet.at("/top_ups/0"); // newest first
        assertThat(second.get("id").asText()).isNotEqualTo(w.firstTopUp());
        assertThat(second.get("status").asText()).isEqualTo("succeeded");
        assertThat(chargesWithKey(second.get("id").asText())).isEqualTo(1);
        assertThat(chargesWithKey(w.firstTopUp())).isZero();
        assertThat(wallet.at("/balance/paid_credits").asText()).isEqualTo("1000");
    }

    @Test
    void aSentTopUpWhoseKeyIsYoungIsSentAgainUnderItsKeyAndChargedOnce() {
        Wallet w = openedEmpty("top-up young key");
        sentAndDiedAt(w.firstTopUp(), "2026-06-01T08:00:00Z");
        w.s().advanceTo("2026-06-01T20:00:00Z");
        JsonNode wallet = w.s().api.get(w.path()).json();
        assertThat(wallet.get("top_ups")).hasSize(1);
        assertThat(wallet.at("/top_ups/0/status").asText()).isEqualTo("succeeded");
        assertThat(chargesWithKey(w.firstTopUp())).isEqualTo(1);
    }

    @Test
    void aTopUpThatWaitedForTheJobIsNotOldWhateverItsRequestTime() {
        Wallet w = openedEmpty("top-up waited");
        // requested two days ago by the customer's clock, never handed to the gateway: its key was never used, so sent
        w.s().advanceTo("2026-06-03T08:00:00Z");
        JsonNode wallet = w.s().api.get(w.path()).json();
        assertThat(wallet.get("top_ups")).hasSize(1);
        assertThat(wallet.at("/top_ups/0/status").asText()).isEqualTo("succeeded");
        assertThat(chargesWithKey(w.firstTopUp())).isEqualTo(1);
    }
}
