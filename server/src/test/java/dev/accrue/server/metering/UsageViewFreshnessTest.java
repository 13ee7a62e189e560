package dev.accrue.server.metering;

import com.fasterxml.jackson.databind.JsonNode;
import dev.accrue.server.support.Sandbox;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The usage view prices a period from one row per allowance window and dimension (issue 18 point 4) and keeps nothing
 * between requests: every acknowledged event, an add-on bought and a plan changed show in the very next view — here on a
 * yearly plan whose minutes reset monthly, so the cost so far sums the overage of several windows read in one query.
 */
class UsageViewFreshnessTest {
    private static final String YEARLY = """
            name: yearly
            version: 1
            effective_from: 2020-01-01
            currencies: [USD]
            metrics:
              - { code: call_seconds, aggregation: sum, field: duration_seconds, unit: second, group_by: [direction] }
            products:
              - { code: voice, name: Voice }
            plans:
              - code: annual
                product: voice
                name: Annual
                tier: 1
                intervals: [{ interval: year }]
                charges:
                  - { type: recurring, code: base, name: Annual, monthly_price: { USD: "10.00" } }
                  - { type: metered, code: minutes, name: Minutes, metric: call_seconds, allowances: [{ quantity: 100, reset: month }],
                      pricing: { model: per_unit, unit_price: { USD: "0.60" }, per_units: 60 } }
              - code: annual_plus
                product: voice
                name: Annual Plus
                tier: 2
                intervals: [{ interval: year }]
                charges:
                  - { type: recurring, code: base, name: Annual Plus, monthly_price: { USD: "20.00" } }
                  - { type: metered, code: minutes, name: Minutes, metric: call_seconds, allowances: [{ quantity: 1000, reset: month }],
                      pricing: { model: per_unit, unit_price: { USD: "0.60" }, per_units: 60 } }
              - code: half_cents
                product: voice
                name: Half cents
                tier: 3
                intervals: [{ interval: month }]
                charges:
                  - { type: metered, code: minutes, name: Minutes, metric: call_seconds, pricing: { model: per_unit, unit_price: { USD: "0.005" } } }
            """;

    @Test
    void eachAcknowledgedEventAndAPlanChangeShowInTheNextView() {
        Sandbox s = new Sandbox("fresh views", YEARLY, "2026-01-01T08:00:00Z");
        String c = s.customer("Fresh Co", "USD", "UTC");
        String sub = s.subscribe(Map.of("customer_id", c, "plan", "annual", "alignment", "anniversary")).get("id").asText();
        call(s, c, "jan", 160, "inbound", "2026-01-01T08:00:00Z");
        s.advanceTo("2026-02-10T08:00:00Z");
        JsonNode before = minutes(s, sub);
        assertThat(before.get("used").asText()).isEqualTo("0");
        assertThat(before.get("cost_so_far").asText()).as("January's 60 s over its own 100").isEqualTo("0.60");

        call(s, c, "feb-1", 30, "inbound", "2026-02-10T07:00:00Z");
        JsonNode one = minutes(s, sub);
        assertThat(one.get("used").asText()).isEqualTo("30");
        assertThat(one.get("by_dimension").get("direction=inbound").asText()).isEqualTo("30");

        call(s, c, "feb-2", 100, "outbound", "2026-02-10T07:30:00Z");
        JsonNode two = minutes(s, sub);
        assertThat(two.get("used").asText()).isEqualTo("130");
        assertThat(two.get("remaining").asText()).isEqualTo("0");
        assertThat(two.get("by_dimension").get("direction=outbound").asText()).isEqualTo("100");
        assertThat(two.get("cost_so_far").asText()).as("January's 60 s and February's 30 s over").isEqualTo("0.90");

        var changed = s.api.post("/v1/subscriptions/" + sub + "/change", Map.of("plan", "annual_plus"));
        assertThat(changed.status()).as(changed.toString()).isEqualTo(200);
        JsonNode upgraded = minutes(s, sub);
        assertThat(upgraded.get("included").asText()).isEqualTo("1000");
        assertThat(upgraded.get("remaining").asText()).isEqualTo("870");
    }

    /**
     * A view's first round trip also reads the sums of the window the subscription's last view read (PostgresUsage#readAhead):
     * only a guess of what to read, kept under the exact window it read. A new month moves the window: the next view reads
     * its own, and shows the new window's usage, not the guessed one's.
     */
    @Test
    void aViewWhoseWindowMovedReadsItsOwnWindow() {
        Sandbox s = new Sandbox("moved views", YEARLY, "2026-01-01T08:00:00Z");
        String c = s.customer("Moved Co", "USD", "UTC");
        String sub = s.subscribe(Map.of("customer_id", c, "plan", "annual", "alignment", "anniversary")).get("id").asText();
        s.advanceTo("2026-01-20T08:00:00Z");
        call(s, c, "jan", 160, "inbound", "2026-01-20T07:00:00Z");
        assertThat(minutes(s, sub).get("used").asText()).isEqualTo("160");
        call(s, c, "jan-2", 5, "outbound", "2026-01-20T07:30:00Z");
        JsonNode ahead = minutes(s, sub);
        assertThat(ahead.get("used").asText()).as("January read ahead, with the event sent since").isEqualTo("165");
        assertThat(ahead.get("cost_so_far").asText()).isEqualTo("0.65");

        s.advanceTo("2026-02-03T08:00:00Z");
        call(s, c, "feb", 30, "inbound", "2026-02-03T07:00:00Z");
        JsonNode moved = minutes(s, sub);
        assertThat(moved.get("used").asText()).as("February's window, not January's read ahead").isEqualTo("30");
        assertThat(moved.get("by_dimension").toString()).isEqualTo("{\"direction=inbound\":\"30\"}");
        assertThat(moved.get("cost_so_far").asText()).as("January's 65 s over its own 100").isEqualTo("0.65");
        assertThat(minutes(s, sub).get("used").asText()).as("February read ahead").isEqualTo("30");
    }

    /**
     * A view reads its subscription, customer and tenant in one round trip and keeps them only for its own read-only
     * transaction: the tenant's rounding mode changed between two views decides the next one's last cent.
     */
    @Test
    void aChangedRoundingModeShowsInTheNextView() {
        Sandbox s = new Sandbox("fresh settings", YEARLY, "2026-03-10T08:00:00Z");
        String c = s.customer("Cents Co", "USD", "UTC");
        String sub = s.subscribe(Map.of("customer_id", c, "plan", "half_cents", "alignment", "calendar")).get("id").asText();
        call(s, c, "odd", 31, "inbound", "2026-03-10T07:00:00Z");
        assertThat(minutes(s, sub).get("cost_so_far").asText()).as("31 × 0.005 = 0.155, half up").isEqualTo("0.16");

        assertThat(s.api.patch("/v1/tenant", Map.of("rounding_mode", "down")).status()).isEqualTo(200);
        assertThat(minutes(s, sub).get("cost_so_far").asText()).as("the same usage rounded down").isEqualTo("0.15");
        assertThat(s.api.get("/v1/subscriptions/sub_missing/usage").status()).isEqualTo(404);
    }

    /**
     * A view of a period whose closed days are rolled up (UsageRollups; a test clock's days are all closed by the system
     * clock, so the whole window rolls up) answers byte for byte what the day rows alone answer, and a backdated event, a
     * correction and a cancellation of a rolled-up day each show in the very next view.
     */
    @Test
    void aRolledUpPeriodAnswersAsItsDaysAndEachLaterChangeShowsInTheNextView() {
        Sandbox s = new Sandbox("rolled views", YEARLY, "2025-01-01T08:00:00Z");
        String c = s.customer("Rolled Co", "USD", "UTC");
        String sub = s.subscribe(Map.of("customer_id", c, "plan", "annual", "alignment", "anniversary")).get("id").asText();
        s.advanceTo("2025-01-29T08:00:00Z");
        for (int day = 1; day <= 28; day += 3) {
            call(s, c, "jan-" + day, 20 + day, day % 2 == 0 ? "inbound" : "outbound", "2025-01-%02dT08:00:00Z".formatted(day));
        }
        s.advanceTo("2025-02-20T08:00:00Z");
        for (int day = 1; day <= 19; day += 2) {
            call(s, c, "feb-" + day, 10 + day, day % 3 == 0 ? "inbound" : "outbound", "2025-02-%02dT09:00:00Z".formatted(day));
        }
        String unrolled = view(s, sub);
        awaitRollups(s, sub, 2); // the view asked for January's window and February's
        String rolled = view(s, sub);
        assertThat(rolled).as("byte for byte").isEqualTo(unrolled);
        assertThat(usedIn(rolled)).isEqualTo("200");

        call(s, c, "feb-late", 7, "inbound", "2025-02-02T09:00:00Z");
        String backdated = view(s, sub);
        assertThat(usedIn(backdated)).as("an event dated in a rolled-up day").isEqualTo("207");
        assertThat(backdated).isEqualTo(withoutRollups(s, sub));

        awaitRollups(s, sub, 2);
        var corrected = s.api.patch("/v1/events/feb-3", Map.of("properties", Map.of("duration_seconds", 113, "direction", "inbound")));
        assertThat(corrected.status()).as(corrected.toString()).isEqualTo(200);
        String afterCorrection = view(s, sub);
        assertThat(usedIn(afterCorrection)).as("13 s corrected to 113").isEqualTo("307");
        assertThat(afterCorrection).isEqualTo(withoutRollups(s, sub));

        awaitRollups(s, sub, 2);
        assertThat(s.api.delete("/v1/events/feb-5").text("status")).isEqualTo("cancelled");
        String afterCancel = view(s, sub);
        assertThat(usedIn(afterCancel)).as("15 s cancelled").isEqualTo("292");
        assertThat(afterCancel).isEqualTo(withoutRollups(s, sub));
        awaitRollups(s, sub, 2);
        assertThat(s.api.delete("/v1/events/jan-28").text("status")).as("January: the cost so far's other window").isEqualTo("cancelled");
        assertThat(view(s, sub)).isEqualTo(withoutRollups(s, sub)).isNotEqualTo(afterCancel);
    }

    private static String view(Sandbox s, String sub) {
        var r = s.api.get("/v1/subscriptions/" + sub + "/usage");
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        return r.body();
    }

    private static String usedIn(String view) {
        try {
            return new com.fasterxml.jackson.databind.ObjectMapper().readTree(view).at("/charges/0/used").asText();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** Waits until the subscription has {@code n} rollups valid at its current version (built by the node in the background). */
    private static void awaitRollups(Sandbox s, String sub, int n) {
        var jdbi = dev.accrue.server.support.TestNode.get().accrue().database().jdbi();
        long until = System.nanoTime() + 20_000_000_000L;
        while (jdbi.withHandle(h -> h.createQuery("""
                        SELECT count(*) FROM usage_rollup_heads h WHERE h.tenant_id = :t AND h.subscription_id = :s
                          AND h.version = coalesce((SELECT version FROM usage_past_versions p
                                                    WHERE p.tenant_id = h.tenant_id AND p.subscription_id = h.subscription_id AND p.metric = h.metric), 0)""")
                .bind("t", s.tenant.id()).bind("s", sub).mapTo(Integer.class).one()) < n) {
            assertThat(System.nanoTime()).as("rollups built in time").isLessThan(until);
            view(s, sub); // a view asks for them (at most once a second per window)
            sleep(200);
        }
    }

    /** The view the day rows alone give: the subscription's rollups dropped (the next view asks for them again). */
    private static String withoutRollups(Sandbox s, String sub) {
        dev.accrue.server.support.TestNode.get().accrue().database().jdbi().useHandle(h -> h.createUpdate(
                "DELETE FROM usage_rollup_heads WHERE tenant_id = :t AND subscription_id = :s").bind("t", s.tenant.id()).bind("s", sub).execute());
        return view(s, sub);
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void call(Sandbox s, String customer, String id, int seconds, String direction, String at) {
        var r = s.api.post("/v1/events", Map.of("event_id", id, "customer_id", customer, "metric", "call_seconds", "timestamp", at,
                "properties", Map.of("duration_seconds", seconds, "direction", direction)));
        assertThat(r.status()).as(r.toString()).isEqualTo(202);
    }

    private static JsonNode minutes(Sandbox s, String sub) {
        return s.api.get("/v1/subscriptions/" + sub + "/usage").json().at("/charges/0");
    }
}
