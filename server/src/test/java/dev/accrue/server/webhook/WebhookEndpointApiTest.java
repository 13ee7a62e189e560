package dev.accrue.server.webhook;

import com.fasterxml.jackson.databind.JsonNode;
import dev.accrue.adapters.webhook.DnsWebhookUrls;
import dev.accrue.app.auth.Caller;
import dev.accrue.app.auth.Role;
import dev.accrue.adapters.webhook.HttpWebhookSender;
import dev.accrue.app.event.DomainEvent;
import dev.accrue.app.event.EventTypes;
import dev.accrue.app.id.Ids;
import dev.accrue.app.webhook.AddressPolicy;
import dev.accrue.app.webhook.WebhookDispatcher;
import dev.accrue.app.webhook.WebhookSettings;
import dev.accrue.app.webhook.Webhooks;
import dev.accrue.server.Accrue;
import dev.accrue.server.AccrueConfig;
import dev.accrue.server.support.Api;
import dev.accrue.server.support.TestNode;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The endpoints API and its refusals: unknown event types, malformed URLs and URLs that reach inside the network
 * (server-side request forgery), each a precise error that changes nothing; the private-address allowance is off
 * unless configured, and the address check is made again at delivery time.
 */
class WebhookEndpointApiTest {
    private final TestNode.TestTenant tenant = TestNode.get().newTenant("webhook-api");
    private final Api api = tenant.api();

    @Test
    void endpointsAreCreatedReadChangedAndDeletedAndTheSecretIsShownOnce() {
        var created = api.withHeader("Idempotency-Key", "wh-1").post("/v1/webhook_endpoints",
                Map.of("url", "http://127.0.0.1:9/hook", "event_types", List.of("invoice.finalized", "wallet.low"), "description", "ERP"));
        assertThat(created.status()).isEqualTo(201);
        String id = created.text("id");
        assertThat(created.text("secret")).startsWith("whsec_");
        var replayed = api.withHeader("Idempotency-Key", "wh-1").post("/v1/webhook_endpoints",
                Map.of("url", "http://127.0.0.1:9/hook", "event_types", List.of("invoice.finalized", "wallet.low"), "description", "ERP"));
        assertThat(replayed.text("id")).isEqualTo(id);
        assertThat(replayed.json().get("secret").isNull()).as("the stored replay does not keep the secret").isTrue();
        JsonNode read = api.get("/v1/webhook_endpoints/" + id).json();
        assertThat(read.get("secret").isNull()).isTrue();
        assertThat(read.get("event_types")).extracting(JsonNode::asText).containsExactly("invoice.finalized", "wallet.low");

        var changed = api.patch("/v1/webhook_endpoints/" + id, Map.of("event_types", List.of("number.on_hold"), "enabled", false));
        assertThat(changed.json().get("enabled").asBoolean()).isFalse();
        assertThat(changed.json().get("description").asText()).isEqualTo("ERP");
        assertThat(api.delete("/v1/webhook_endpoints/" + id).status()).isEqualTo(200);
        assertThat(api.get("/v1/webhook_endpoints/" + id).status()).isEqualTo(404);
        assertThat(tenant.readOnlyApi().post("/v1/webhook_endpoints", Map.of("url", "http://127.0.0.1:9/", "event_types",
                List.of("wallet.low"))).status()).isEqualTo(403);
    }

    @Test
    void badInputIsRefusedPreciselyAndChangesNothing() {
        assertRefused(Map.of("url", "https://hooks.example.com/", "event_types", List.of("invoice.finalized", "invoice.exploded")), "unknown_event_type");
        assertRefused(Map.of("url", "https://hooks.example.com/", "event_types", List.of()), "missing_field");
        assertRefused(Map.of("url", "not a url", "event_types", List.of("wallet.low")), "invalid_webhook_url");
        assertRefused(Map.of("url", "ftp://hooks.example.com/x", "event_types", List.of("wallet.low")), "invalid_webhook_url");
        assertRefused(Map.of("url", "file:///etc/passwd", "event_types", List.of("wallet.low")), "invalid_webhook_url");
        assertRefused(Map.of("url", "https://user:pw@hooks.example.com/", "event_types", List.of("wallet.low")), "invalid_webhook_url");
        assertRefused(Map.of("url", "https://no-such-host.invalid/", "event_types", List.of("wallet.low")), "invalid_webhook_url");
        assertRefused(Map.of("url", "http://127.0.0.1/", "event_types", List.of("wallet.low"), "secret", "whsec_c2hvcnQ="), "validation_failed");
        // cloud metadata stays refused even on this node, which allows private addresses for its test receivers
        assertRefused(Map.of("url", "http://169.254.169.254/latest/meta-data/", "event_types", List.of("wallet.low")), "webhook_url_not_allowed");
        assertRefused(Map.of("url", "http://[fd00:ec2::254]/", "event_types", List.of("wallet.low")), "webhook_url_not_allowed");
        assertRefused(Map.of("url", "http://0.0.0.0:8080/", "event_types", List.of("wallet.low")), "webhook_url_not_allowed");
        assertThat(api.get("/v1/webhook_endpoints").json().get("data")).isEmpty();

        String id = api.post("/v1/webhook_endpoints", Map.of("url", "http://127.0.0.1:9/", "event_types", List.of("wallet.low"))).text("id");
        var bad = api.patch("/v1/webhook_endpoints/" + id, Map.of("url", "http://169.254.169.254/", "event_types", List.of("nope")));
        assertThat(bad.status()).isEqualTo(400);
        JsonNode unchanged = api.get("/v1/webhook_endpoints/" + id).json();
        assertThat(unchanged.get("url").asText()).isEqualTo("http://127.0.0.1:9/");
        assertThat(unchanged.get("event_types")).extracting(JsonNode::asText).containsExactly("wallet.low");
        assertThat(api.post("/v1/webhook_endpoints/" + id + "/rotate_secret", Map.of("overlap_hours", 500)).code()).isEqualTo("validation_failed");
    }

    @Test
    void privateAddressesAreAllowedOnlyWhenTheServerIsConfiguredSo() {
        assertThat(WebhookSettings.fromEnvironment(Map.of()).allowPrivateAddresses()).isFalse();
        assertThat(WebhookSettings.DEFAULT.allowPrivateAddresses()).isFalse();
        assertThat(WebhookSettings.fromEnvironment(Map.of("ACCRUE_WEBHOOK_ALLOW_PRIVATE", "true")).allowPrivateAddresses()).isTrue();
        assertThatThrownBy(() -> WebhookSettings.fromEnvironment(Map.of("ACCRUE_WEBHOOK_ALLOW_PRIVATE", "yes")))
                .hasMessageContaining("ACCRUE_WEBHOOK_ALLOW_PRIVATE");
    }

    @Test
    void aNodeWithDefaultSettingsRefusesEveryInternalAddress() {
        // a second node on the same database, started with the environment's defaults (nothing allowed)
        AccrueConfig config = AccrueConfig.fromEnvironment(Map.of("ACCRUE_RATE_LIMIT_FAILED_AUTH", "100000")).withDataDir(TestNode.get().dataDir())
                .withPort(0);
        try (Accrue strict = Accrue.open(config, Clock.systemUTC(), WebhookSettings.fromEnvironment(Map.of())).serve("127.0.0.1", 0)) {
            String key = TestNode.get().accrue().services().apiKeys().create(Caller.operator(tenant.id()), "second node", Role.ADMIN).secret();
            Api other = new Api("http://127.0.0.1:" + strict.port(), key);
            for (String url : List.of("http://127.0.0.1:8080/hook", "http://10.1.2.3/", "http://172.16.0.1/", "http://192.168.1.10/",
                    "http://169.254.169.254/latest/meta-data/", "http://169.254.10.10/", "http://100.64.0.1/", "http://[::1]/", "http://[fe80::1]/",
                    "http://[fc00::1]/", "http://[::ffff:127.0.0.1]/", "http://224.0.0.1/", "http://localhost:8080/", "http://LocalHost/")) {
                var r = other.post("/v1/webhook_endpoints", Map.of("url", url, "event_types", List.of("wallet.low")));
                assertThat(r.code()).as(url).isEqualTo("webhook_url_not_allowed");
            }
            assertThat(other.get("/v1/webhook_endpoints").json().get("data")).isEmpty();
        }
    }

    @Test
    void theAddressIsCheckedAgainAtDeliveryTime() throws Exception {
        try (Receiver receiver = new Receiver(); HttpWebhookSender http = new HttpWebhookSender(WebhookSettings.DEFAULT)) {
            String endpoint = api.post("/v1/webhook_endpoints", Map.of("url", receiver.url(), "event_types", List.of("wallet.low"))).text("id");
            var services = TestNode.get().accrue().services();
            services.tx().run(() -> services.events().record(tenant.id(), new DomainEvent(Ids.next("evt"), EventTypes.WALLET_LOW, "wallet", "cus_x",
                    null, Map.of(), Instant.now())));
            Webhooks w = services.webhooks();
            w.fanout().run(1000);
            // the name now resolves somewhere refused (here: the policy of a node that allows no private address)
            WebhookDispatcher strict = new WebhookDispatcher(w.tx(), w.repository(), new DnsWebhookUrls(new AddressPolicy(false)), http, w.events(),
                    w.audit(), WebhookSettings.DEFAULT, new ManualClock(Instant.now().plusSeconds(2)));
            assertThat(strict.dispatch(100)).isZero();
            assertThat(receiver.received()).isEmpty();
            JsonNode delivery = api.get("/v1/webhook_endpoints/" + endpoint + "/deliveries").json().get("data").get(0);
            assertThat(delivery.get("last_error").asText()).contains("webhook_url_not_allowed", "loopback");
            assertThat(delivery.get("status").asText()).isEqualTo("pending");
        }
    }

    private void assertRefused(Map<String, Object> body, String code) {
        var r = api.post("/v1/webhook_endpoints", body);
        assertThat(r.status()).as(body.toString()).isEqualTo(400);
        assertThat(r.code()).as(body.toString()).isEqualTo(code);
    }
}
