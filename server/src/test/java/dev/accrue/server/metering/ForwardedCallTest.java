package dev.accrue.server.metering;

import com.fasterxml.jackson.databind.JsonNode;
import dev.accrue.server.support.Sandbox;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Call forwarding on the CALLR catalog: a call to a tracked US number forwarded to a French mobile is two legs,
 * the inbound one rated at the tracked number's country and the outbound one at the destination's — read from
 * the forwarded-to number — and the legs' ids never meet the ids the customer sends.
 */
class ForwardedCallTest {
    private Sandbox s;
    private String customer;
    private String sub;

    @BeforeEach
    void subscribed() {
        s = new Sandbox("forwarding", Sandbox.demoCatalog("callr.yaml"), "2026-06-01T08:00:00Z");
        customer = s.customer("Tracker", "EUR", "UTC");
        sub = s.subscribe(Map.of("customer_id", customer, "plan", "payg")).get("id").asText();
        s.advanceTo("2026-06-20T12:00:00Z");
    }

    private Map<String, Object> call(String id, int seconds, String direction, String country, String forwardedTo) {
        Map<String, Object> props = new LinkedHashMap<>(Map.of("duration_seconds", seconds, "direction", direction, "country", country));
        if (forwardedTo != null) {
            props.put("forwarded_to", forwardedTo);
        }
        return Map.of("event_id", id, "customer_id", customer, "metric", "call_seconds", "timestamp", "2026-06-20T11:00:00Z", "properties", props);
    }

    private JsonNode byDimension() {
        return s.api.get("/v1/subscriptions/" + sub + "/usage").json().at("/charges/0/by_dimension");
    }

    /** The calls lines of the invoice that closes June, as "description amount". */
    private List<String> juneCallLines() {
        s.advanceTo("2026-07-01T12:00:00Z");
        List<String> lines = new ArrayList<>();
        s.api.get("/v1/invoices?subscription_id=" + sub).json().at("/data/0/lines").forEach(l -> {
            if (l.get("charge_code").asText().equals("calls")) {
                lines.add(l.get("description").asText() + " " + l.get("amount").asText());
            }
        });
        return lines;
    }

    @Test
    void theOutboundLegOfAForwardedCallIsRatedAtTheDestinationsCountry() {
        // 100 minutes to a tracked US number, forwarded to a French mobile
        var sent = s.api.post("/v1/events", call("call-1", 6000, "inbound", "US", "+33 6 12 34 56 78"));
        assertThat(sent.text("status")).as(sent.toString()).isEqualTo("accepted");
        assertThat(s.api.post("/v1/events", call("call-1", 6000, "inbound", "US", "+33 6 12 34 56 78")).text("status")).isEqualTo("duplicate");
        assertThat(byDimension().get("country=US|direction=inbound").asText()).isEqualTo("6000");
        assertThat(byDimension().get("country=FR|direction=outbound").asText()).isEqualTo("6000");
        assertThat(byDimension().has("country=US|direction=outbound")).isFalse();
        // inbound US 0.0085/min, outbound FR 0.0180/min (not the US outbound rate, 0.0150)
        assertThat(juneCallLines()).containsExactlyInAnyOrder(
                "Voice calls (country=US, direction=inbound): 6000 second 0.85",
                "Voice calls (country=FR, direction=outbound): 6000 second 1.80");
    }

    @Test
    void aForwardToANumberOfNoKnownCountryIsRefusedAndChangesNothing() {
        var single = s.api.post("/v1/events", call("call-2", 60, "inbound", "US", "+999 123"));
        assertThat(single.status()).isEqualTo(400);
        assertThat(single.code()).isEqualTo("invalid_phone_number");
        assertThat(single.text("field")).isEqualTo("properties.forwarded_to");
        var batch = s.api.post("/v1/events/batch", Map.of("events", List.of(call("call-3", 60, "inbound", "US", "12"),
                call("call-4", 60, "inbound", "US", "+12025550123")))).json();
        assertThat(batch.at("/results/0/code").asText()).isEqualTo("invalid_phone_number");
        assertThat(batch.at("/results/0/field").asText()).isEqualTo("properties.forwarded_to");
        assertThat(batch.at("/results/1/status").asText()).isEqualTo("accepted");
        // a national number is read as dialled from the tracked number's country
        assertThat(s.api.post("/v1/events", call("call-5", 60, "inbound", "DE", "030 1234567")).text("status")).isEqualTo("accepted");
        assertThat(byDimension().get("country=DE|direction=outbound").asText()).isEqualTo("60");
        assertThat(byDimension().get("country=US|direction=outbound").asText()).isEqualTo("60");
        assertThat(byDimension().has("country=US|direction=inbound")).isTrue();
    }

    @Test
    void theCustomersOwnIdsNeverCollideWithALegOfAForwardedCall() {
        // a forwarded call x, then events the customer named x:in and x:out: three calls, all billed
        assertThat(s.api.post("/v1/events", call("x", 60, "inbound", "US", "+33612345678")).text("status")).isEqualTo("accepted");
        assertThat(s.api.post("/v1/events", call("x:in", 100, "inbound", "US", null)).text("status")).isEqualTo("accepted");
        assertThat(s.api.post("/v1/events", call("x:out", 1000, "outbound", "FR", null)).text("status")).isEqualTo("accepted");
        // and the reverse: the customer's y:in first, then the forwarded call y
        assertThat(s.api.post("/v1/events", call("y:in", 10_000, "inbound", "US", null)).text("status")).isEqualTo("accepted");
        assertThat(s.api.post("/v1/events", call("y", 60, "inbound", "US", "+33612345678")).text("status")).isEqualTo("accepted");
        assertThat(byDimension().get("country=US|direction=inbound").asText()).isEqualTo("10220");
        assertThat(byDimension().get("country=FR|direction=outbound").asText()).isEqualTo("1120");
        // an id used once is used up: a plain event reusing a forwarded call's id, or a forwarded call reusing a plain
        // event's id, is a duplicate and adds no leg
        assertThat(s.api.post("/v1/events", call("x", 500, "inbound", "US", null)).text("status")).isEqualTo("duplicate");
        assertThat(s.api.post("/v1/events", call("x:in", 500, "inbound", "US", "+33612345678")).text("status")).isEqualTo("duplicate");
        var batch = s.api.post("/v1/events/batch", Map.of("events", List.of(call("y:in", 500, "inbound", "US", "+33612345678")))).json();
        assertThat(batch.at("/duplicates").asInt()).isEqualTo(1);
        assertThat(byDimension().get("country=US|direction=inbound").asText()).isEqualTo("10220");
        assertThat(byDimension().get("country=FR|direction=outbound").asText()).isEqualTo("1120");
        // a leg is not an event of the customer's: it cannot be sent, nor changed on its own
        assertThat(s.api.post("/v1/events", call("x#out", 60, "outbound", "FR", null)).code()).isEqualTo("invalid_event_id");
        assertThat(s.api.delete("/v1/events/x%23out").code()).isEqualTo("not_found");
    }

    @Test
    void anAuthorizedCallCommittedWithAForwardIsAForwardedCallUnderTheAuthorizationsId() {
        String id = s.api.post("/v1/authorizations", Map.of("customer_id", customer, "metric", "call_seconds", "requested", 600))
                .json().get("authorization_id").asText();
        var commit = s.api.post("/v1/authorizations/" + id + "/commit", Map.of("quantity", 120,
                "properties", Map.of("direction", "inbound", "country", "US", "forwarded_to", "+4930123456")));
        assertThat(commit.text("event_status")).as(commit.toString()).isEqualTo("accepted");
        assertThat(byDimension().get("country=US|direction=inbound").asText()).isEqualTo("120");
        assertThat(byDimension().get("country=DE|direction=outbound").asText()).isEqualTo("120");
        // the call is the authorization's event: cancelling it cancels both legs
        assertThat(s.api.delete("/v1/events/" + id).text("status")).isEqualTo("cancelled");
        assertThat(byDimension().has("country=DE|direction=outbound")).isFalse();
    }

    @Test
    void cancellingOrCorrectingAForwardedCallChangesBothLegs() {
        s.api.post("/v1/events", call("c", 600, "inbound", "US", "+33612345678"));
        s.api.post("/v1/events", call("d", 300, "inbound", "US", "+33612345678"));
        var corrected = s.api.patch("/v1/events/c", Map.of("properties",
                Map.of("duration_seconds", 120, "direction", "inbound", "country", "US", "forwarded_to", "+4930123456")));
        assertThat(corrected.status()).as(corrected.toString()).isEqualTo(200);
        assertThat(byDimension().get("country=US|direction=inbound").asText()).isEqualTo("420");
        assertThat(byDimension().get("country=FR|direction=outbound").asText()).isEqualTo("300");
        assertThat(byDimension().get("country=DE|direction=outbound").asText()).isEqualTo("120");
        assertThat(s.api.delete("/v1/events/d").text("status")).isEqualTo("cancelled");
        assertThat(byDimension().has("country=FR|direction=outbound")).isFalse();
        // a correction that drops the forward leaves the inbound leg only; one cannot add a forward afterwards
        s.api.patch("/v1/events/c", Map.of("properties", Map.of("duration_seconds", 120, "direction", "inbound", "country", "US")));
        assertThat(byDimension().has("country=DE|direction=outbound")).isFalse();
        assertThat(byDimension().get("country=US|direction=inbound").asText()).isEqualTo("120");
        var refused = s.api.patch("/v1/events/c", Map.of("properties",
                Map.of("duration_seconds", 120, "direction", "inbound", "country", "US", "forwarded_to", "+4930123456")));
        assertThat(refused.code()).isEqualTo("validation_failed");
        assertThat(refused.text("field")).isEqualTo("properties.forwarded_to");
        assertThat(s.api.patch("/v1/events/c", Map.of("properties",
                Map.of("duration_seconds", 1, "direction", "inbound", "forwarded_to", "+999"))).code()).isEqualTo("invalid_phone_number");
    }
}
