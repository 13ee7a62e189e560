package dev.accrue.server.support;

import com.fasterxml.jackson.databind.JsonNode;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** A sandbox tenant with a catalog and a test clock, driven through the public API like a real operator would. */
public final class Sandbox {
    public final Api api;
    public final String clockId;
    public final TestNode.TestTenant tenant;

    public Sandbox(String label, String catalogYaml, String startInstant) {
        this.tenant = TestNode.get().newTenant(label);
        this.api = tenant.api();
        var imported = api.postYaml("/v1/catalog/versions", catalogYaml);
        if (imported.status() != 201) {
            throw new AssertionError("catalog import failed: " + imported);
        }
        this.clockId = api.post("/v1/test_clocks", Map.of("name", label, "frozen_time", startInstant)).text("id");
    }

    public static String demoCatalog(String file) {
        try (InputStream in = Sandbox.class.getResourceAsStream("/demo/catalogs/" + file)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public String customer(String name, String currency, String zone) {
        Map<String, Object> body = Fixtures.customer(name);
        body.put("currency", currency);
        body.put("time_zone", zone);
        body.remove("alignment");
        body.put("test_clock_id", clockId);
        var created = api.post("/v1/customers", body);
        if (created.status() != 201) {
            throw new AssertionError("customer creation failed: " + created);
        }
        return created.text("id");
    }

    public JsonNode subscribe(Map<String, Object> body) {
        var created = api.post("/v1/subscriptions", body);
        if (created.status() != 201) {
            throw new AssertionError("subscription failed: " + created);
        }
        return created.json();
    }

    public void advanceTo(String instant) {
        var r = api.post("/v1/test_clocks/" + clockId + "/advance", Map.of("frozen_time", instant));
        if (r.status() != 200) {
            throw new AssertionError("advance failed: " + r);
        }
    }

    /** The subscription's invoices, oldest first, each as "issue_date number total [line amounts]". */
    public List<String> invoices(String subscriptionId) {
        List<String> out = new ArrayList<>();
        String cursor = null;
        List<JsonNode> all = new ArrayList<>();
        do {
            JsonNode page = api.get("/v1/invoices?limit=100&subscription_id=" + subscriptionId + (cursor == null ? "" : "&cursor=" + cursor)).json();
            page.get("data").forEach(all::add);
            cursor = page.get("has_more").asBoolean() ? page.get("next_cursor").asText() : null;
        } while (cursor != null);
        for (JsonNode i : all.reversed()) {
            List<String> lines = new ArrayList<>();
            i.get("lines").forEach(l -> lines.add(l.get("kind").asText() + " " + l.get("charge_code").asText() + " "
                    + l.get("period_start").asText() + ".." + l.get("period_end").asText() + " " + l.get("amount").asText()));
            out.add(i.get("issue_date").asText() + " " + i.get("total").asText() + " " + lines);
        }
        return out;
    }
}
