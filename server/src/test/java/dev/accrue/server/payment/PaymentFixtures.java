package dev.accrue.server.payment;

import com.fasterxml.jackson.databind.JsonNode;
import dev.accrue.app.event.DomainEvents;
import dev.accrue.server.support.Api;
import dev.accrue.server.support.Sandbox;
import dev.accrue.server.support.TestNode;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Test cards, tokens and reads shared by the payment scenarios; everything goes through the public API. */
final class PaymentFixtures {
    static final String VISA_OK = "4242424242424242";
    static final String INSUFFICIENT_FUNDS = "4000000000009995";
    static final String DECLINED = "4000000000000002";
    static final String EXPIRED = "4000000000000069";
    static final String FRAUD = "4100000000000019";
    static final String CHARGE_FAILS = "4000000000000341";

    private PaymentFixtures() {
    }

    static String token(Api api, String number) {
        var r = api.post("/v1/sandbox/tokens", Map.of("card", Map.of("number", number, "exp_month", 12, "exp_year", 2030, "cvc", "123")));
        if (r.status() != 201) {
            throw new AssertionError("tokenization failed: " + r);
        }
        return r.text("id");
    }

    /** Saves a card for the customer; returns the payment method. */
    static JsonNode addCard(Api api, String customerId, String number) {
        var r = api.post("/v1/customers/" + customerId + "/payment_methods", Map.of("token", token(api, number)));
        if (r.status() != 201) {
            throw new AssertionError("adding the card failed: " + r);
        }
        return r.json();
    }

    static JsonNode invoiceOf(Sandbox s, String subscriptionId) {
        return s.api.get("/v1/invoices?subscription_id=" + subscriptionId).json().at("/data/0");
    }

    static List<JsonNode> payments(Api api, String invoiceId) {
        List<JsonNode> out = new ArrayList<>();
        api.get("/v1/invoices/" + invoiceId + "/payments?limit=100").json().get("data").forEach(out::add);
        return out.reversed();
    }

    /** "status failure_code amount method" per payment of the invoice, oldest first. */
    static List<String> attempts(Api api, String invoiceId) {
        return payments(api, invoiceId).stream().map(p -> p.get("status").asText() + " " + p.get("failure_code").asText() + " "
                + p.get("amount").asText() + " " + p.get("method").asText()).toList();
    }

    /** The types of the domain events recorded about the customer's objects, oldest first. */
    static List<String> events(String tenantId, String type) {
        DomainEvents events = TestNode.get().accrue().services().events();
        return events.list(tenantId, type, null, 1000).stream().map(r -> r.event().type() + " " + r.event().objectId()).toList().reversed();
    }

    static String subscriptionStatus(Api api, String subscriptionId) {
        return api.get("/v1/subscriptions/" + subscriptionId).text("status");
    }
}
