package dev.accrue.server.api;

import com.fasterxml.jackson.databind.JsonNode;
import dev.accrue.server.support.Api;
import dev.accrue.server.support.Fixtures;
import dev.accrue.server.support.TestNode;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class AuditTrailTest {

    @Test
    void everyChangeRecordsWhoWhatWhenAndBeforeAfter() {
        Api api = TestNode.get().newTenant("audit").api();
        var key = api.post("/v1/api_keys", Map.of("name", "auditor"));
        String keyId = key.text("id");
        String id = api.post("/v1/customers", Fixtures.customer()).text("id");
        api.patch("/v1/customers/" + id, Map.of("legal_name", "Renamed LLC"));
        api.patch("/v1/customers/" + id, Map.of("legal_name", "Renamed LLC")); // no change, no entry
        api.delete("/v1/customers/" + id);

        List<JsonNode> events = new ArrayList<>();
        api.get("/v1/audit_events?object_id=" + id).json().get("data").forEach(events::add);
        assertThat(events).extracting(e -> e.get("action").asText())
                .containsExactly("customer.deleted", "customer.updated", "customer.created");
        JsonNode update = events.get(1);
        assertThat(update.at("/before/legal_name").asText()).isEqualTo("Brightside Dental LLC");
        assertThat(update.at("/after/legal_name").asText()).isEqualTo("Renamed LLC");
        assertThat(update.get("actor").asText()).startsWith("api_key:key_");
        assertThat(update.get("occurred_at").asText()).isNotBlank();
        assertThat(events.get(2).get("before").isNull()).isTrue();
        assertThat(events.get(0).get("after").isNull()).isTrue();

        var keyEvents = api.get("/v1/audit_events?object_id=" + keyId).json().get("data");
        assertThat(keyEvents.get(0).get("action").asText()).isEqualTo("api_key.created");
        assertThat(keyEvents.toString()).doesNotContain(key.text("secret"));
    }

    @Test
    void anEmptyTimeRangeIsRefused() {
        Api api = TestNode.get().newTenant("audit-range").api();
        var response = api.get("/v1/audit_events?from=2026-06-02T00:00:00Z&to=2026-06-01T00:00:00Z");
        assertThat(response.code()).isEqualTo("validation_failed");
        assertThat(response.text("field")).isEqualTo("from");
    }
}
