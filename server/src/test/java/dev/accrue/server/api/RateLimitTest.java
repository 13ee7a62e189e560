package dev.accrue.server.api;

import dev.accrue.adapters.http.ApiServer;
import dev.accrue.adapters.http.ratelimit.RateLimiter;
import dev.accrue.adapters.http.ratelimit.RateLimits;
import dev.accrue.adapters.http.support.Idempotency;
import dev.accrue.adapters.http.tenant.TenantRoutes;
import dev.accrue.server.support.Api;
import dev.accrue.server.support.TestNode;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Token buckets per API key (its tenant's rate) and per address, with a separate budget for failed authentications. */
class RateLimitTest {

    @Test
    void aKeyOverItsTenantsRateIsAnsweredTooManyRequestsWithRetryAfter() {
        var tenant = TestNode.get().newTenant("rate limited");
        var set = tenant.api().patch("/v1/tenant", Map.of("api_requests_per_second", 1));
        assertThat(set.status()).as(set.toString()).isEqualTo(200);
        assertThat(set.json().at("/settings/api_requests_per_second").asInt()).isEqualTo(1);
        // a key's bucket is built with its tenant's rate when the key is first seen: a new key starts at 1/s, burst 2
        String secret = tenant.api().post("/v1/api_keys", Map.of("name", "slow")).text("secret");
        Api slow = tenant.api().withKey(secret);
        assertThat(slow.get("/v1/tenant").status()).isEqualTo(200);
        assertThat(slow.get("/v1/tenant").status()).isEqualTo(200);
        var refused = slow.get("/v1/tenant");
        assertThat(refused.status()).isEqualTo(429);
        assertThat(refused.code()).isEqualTo("rate_limited");
        assertThat(refused.header("content-type")).startsWith("application/problem+json");
        assertThat(Integer.parseInt(refused.header("retry-after"))).isBetween(1, 2);
        assertThat(tenant.api().get("/v1/tenant").status()).as("another key of the tenant has its own bucket").isEqualTo(200);
        var back = tenant.api().send("PATCH", "/v1/tenant", "{\"api_requests_per_second\": null}");
        assertThat(back.json().at("/settings/api_requests_per_second").isNull()).isTrue();
        assertThat(tenant.api().patch("/v1/tenant", Map.of("api_requests_per_second", 0)).code()).isEqualTo("validation_failed");
    }

    @Test
    void failedAuthenticationsHaveTheirOwnSmallBudgetPerAddress() {
        var tenant = TestNode.get().newTenant("guessing");
        var services = TestNode.get().accrue().services();
        ApiServer strict = new ApiServer(services.apiKeys(), new RateLimiter(new RateLimits(1000, 1000, 3), t -> null),
                new PrometheusMeterRegistry(PrometheusConfig.DEFAULT), List.of(tenantRoutes()));
        strict.start("127.0.0.1", 0);
        try {
            Api guesser = new Api("http://127.0.0.1:" + strict.port(), "sk_test_" + "0".repeat(32));
            for (int i = 0; i < 3; i++) {
                assertThat(guesser.get("/v1/tenant").code()).isEqualTo("unauthenticated");
            }
            var refused = guesser.get("/v1/tenant");
            assertThat(refused.status()).isEqualTo(429);
            assertThat(refused.code()).isEqualTo("rate_limited");
            assertThat(Long.parseLong(refused.header("retry-after"))).isBetween(1L, 60L);
            var rightKey = guesser.withKey(keyOf(tenant)).get("/v1/tenant");
            assertThat(rightKey.status()).as("the address is refused outright until its budget refills").isEqualTo(429);
        } finally {
            strict.stop();
        }
    }

    @Test
    void anAddressOverItsBudgetIsRefusedWhateverKeysItPresents() {
        var tenant = TestNode.get().newTenant("flood");
        var services = TestNode.get().accrue().services();
        ApiServer strict = new ApiServer(services.apiKeys(), new RateLimiter(new RateLimits(1000, 1, 60), t -> null),
                new PrometheusMeterRegistry(PrometheusConfig.DEFAULT), List.of(tenantRoutes()));
        strict.start("127.0.0.1", 0);
        try {
            Api flood = new Api("http://127.0.0.1:" + strict.port(), keyOf(tenant));
            int refused = 0;
            for (int i = 0; i < 10; i++) {
                refused += flood.get("/v1/tenant").status() == 429 ? 1 : 0;
            }
            assertThat(refused).as("10 requests at once against a burst of 2 and 1 more a second").isGreaterThanOrEqualTo(5);
        } finally {
            strict.stop();
        }
    }

    /** The real /v1/tenant routes, so answers are checked against the OpenAPI document like any other. */
    private static java.util.function.Consumer<io.javalin.config.RoutesConfig> tenantRoutes() {
        var services = TestNode.get().accrue().services();
        return new TenantRoutes(services.tenants(), services.apiKeys(), new Idempotency(services.idempotency()))::register;
    }

    private static String keyOf(TestNode.TestTenant tenant) {
        return tenant.api().post("/v1/api_keys", Map.of("name", "k")).text("secret");
    }
}
