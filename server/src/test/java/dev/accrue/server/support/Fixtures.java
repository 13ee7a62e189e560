package dev.accrue.server.support;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Request bodies that tests start from and then break one field at a time. */
public final class Fixtures {
    private Fixtures() {
    }

    /** A small valid catalog: one product, one calendar-billed monthly plan at 30.00 USD. */
    public static final String CATALOG_V1 = """
            name: acme
            version: 1
            effective_from: 2026-01-01
            currencies: [USD]
            products:
              - { code: crm, name: CRM }
            plans:
              - code: basic
                product: crm
                name: Basic
                tier: 1
                alignment: calendar
                intervals: [{ interval: month }]
                charges:
                  - { type: recurring, code: base, name: Basic, monthly_price: { USD: "30.00" } }
            """;

    public static Map<String, Object> customer() {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("legal_name", "Brightside Dental LLC");
        body.put("billing_emails", List.of("accounts@brightside.example"));
        body.put("billing_address", new LinkedHashMap<>(Map.of("line1", "410 Market Street", "city", "Philadelphia",
                "region", "PA", "postal_code", "19106", "country", "US")));
        body.put("currency", "USD");
        body.put("time_zone", "America/New_York");
        body.put("alignment", "calendar");
        body.put("payment_terms", new LinkedHashMap<>(Map.of("collection_method", "auto_pay", "net_days", 0)));
        body.put("account_type", "postpaid");
        return body;
    }

    public static Map<String, Object> customer(String name) {
        Map<String, Object> body = customer();
        body.put("legal_name", name);
        return body;
    }
}
