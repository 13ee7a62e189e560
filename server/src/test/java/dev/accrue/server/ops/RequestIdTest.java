package dev.accrue.server.ops;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.accrue.server.support.Api;
import dev.accrue.server.support.Fixtures;
import dev.accrue.server.support.TestNode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Request ids through response headers, problem bodies and every log line of the request (issue 17 point 1). */
class RequestIdTest {
    private final TestNode.TestTenant tenant = TestNode.get().newTenant("request ids");
    private final ListAppender<ILoggingEvent> logs = new ListAppender<>();
    private final Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);

    @BeforeEach
    void listen() {
        logs.start();
        root.addAppender(logs);
    }

    @AfterEach
    void stopListening() {
        root.detachAppender(logs);
    }

    @Test
    void aSaneIdSentIsEchoedAndOtherwiseOneIsMade() {
        var echoed = tenant.api().withHeader("X-Request-Id", "trace-42.a:b_c").get("/v1/customers");
        assertThat(echoed.header("X-Request-Id")).isEqualTo("trace-42.a:b_c");

        var made = tenant.api().get("/v1/customers");
        assertThat(made.header("X-Request-Id")).matches("req_[0-9A-HJKMNP-TV-Z]{26}");
        assertThat(tenant.api().get("/v1/customers").header("X-Request-Id")).isNotEqualTo(made.header("X-Request-Id"));

        // too long, or characters that would forge log lines or headers: replaced, never echoed
        for (String hostile : List.of("x".repeat(129), "a b", "id\"quoted", "<script>", "é")) {
            var replaced = tenant.api().withHeader("X-Request-Id", hostile).get("/v1/customers");
            assertThat(replaced.header("X-Request-Id")).as(hostile).matches("req_[0-9A-HJKMNP-TV-Z]{26}");
        }
        assertThat(tenant.api().withHeader("X-Request-Id", "y".repeat(128)).get("/v1/customers").header("X-Request-Id")).hasSize(128);
    }

    @Test
    void problemsCarryTheRequestId() {
        var missing = tenant.api().withHeader("X-Request-Id", "missing-1").get("/v1/customers/cus_01J00000000000000000000000");
        assertThat(missing.status()).isEqualTo(404);
        assertThat(missing.text("request_id")).isEqualTo("missing-1");

        var unauthenticated = tenant.api().anonymous().get("/v1/customers");
        assertThat(unauthenticated.status()).isEqualTo(401);
        assertThat(unauthenticated.text("request_id")).isEqualTo(unauthenticated.header("X-Request-Id")).startsWith("req_");

        var malformed = tenant.api().sendBytes("POST", "/v1/customers", "{not json".getBytes(), "application/json");
        assertThat(malformed.code()).isEqualTo("malformed_json");
        assertThat(malformed.text("request_id")).isEqualTo(malformed.header("X-Request-Id"));

        var noRoute = tenant.api().get("/v1/nothing-here");
        assertThat(noRoute.text("request_id")).isEqualTo(noRoute.header("X-Request-Id"));
    }

    @Test
    void everyLineOfARequestCarriesItsIdAndOneAccessLineSaysWhatHappened() {
        String secret = tenant.api().key();
        var imported = tenant.api().withHeader("X-Request-Id", "import-7").postYaml("/v1/catalog/versions?file_name=acme.yaml", Fixtures.CATALOG_V1);
        assertThat(imported.status()).isEqualTo(201);
        tenant.api().withHeader("X-Request-Id", "read-8").get("/v1/customers/cus_01J00000000000000000000000");

        ILoggingEvent importLine = lines("import-7").stream().filter(e -> e.getFormattedMessage().startsWith("Catalog 'acme' version 1"))
                .findFirst().orElseThrow();
        assertThat(importLine.getMDCPropertyMap()).containsEntry("tenant_id", tenant.id()).containsKey("key_id");

        ILoggingEvent access = accessLine("import-7");
        assertThat(access.getFormattedMessage()).startsWith("POST /v1/catalog/versions 201 ").contains("tenant=" + tenant.id());
        assertThat(access.getMDCPropertyMap()).containsEntry("http_route", "/v1/catalog/versions").containsEntry("http_status", "201")
                .containsKey("duration_ms").containsEntry("tenant_id", tenant.id());

        ILoggingEvent read = accessLine("read-8");
        assertThat(read.getFormattedMessage()).startsWith("GET /v1/customers/{id} 404 ");

        // the key's secret appears nowhere in the log
        assertThat(logs.list).allSatisfy(e -> assertThat(e.getFormattedMessage() + e.getMDCPropertyMap()).doesNotContain(secret));
        // the request's MDC does not leak to lines written after it
        LoggerFactory.getLogger("after").info("outside any request");
        assertThat(logs.list.getLast().getMDCPropertyMap()).doesNotContainKeys("request_id", "tenant_id");
    }

    /** The access line is written once the response is sent, so the client may see the answer a moment before. */
    private ILoggingEvent accessLine(String requestId) {
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (System.nanoTime() < deadline) {
            var line = lines(requestId).stream().filter(e -> e.getLoggerName().equals("accrue.access")).findFirst();
            if (line.isPresent()) {
                return line.get();
            }
            Thread.onSpinWait();
        }
        throw new AssertionError("no access line for " + requestId);
    }

    private List<ILoggingEvent> lines(String requestId) {
        return List.copyOf(logs.list).stream().filter(e -> requestId.equals(e.getMDCPropertyMap().get("request_id"))).toList();
    }
}
