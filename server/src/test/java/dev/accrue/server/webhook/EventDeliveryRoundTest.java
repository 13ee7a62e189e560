package dev.accrue.server.webhook;

import dev.accrue.adapters.webhook.HttpWebhookSender;
import dev.accrue.server.EventDelivery;
import dev.accrue.server.Services;
import dev.accrue.server.support.Fixtures;
import dev.accrue.server.support.NotificationSupport;
import dev.accrue.server.support.Sandbox;
import dev.accrue.server.support.TestNode;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** One round of the serving node's event delivery takes a committed change to the webhook receiver and the portal. */
class EventDeliveryRoundTest {
    @Test
    void aRoundDeliversWebhooksAndNotifications() throws Exception {
        Services services = TestNode.get().accrue().services();
        NotificationSupport.skipEarlierEvents();
        Sandbox s = new Sandbox("delivery-round", Fixtures.CATALOG_V1, "2026-03-01T10:00:00Z");
        try (Receiver receiver = new Receiver(); HttpWebhookSender http = new HttpWebhookSender(services.webhooks().settings())) {
            assertThat(s.api.post("/v1/webhook_endpoints", Map.of("url", receiver.url(), "event_types", List.of("customer.suspended"))).status())
                    .isEqualTo(201);
            String customer = s.customer("Round Trip", "USD", "UTC");
            String sub = s.subscribe(Map.of("customer_id", customer, "plan", "basic")).get("id").asText();
            s.api.post("/v1/subscriptions/" + sub + "/suspend", null);

            new EventDelivery(services, http, Clock.systemUTC()).runOnce();

            assertThat(receiver.accepted()).hasSize(1);
            assertThat(receiver.accepted().getFirst().body()).contains("\"type\":\"customer.suspended\"", sub);
            assertThat(s.api.get("/v1/customers/" + customer + "/notifications").json().get("data"))
                    .extracting(n -> n.get("event_type").asText()).contains("customer.suspended");
        }
    }
}
