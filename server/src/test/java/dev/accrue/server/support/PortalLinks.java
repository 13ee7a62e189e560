package dev.accrue.server.support;

import java.util.LinkedHashMap;
import java.util.Map;

/** Portal links asked for through the public API, as a tenant's backend would. */
public final class PortalLinks {
    private PortalLinks() {
    }

    public static String link(Api api, String customerId, String email, String role, String locale) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("customer_id", customerId);
        body.put("email", email);
        body.put("role", role);
        body.put("return_url", "https://app.example.com/settings");
        if (locale != null) {
            body.put("locale", locale);
        }
        var created = api.post("/v1/portal_sessions", body);
        if (created.status() != 201) {
            throw new AssertionError("portal session failed: " + created);
        }
        return created.text("url");
    }
}
