package dev.accrue.server.api;

import dev.accrue.server.support.Api;
import dev.accrue.server.support.Fixtures;
import dev.accrue.server.support.TestNode;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** A key of tenant B can neither read nor change anything of tenant A, on every resource. */
class TenancyIsolationTest {
    private Api a;
    private Api b;
    private String customerOfA;
    private String keyOfA;

    @BeforeEach
    void twoTenants() {
        a = TestNode.get().newTenant("tenant A").api();
        b = TestNode.get().newTenant("tenant B").api();
        customerOfA = a.post("/v1/customers", Map.of("legal_name", "A's customer", "billing_emails", java.util.List.of("a@a.example"),
                "billing_address", Map.of("line1", "1 A St", "city", "A-town", "country", "US"), "currency", "USD", "external_id", "shared-ref")).text("id");
        keyOfA = a.post("/v1/api_keys", Map.of("name", "A's second key")).text("id");
    }

    @Test
    void customersOfAnotherTenantAreInvisibleAndUntouchable() {
        assertThat(b.get("/v1/customers/" + customerOfA).code()).isEqualTo("not_found");
        assertThat(b.patch("/v1/customers/" + customerOfA, Map.of("legal_name", "hijacked")).code()).isEqualTo("not_found");
        assertThat(b.delete("/v1/customers/" + customerOfA).code()).isEqualTo("not_found");
        assertThat(b.get("/v1/customers").json().get("data")).isEmpty();
        assertThat(b.get("/v1/customers?query=customer").json().get("data")).isEmpty();
        assertThat(b.get("/v1/customers?external_id=shared-ref").json().get("data")).isEmpty();
        assertThat(a.get("/v1/customers/" + customerOfA).text("legal_name")).isEqualTo("A's customer");
    }

    @Test
    void externalIdsAndIdempotencyKeysAreScopedToTheTenant() {
        var body = Fixtures.customer();
        body.put("external_id", "shared-ref");
        assertThat(b.post("/v1/customers", body).status()).isEqualTo(201);
        var withKey = Fixtures.customer("B's customer");
        var first = b.withHeader("Idempotency-Key", "same-key").post("/v1/customers", withKey);
        var aSame = a.withHeader("Idempotency-Key", "same-key").post("/v1/customers", Fixtures.customer("A's other"));
        assertThat(first.status()).isEqualTo(201);
        assertThat(aSame.status()).isEqualTo(201);
        assertThat(aSame.text("id")).isNotEqualTo(first.text("id"));
    }

    @Test
    void apiKeysOfAnotherTenantAreInvisibleAndCannotBeRevoked() {
        assertThat(b.get("/v1/api_keys/" + keyOfA).code()).isEqualTo("not_found");
        assertThat(b.post("/v1/api_keys/" + keyOfA + "/revoke", null).code()).isEqualTo("not_found");
        assertThat(b.get("/v1/api_keys").json().get("data")).allSatisfy(k -> assertThat(k.get("id").asText()).isNotEqualTo(keyOfA));
        assertThat(a.get("/v1/api_keys/" + keyOfA).text("revoked_at")).isNull();
    }

    @Test
    void theAuditTrailOfAnotherTenantIsInvisible() {
        assertThat(a.get("/v1/audit_events?object_id=" + customerOfA).json().get("data")).isNotEmpty();
        assertThat(b.get("/v1/audit_events?object_id=" + customerOfA).json().get("data")).isEmpty();
    }

    @Test
    void subscriptionsInvoicesCatalogsAndClocksOfAnotherTenantAreInvisibleAndUntouchable() {
        var sandbox = new dev.accrue.server.support.Sandbox("tenant C", dev.accrue.server.support.Fixtures.CATALOG_V1, "2026-03-01T00:00:00Z");
        String customer = sandbox.customer("C's customer", "USD", "UTC");
        String sub = sandbox.subscribe(java.util.Map.of("customer_id", customer, "plan", "basic")).get("id").asText();
        String invoice = sandbox.api.get("/v1/invoices?subscription_id=" + sub).json().at("/data/0/id").asText();
        assertThat(b.get("/v1/subscriptions/" + sub).code()).isEqualTo("not_found");
        assertThat(b.post("/v1/subscriptions/" + sub + "/cancel", null).code()).isEqualTo("not_found");
        assertThat(b.post("/v1/subscriptions/" + sub + "/change", java.util.Map.of("plan", "basic")).code()).isEqualTo("not_found");
        assertThat(b.post("/v1/subscriptions", java.util.Map.of("customer_id", customer, "plan", "basic")).code()).isEqualTo("not_found");
        assertThat(b.get("/v1/subscriptions?customer_id=" + customer).json().get("data")).isEmpty();
        assertThat(b.get("/v1/invoices/" + invoice).code()).isEqualTo("not_found");
        assertThat(b.get("/v1/invoices?customer_id=" + customer).json().get("data")).isEmpty();
        assertThat(b.get("/v1/test_clocks/" + sandbox.clockId).code()).isEqualTo("not_found");
        assertThat(b.post("/v1/test_clocks/" + sandbox.clockId + "/advance", java.util.Map.of("frozen_time", "2027-01-01T00:00:00Z")).code()).isEqualTo("not_found");
        assertThat(b.get("/v1/catalog/versions").json().get("data")).isEmpty();
        assertThat(sandbox.api.get("/v1/subscriptions/" + sub).text("status")).isEqualTo("active");
        assertThat(sandbox.api.get("/v1/test_clocks/" + sandbox.clockId).text("frozen_time")).isEqualTo("2026-03-01T00:00:00Z");
    }

    @Test
    void eachKeySeesItsOwnTenant() {
        assertThat(a.get("/v1/tenant").text("id")).isNotEqualTo(b.get("/v1/tenant").text("id"));
    }
}
