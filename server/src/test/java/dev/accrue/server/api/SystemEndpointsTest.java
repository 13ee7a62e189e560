package dev.accrue.server.api;

import dev.accrue.server.support.Api;
import dev.accrue.server.support.TestNode;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class SystemEndpointsTest {
    private final Api api = new Api(TestNode.get().baseUrl(), null);

    @Test
    void healthReportsTheDatabase() {
        var health = api.get("/health");
        assertThat(health.status()).isEqualTo(200);
        assertThat(health.text("database")).isEqualTo("ok");
    }

    @Test
    void metricsArePrometheusText() {
        TestNode.get().newTenant("metrics").api().get("/v1/customers");
        var metrics = api.get("/metrics");
        assertThat(metrics.status()).isEqualTo(200);
        assertThat(metrics.body()).contains("jvm_memory_used_bytes").contains("accrue_http_requests_seconds_count");
    }

    @Test
    void theOpenApiDocumentIsServed() {
        var json = api.get("/openapi.json");
        assertThat(json.status()).isEqualTo(200);
        assertThat(json.json().at("/openapi").asText()).startsWith("3.");
        assertThat(json.json().at("/paths").has("/v1/customers")).isTrue();
        assertThat(api.get("/openapi.yaml").body()).contains("openapi: 3.0.3");
    }

    @Test
    void unknownRoutesAndMethodsAnswerWithProblems() {
        var missing = TestNode.get().newTenant("routes").api().get("/v1/nothing-here");
        assertThat(missing.status()).isEqualTo(404);
        assertThat(missing.code()).isEqualTo("route_not_found");
        assertThat(missing.header("content-type")).startsWith("application/problem+json");
    }
}
