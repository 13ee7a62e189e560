package dev.accrue.server.ops;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.accrue.server.AccrueConfig;
import dev.accrue.server.support.NodeProcess;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** What a real node writes: JSON lines with ACCRUE_LOG_FORMAT=json, dated text otherwise (issue 17 point 1). */
class LogFormatTest {
    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void jsonLinesCarryTheRequestFields(@TempDir Path dir) throws Exception {
        try (NodeProcess node = NodeProcess.start(dir, Map.of("ACCRUE_LOG_FORMAT", "json"))) {
            get(node, "/health", "json-probe-1");
            String line = node.awaitLine("json-probe-1", Duration.ofSeconds(20));
            JsonNode json = new ObjectMapper().readTree(line);
            assertThat(json.path("@timestamp").asText()).matches("\\d{4}-\\d{2}-\\d{2}T.*");
            assertThat(json.path("level").asText()).isEqualTo("INFO");
            assertThat(json.path("logger_name").asText()).isEqualTo("accrue.access");
            assertThat(json.path("request_id").asText()).isEqualTo("json-probe-1");
            assertThat(json.path("http_route").asText()).isEqualTo("/health");
            assertThat(json.path("http_status").asText()).isEqualTo("200");
            assertThat(json.path("message").asText()).startsWith("GET /health 200 ");
        }
    }

    @Test
    void textLinesAreDatedByDefault(@TempDir Path dir) throws Exception {
        try (NodeProcess node = NodeProcess.start(dir, Map.of())) {
            get(node, "/health", "text-probe-1");
            String line = node.awaitLine("text-probe-1", Duration.ofSeconds(20));
            assertThat(line).matches("\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}\\.\\d{3}Z INFO  accrue.access \\[text-probe-1] - GET /health 200 .*");
        }
    }

    @Test
    void anUnknownFormatStopsTheNodeAtBoot() {
        assertThatThrownBy(() -> AccrueConfig.fromEnvironment(Map.of("ACCRUE_LOG_FORMAT", "xml")))
                .hasMessageContaining("ACCRUE_LOG_FORMAT must be 'text' or 'json'");
    }

    private void get(NodeProcess node, String path, String requestId) throws Exception {
        var response = http.send(HttpRequest.newBuilder(URI.create(node.baseUrl() + path)).header("X-Request-Id", requestId).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.headers().firstValue("X-Request-Id")).contains(requestId);
    }
}
