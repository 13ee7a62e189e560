package dev.accrue.server.webhook;

import com.fasterxml.jackson.databind.JsonNode;
import com.standardwebhooks.Webhook;
import dev.accrue.adapters.json.Json;
import dev.accrue.adapters.webhook.HttpWebhookSender;
import dev.accrue.app.event.DomainEvent;
import dev.accrue.app.event.EventTypes;
import dev.accrue.app.id.Ids;
import dev.accrue.app.webhook.WebhookDispatcher;
import dev.accrue.app.webhook.WebhookSender;
import dev.accrue.app.webhook.Webhooks;
import dev.accrue.server.Services;
import dev.accrue.server.support.Api;
import dev.accrue.server.support.Fixtures;
import dev.accrue.server.support.Sandbox;
import dev.accrue.server.support.NotificationSupport;
import dev.accrue.server.support.TestNode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Webhook delivery end to end: events recorded in the outbox, fanned out, posted by the dispatcher over real HTTP to
 * a real receiver on this machine, signatures checked by an HMAC written here (javax.crypto) and by the Standard
 * Webhooks reference library; a receiver down for a while, a dispatcher dying between send and record, a rotated
 * secret, an endpoint that never recovers.
 */
class WebhookDeliveryTest {
    private final Services services = TestNode.get().accrue().services();
    private final Webhooks webhooks = services.webhooks();
    private final Receiver receiver = new Receiver();
    private final HttpWebhookSender http = new HttpWebhookSender(webhooks.settings());

    @AfterEach
    void stop() throws Exception {
        receiver.close();
        http.close();
    }

    @Test
    void aRealSubscriptionEventArrivesSignedAsStandardWebhooksSpecifies() throws Exception {
        Sandbox s = new Sandbox("webhook-signature", Fixtures.CATALOG_V1, "2026-03-01T10:00:00Z");
        JsonNode endpoint = create(s.api, List.of(EventTypes.SUBSCRIPTION_CREATED, EventTypes.INVOICE_FINALIZED));
        String secret = endpoint.get("secret").asText();
        assertThat(secret).startsWith("whsec_");
        assertThat(Base64.getDecoder().decode(secret.substring(6))).hasSizeBetween(24, 64);
        String customer = s.customer("Signed Co", "USD", "UTC");
        String sub = s.subscribe(Map.of("customer_id", customer, "plan", "basic")).get("id").asText();

        deliverAll(webhooks.dispatcher(http, Clock.systemUTC()));

        Receiver.Received created = receiver.accepted().stream().filter(r -> type(r).equals(EventTypes.SUBSCRIPTION_CREATED)).findFirst().orElseThrow();
        JsonNode body = Json.MAPPER.readTree(created.body());
        assertThat(body.get("data").get("id").asText()).isEqualTo(sub);
        assertThat(body.get("data").get("object").asText()).isEqualTo("subscription");
        assertThat(body.get("data").get("customer_id").asText()).isEqualTo(customer);
        assertThat(body.get("data").get("plan").asText()).isEqualTo("basic");
        assertThat(Instant.parse(body.get("timestamp").asText())).isBefore(Instant.now().plusSeconds(1));
        assertThat(created.header("content-type")).startsWith("application/json");
        // an independent HMAC-SHA256 over "{webhook-id}.{webhook-timestamp}.{body}" with the secret's base64 part as key
        assertThat(created.header("webhook-signature")).isEqualTo(hmac(secret, created));
        // and the Standard Webhooks reference library (com.standardwebhooks:standardwebhooks), which also checks the timestamp
        new Webhook(secret).verify(created.body(), headers(created));
        assertThatThrownBy(() -> new Webhook(secret).verify(created.body().replace(sub, "sub_forged"), headers(created)))
                .hasMessageContaining("No matching signature");
        assertThat(receiver.accepted()).extracting(this::type).contains(EventTypes.INVOICE_FINALIZED);
        assertThat(receiver.accepted()).extracting(r -> r.header("webhook-id")).doesNotHaveDuplicates();
    }

    @Test
    void aReceiverDownForHoursGetsEveryEventOnceInOrderPerObjectAndOneFailingObjectHoldsBackOnlyItself() throws Exception {
        var s = TestNode.get().newTenant("webhook-order");
        create(s.api(), List.of(EventTypes.INVOICE_FINALIZED));
        ManualClock clock = new ManualClock(Instant.now().plusSeconds(2));
        WebhookDispatcher dispatcher = webhooks.dispatcher(http, clock);
        receiver.failWhen(body -> true);
        List<String> order = List.of("inv_a", "inv_b", "inv_a", "inv_c", "inv_a", "inv_b");
        List<String> sent = new ArrayList<>();
        for (int i = 0; i < order.size(); i++) {
            sent.add(record(s.id(), order.get(i), i));
        }
        webhooks.fanout().run(1000);
        // down for about 2.5 hours: the first event of each object is tried at 0 s, 5 s, 5 min, 35 min, 2 h 35 min;
        // the later events of the same object are not sent while the first is failing
        for (Duration wait : List.of(Duration.ZERO, Duration.ofSeconds(5), Duration.ofMinutes(5), Duration.ofMinutes(30), Duration.ofHours(2))) {
            clock.advance(wait);
            dispatcher.dispatch(100);
        }
        assertThat(receiver.received()).hasSize(5 * 3).allSatisfy(r -> assertThat(r.status()).isEqualTo(503));
        assertThat(receiver.received()).extracting(r -> seq(r)).containsOnly(0, 1, 3);
        // inv_b recovers first: only it is delivered, inv_a keeps failing and keeps holding back only its own events
        receiver.failWhen(body -> body.contains("inv_a"));
        clock.advance(Duration.ofHours(5));
        drain(dispatcher);
        assertThat(receiver.accepted()).extracting(this::seq).containsExactlyInAnyOrder(1, 3, 5);
        receiver.failWhen(body -> false);
        clock.advance(Duration.ofHours(10));
        drain(dispatcher);

        List<Receiver.Received> ok = receiver.accepted();
        assertThat(ok).extracting(r -> r.header("webhook-id")).containsExactlyInAnyOrderElementsOf(sent).doesNotHaveDuplicates();
        for (String object : List.of("inv_a", "inv_b", "inv_c")) {
            List<Integer> expected = new ArrayList<>();
            for (int i = 0; i < order.size(); i++) {
                if (order.get(i).equals(object)) {
                    expected.add(i);
                }
            }
            assertThat(ok.stream().filter(r -> r.body().contains(object)).map(this::seq).toList()).as(object).isEqualTo(expected);
        }
        // the log of inv_a's first event: six failures, then the success
        JsonNode deliveries = s.api().get("/v1/webhook_endpoints/" + endpointId(s.api()) + "/deliveries?limit=100").json().get("data");
        String firstOfA = null;
        for (JsonNode d : deliveries) {
            if (d.get("event_id").asText().equals(sent.getFirst())) {
                firstOfA = d.get("id").asText();
            }
        }
        JsonNode log = s.api().get("/v1/webhook_deliveries/" + firstOfA).json();
        assertThat(log.get("status").asText()).isEqualTo("delivered");
        assertThat(log.get("attempt_log")).hasSize(7);
        assertThat(log.get("attempt_log").get(0).get("status_code").asInt()).isEqualTo(503);
        assertThat(log.get("attempt_log").get(6).get("outcome").asText()).isEqualTo("succeeded");
    }

    @Test
    void aDispatcherDyingBetweenSendAndRecordDeliversAgainWithTheSameWebhookId() throws Exception {
        var s = TestNode.get().newTenant("webhook-crash");
        create(s.api(), List.of(EventTypes.INVOICE_FINALIZED));
        ManualClock clock = new ManualClock(Instant.now().plusSeconds(2));
        String eventId = record(s.id(), "inv_crash", 0);
        webhooks.fanout().run(1000);
        WebhookSender dies = (target, headers, body) -> {
            http.post(target, headers, body);
            throw new ProcessDied();
        };
        assertThatThrownBy(() -> webhooks.dispatcher(dies, clock).dispatch(100)).isInstanceOf(ProcessDied.class);
        assertThat(receiver.received()).hasSize(1);

        WebhookDispatcher restarted = webhooks.dispatcher(http, clock);
        assertThat(restarted.dispatch(100)).as("still leased by the dead dispatcher").isZero();
        clock.advance(Duration.ofMinutes(3));
        assertThat(restarted.dispatch(100)).isEqualTo(1);
        assertThat(receiver.received()).extracting(r -> r.header("webhook-id")).containsExactly(eventId, eventId);
        assertThat(restarted.dispatch(100)).isZero();
        JsonNode delivery = s.api().get("/v1/webhook_endpoints/" + endpointId(s.api()) + "/deliveries").json().get("data").get(0);
        assertThat(delivery.get("status").asText()).isEqualTo("delivered");
    }

    @Test
    void duringARotationOverlapBothSecretsSignAndAfterItOnlyTheNewOne() throws Exception {
        var s = TestNode.get().newTenant("webhook-rotation");
        JsonNode endpoint = create(s.api(), List.of(EventTypes.INVOICE_FINALIZED));
        String old = endpoint.get("secret").asText();
        var rotated = s.api().post("/v1/webhook_endpoints/" + endpoint.get("id").asText() + "/rotate_secret", Map.of("overlap_hours", 1));
        assertThat(rotated.status()).isEqualTo(200);
        String fresh = rotated.text("secret");
        assertThat(fresh).startsWith("whsec_").isNotEqualTo(old);
        assertThat(s.api().get("/v1/webhook_endpoints/" + endpoint.get("id").asText()).json().get("secret").isNull()).isTrue();

        ManualClock clock = new ManualClock(Instant.now().plusSeconds(2));
        WebhookDispatcher dispatcher = webhooks.dispatcher(http, clock);
        record(s.id(), "inv_rot1", 0);
        webhooks.fanout().run(1000);
        drain(dispatcher);
        Receiver.Received during = receiver.accepted().getLast();
        String[] signatures = during.header("webhook-signature").split(" ");
        assertThat(signatures).containsExactly(hmac(fresh, during), hmac(old, during));
        new Webhook(old).verify(during.body(), headers(during));
        new Webhook(fresh).verify(during.body(), headers(during));

        clock.advance(Duration.ofMinutes(61));
        record(s.id(), "inv_rot2", 1);
        webhooks.fanout().run(1000);
        drain(dispatcher);
        Receiver.Received after = receiver.accepted().getLast();
        assertThat(after.header("webhook-signature")).isEqualTo(hmac(fresh, after));
    }

    @Test
    void anEndpointFailingForLongIsDisabledWithAnEventAndATenantNotification() throws Exception {
        var s = TestNode.get().newTenant("webhook-disable");
        JsonNode endpoint = create(s.api(), List.of(EventTypes.INVOICE_FINALIZED));
        String id = endpoint.get("id").asText();
        receiver.failWhen(body -> true);
        ManualClock clock = new ManualClock(Instant.now().plusSeconds(2));
        // this node's rule, shortened: disabled after failing for 1 hour and at least 3 attempts in a row
        WebhookDispatcher dispatcher = new WebhookDispatcher(webhooks.tx(), webhooks.repository(), webhooks.urls(), http, webhooks.events(),
                webhooks.audit(), webhooks.settings().disablingAfter(Duration.ofHours(1), 3), clock);
        record(s.id(), "inv_dead", 0);
        webhooks.fanout().run(1000);
        for (Duration wait : List.of(Duration.ZERO, Duration.ofSeconds(5), Duration.ofMinutes(5), Duration.ofMinutes(30))) {
            clock.advance(wait);
            dispatcher.dispatch(100);
        }
        JsonNode failing = s.api().get("/v1/webhook_endpoints/" + id).json();
        assertThat(failing.get("enabled").asBoolean()).as("four failures but only 35 minutes").isTrue();
        assertThat(failing.get("consecutive_failures").asInt()).isEqualTo(4);
        clock.advance(Duration.ofHours(2));
        dispatcher.dispatch(100);
        JsonNode disabled = s.api().get("/v1/webhook_endpoints/" + id).json();
        assertThat(disabled.get("enabled").asBoolean()).isFalse();
        assertThat(disabled.get("disabled_reason").asText()).contains("5 attempts");
        assertThat(services.events().list(s.id(), EventTypes.WEBHOOK_ENDPOINT_DISABLED, id, 10)).hasSize(1);

        int before = receiver.received().size();
        clock.advance(Duration.ofHours(10));
        dispatcher.dispatch(100);
        assertThat(receiver.received()).as("a disabled endpoint gets nothing").hasSize(before);

        NotificationSupport.consumeOwnEvents(s.id());
        JsonNode feed = s.api().get("/v1/notifications").json();
        assertThat(feed.get("unread_count").asInt()).isEqualTo(1);
        assertThat(feed.get("data").get(0).get("event_type").asText()).isEqualTo(EventTypes.WEBHOOK_ENDPOINT_DISABLED);
        assertThat(feed.get("data").get(0).get("title").asText()).contains(receiver.url());

        // turned back on, the held delivery goes out
        receiver.failWhen(body -> false);
        assertThat(s.api().patch("/v1/webhook_endpoints/" + id, Map.of("enabled", true)).json().get("consecutive_failures").asInt()).isZero();
        clock.advance(Duration.ofHours(10));
        drain(dispatcher);
        assertThat(receiver.accepted()).hasSize(1);
    }

    @Test
    void failedDeliveriesAreReplayedOneOrAllSinceATime() throws Exception {
        var s = TestNode.get().newTenant("webhook-replay");
        create(s.api(), List.of(EventTypes.INVOICE_FINALIZED));
        receiver.failWhen(body -> true);
        ManualClock clock = new ManualClock(Instant.now().plusSeconds(2));
        WebhookDispatcher dispatcher = webhooks.dispatcher(http, clock);
        Instant start = Instant.now().minusSeconds(1);
        record(s.id(), "inv_r1", 0);
        record(s.id(), "inv_r2", 1);
        webhooks.fanout().run(1000);
        for (int i = 0; i < 9; i++) {
            dispatcher.dispatch(100);
            clock.advance(Duration.ofHours(11));
        }
        String endpoint = endpointId(s.api());
        JsonNode failed = s.api().get("/v1/webhook_endpoints/" + endpoint + "/deliveries?status=failed").json().get("data");
        assertThat(failed).hasSize(2);
        assertThat(failed.get(0).get("attempts").asInt()).isEqualTo(8);

        receiver.failWhen(body -> false);
        var one = s.api().post("/v1/webhook_deliveries/" + failed.get(0).get("id").asText() + "/replay", null);
        assertThat(one.json().get("status").asText()).isEqualTo("pending");
        drain(dispatcher);
        assertThat(receiver.accepted()).hasSize(1);
        var all = s.api().post("/v1/webhook_endpoints/" + endpoint + "/replay", Map.of("since", start.toString()));
        assertThat(all.json().get("replayed").asInt()).isEqualTo(1);
        drain(dispatcher);
        assertThat(receiver.accepted()).extracting(r -> r.header("webhook-id")).doesNotHaveDuplicates().hasSize(2);
    }

    private static final class ProcessDied extends Error {
    }

    private JsonNode create(Api api, List<String> types) {
        var r = api.post("/v1/webhook_endpoints", Map.of("url", receiver.url(), "event_types", types));
        assertThat(r.status()).as(r.toString()).isEqualTo(201);
        return r.json();
    }

    private static String endpointId(Api api) {
        return api.get("/v1/webhook_endpoints").json().get("data").get(0).get("id").asText();
    }

    private String record(String tenantId, String invoiceId, int seq) {
        String id = Ids.next("evt");
        services.tx().run(() -> services.events().record(tenantId,
                new DomainEvent(id, EventTypes.INVOICE_FINALIZED, "invoice", invoiceId, null, Map.of("seq", seq), Instant.now())));
        return id;
    }

    private void deliverAll(WebhookDispatcher dispatcher) {
        webhooks.fanout().run(1000);
        drain(dispatcher);
    }

    private static void drain(WebhookDispatcher dispatcher) {
        for (int i = 0; i < 50 && dispatcher.dispatch(100) > 0; i++) {
            // each round sends the next event of every object
        }
    }

    private String type(Receiver.Received r) {
        try {
            return Json.MAPPER.readTree(r.body()).get("type").asText();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private int seq(Receiver.Received r) {
        try {
            return Json.MAPPER.readTree(r.body()).get("data").get("seq").asInt();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static Map<String, List<String>> headers(Receiver.Received r) {
        Map<String, List<String>> h = new LinkedHashMap<>();
        for (String name : List.of("webhook-id", "webhook-timestamp", "webhook-signature")) {
            h.put(name, List.of(r.header(name)));
        }
        return h;
    }

    /** The Standard Webhooks signature, computed here from the spec with javax.crypto alone. */
    static String hmac(String secret, Receiver.Received r) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(Base64.getDecoder().decode(secret.substring("whsec_".length())), "HmacSHA256"));
        String signed = r.header("webhook-id") + "." + r.header("webhook-timestamp") + "." + r.body();
        return "v1," + Base64.getEncoder().encodeToString(mac.doFinal(signed.getBytes(StandardCharsets.UTF_8)));
    }
}
