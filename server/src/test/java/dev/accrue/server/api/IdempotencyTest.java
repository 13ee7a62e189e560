package dev.accrue.server.api;

import dev.accrue.server.support.Api;
import dev.accrue.server.support.Fixtures;
import dev.accrue.server.support.TestNode;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;

class IdempotencyTest {
    private Api api;

    @BeforeEach
    void tenant() {
        api = TestNode.get().newTenant("idempotency").api();
    }

    @Test
    void theSameKeyAndBodyReplayTheFirstResponse() {
        Api keyed = api.withHeader("Idempotency-Key", "create-brightside-1");
        var first = keyed.post("/v1/customers", Fixtures.customer());
        var second = keyed.post("/v1/customers", Fixtures.customer());
        assertThat(first.status()).isEqualTo(201);
        assertThat(second.status()).isEqualTo(201);
        assertThat(second.body()).isEqualTo(first.body());
        assertThat(first.header("Idempotent-Replayed")).isNull();
        assertThat(second.header("Idempotent-Replayed")).isEqualTo("true");
        assertThat(api.get("/v1/customers").json().get("data")).hasSize(1);
    }

    @Test
    void theSameKeyWithAnotherBodyIsRefusedAndChangesNothing() {
        Api keyed = api.withHeader("Idempotency-Key", "create-2");
        keyed.post("/v1/customers", Fixtures.customer("First"));
        var reused = keyed.post("/v1/customers", Fixtures.customer("Second"));
        assertThat(reused.status()).isEqualTo(409);
        assertThat(reused.code()).isEqualTo("idempotency_key_reused");
        assertThat(api.get("/v1/customers").json().get("data")).hasSize(1);
    }

    @Test
    void aFailedRequestLeavesTheKeyUnusedSoACorrectedRetrySucceeds() {
        Api keyed = api.withHeader("Idempotency-Key", "create-3");
        var body = Fixtures.customer();
        body.put("currency", "XXX1");
        assertThat(keyed.post("/v1/customers", body).code()).isEqualTo("invalid_currency");
        var retry = keyed.post("/v1/customers", Fixtures.customer());
        assertThat(retry.status()).isEqualTo(201);
    }

    @Test
    void concurrentRequestsWithOneKeyCreateExactlyOnce() throws Exception {
        Api keyed = api.withHeader("Idempotency-Key", "burst-key");
        List<Callable<Api.Response>> calls = new ArrayList<>();
        for (int i = 0; i < 16; i++) {
            calls.add(() -> keyed.post("/v1/customers", Fixtures.customer("Burst")));
        }
        List<Api.Response> responses = new ArrayList<>();
        try (ExecutorService pool = Executors.newFixedThreadPool(16)) {
            for (Future<Api.Response> f : pool.invokeAll(calls)) {
                responses.add(f.get());
            }
        }
        assertThat(responses).allSatisfy(r -> assertThat(r.status()).isEqualTo(201));
        assertThat(new HashSet<>(responses.stream().map(r -> r.text("id")).toList())).hasSize(1);
        assertThat(api.get("/v1/customers").json().get("data")).hasSize(1);
    }

    @Test
    void keysAreBounded() {
        var response = api.withHeader("Idempotency-Key", "k".repeat(300)).post("/v1/customers", Fixtures.customer());
        assertThat(response.code()).isEqualTo("validation_failed");
        assertThat(response.text("field")).isEqualTo("Idempotency-Key");
    }
}
