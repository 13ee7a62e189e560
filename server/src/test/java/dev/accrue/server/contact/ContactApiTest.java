package dev.accrue.server.contact;

import dev.accrue.server.support.Api;
import dev.accrue.server.support.Sandbox;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Bad input to the contact API gets a stable error and changes nothing. */
class ContactApiTest {

    @Test
    void negativeCountsUnknownCustomersAndReadOnlyKeysChangeNothing() {
        Sandbox s = new Sandbox("contacts bad input", Sandbox.demoCatalog("usercom.yaml"), "2026-03-01T08:00:00Z");
        String c = s.customer("Careful Co", "EUR", "UTC");
        String countPath = "/v1/customers/" + c + "/contact_count";
        assertThat(s.api.get(countPath).json().get("count").asLong()).isZero();
        assertThat(s.api.get(countPath).json().get("as_of").isNull()).isTrue();
        assertThat(s.api.send("PUT", countPath, Map.of("count", 250)).status()).isEqualTo(200);

        var negative = s.api.send("PUT", countPath, Map.of("count", -5));
        assertThat(negative.status()).isEqualTo(400);
        assertThat(negative.code()).isEqualTo("negative_count");
        assertThat(negative.json().get("field").asText()).isEqualTo("count");
        assertThat(s.api.send("PUT", countPath, Map.of("count", 2.5)).code()).isEqualTo("validation_failed");
        assertThat(s.api.send("PUT", countPath, Map.of("count", "12")).code()).isEqualTo("wrong_type");
        assertThat(s.api.send("PUT", countPath, Map.of()).code()).isEqualTo("missing_field");
        assertThat(s.api.send("PUT", countPath, Map.of("count", 3, "extra", 1)).code()).isEqualTo("unknown_field");

        // unknown customer (or another tenant's): 404 everywhere
        String unknown = "/v1/customers/cus_01JZZZZZZZZZZZZZZZZZZZZZZZ";
        assertThat(s.api.send("PUT", unknown + "/contact_count", Map.of("count", 3)).code()).isEqualTo("not_found");
        assertThat(s.api.get(unknown + "/contact_count").code()).isEqualTo("not_found");
        assertThat(s.api.post(unknown + "/contacts/sync", Map.of("upsert", List.of(Map.of("id", "a", "email", "a@b.io")))).code())
                .isEqualTo("not_found");
        Api other = new Sandbox("contacts other tenant", Sandbox.demoCatalog("usercom.yaml"), "2026-03-01T08:00:00Z").api;
        assertThat(other.send("PUT", countPath, Map.of("count", 3)).code()).isEqualTo("not_found");

        // a read-only key may read, not write
        Api readOnly = s.tenant.readOnlyApi();
        assertThat(readOnly.get(countPath).json().get("count").asLong()).isEqualTo(250);
        assertThat(readOnly.send("PUT", countPath, Map.of("count", 9)).code()).isEqualTo("forbidden");
        assertThat(readOnly.post("/v1/customers/" + c + "/contacts/sync", Map.of("upsert", List.of(Map.of("id", "a", "email", "a@b.io"))))
                .code()).isEqualTo("forbidden");
        assertThat(readOnly.delete("/v1/customers/" + c + "/contacts/a").code()).isEqualTo("forbidden");

        // a sync with one bad record writes none of the batch
        var bad = s.api.post("/v1/customers/" + c + "/contacts/sync", Map.of("upsert", List.of(
                Map.of("id", "ok-1", "email", "ok@b.io"), Map.of("id", "ok-1", "phone", "+1555"))));
        assertThat(bad.code()).isEqualTo("duplicate_in_batch");
        assertThat(s.api.post("/v1/customers/" + c + "/contacts/sync", Map.of("upsert", List.of(Map.of("id", "x", "mail", "typo@b.io")))).code())
                .isEqualTo("unknown_field");

        List<Map<String, Object>> tooMany = new java.util.ArrayList<>();
        for (int i = 0; i < 1001; i++) {
            tooMany.add(Map.of("id", "bulk-" + i, "email", "b" + i + "@example.com"));
        }
        var big = s.api.post("/v1/customers/" + c + "/contacts/sync", Map.of("upsert", tooMany));
        assertThat(big.status()).isEqualTo(413);
        assertThat(big.code()).isEqualTo("batch_too_large");

        // a customer in a currency the contact bands are not priced in cannot subscribe
        String dollars = s.customer("Dollar Co", "USD", "UTC");
        var refused = s.api.post("/v1/subscriptions", Map.of("customer_id", dollars, "plan", "marketing_automation"));
        assertThat(refused.code()).isEqualTo("currency_mismatch");

        var after = s.api.get(countPath).json();
        assertThat(after.get("count").asLong()).isEqualTo(250);
        assertThat(after.get("source").asText()).isEqualTo("pushed");

        // then a good sync, and a single delete
        var ok = s.api.post("/v1/customers/" + c + "/contacts/sync", Map.of("upsert", List.of(
                Map.of("id", "a", "email", "a@b.io"), Map.of("id", "b", "web_push", true), Map.of("id", "anon"))));
        assertThat(ok.json().get("count").asLong()).isEqualTo(2);
        assertThat(s.api.delete("/v1/customers/" + c + "/contacts/a").json().get("count").asLong()).isEqualTo(1);
        // an upsert replaces the whole record: b without web_push no longer counts
        assertThat(s.api.post("/v1/customers/" + c + "/contacts/sync", Map.of("upsert", List.of(Map.of("id", "b")))).json().get("count").asLong())
                .isZero();
        assertThat(s.api.get("/v1/audit_events?object_id=" + c).json().get("data").get(0).get("action").asText()).isEqualTo("contacts.synced");
    }
}
