package dev.accrue.adapters.http.support;

import com.fasterxml.jackson.core.JsonParser;
import dev.accrue.adapters.http.system.SystemRoutes;
import dev.accrue.adapters.json.Json;
import dev.accrue.adapters.json.StrictJsonParser;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The OpenAPI document bounds every string a request may send, and the body reader enforces exactly those bounds. */
class OpenApiTextLimitsTest {

    @Test
    void everyRequestStringDeclaresItsMaximumLength() {
        assertThat(OpenApiTextLimits.unbounded(SystemRoutes.openApiYaml())).isEmpty();
    }

    @Test
    void theReaderRefusesAStringOverItsDocumentedLimitWithItsPath() throws Exception {
        var limits = OpenApiTextLimits.of("POST", "/v1/customers");
        String ok = Json.write(Map.of("legal_name", "x".repeat(200), "billing_address", Map.of("line1", "y".repeat(200))));
        try (JsonParser p = new StrictJsonParser(Json.MAPPER.createParser(ok), limits)) {
            Json.MAPPER.readTree(p);
        }
        String tooLong = Json.write(Map.of("billing_address", Map.of("line1", "y".repeat(201))));
        assertThatThrownBy(() -> {
            try (JsonParser p = new StrictJsonParser(Json.MAPPER.createParser(tooLong), limits)) {
                Json.MAPPER.readTree(p);
            }
        }).isInstanceOfSatisfying(StrictJsonParser.Refused.class, r -> {
            assertThat(r.field()).isEqualTo("billing_address.line1");
            assertThat(r.reason()).isEqualTo(StrictJsonParser.Refused.Reason.TOO_LONG);
        });
    }

    @Test
    void controlCharactersAreRefusedWithTheirPathInArraysAndMaps() {
        String body = "{\"billing_emails\": [\"a@b.example\", \"c\\u0000@d.example\"]}";
        assertThatThrownBy(() -> {
            try (JsonParser p = new StrictJsonParser(Json.MAPPER.createParser(body), OpenApiTextLimits.of("POST", "/v1/customers"))) {
                Json.MAPPER.readTree(p);
            }
        }).isInstanceOfSatisfying(StrictJsonParser.Refused.class, r -> {
            assertThat(r.field()).isEqualTo("billing_emails[1]");
            assertThat(r.reason()).isEqualTo(StrictJsonParser.Refused.Reason.CHARACTER);
        });
        String key = "{\"metadata\": {\"a\\u0007b\": \"x\"}}";
        assertThatThrownBy(() -> {
            try (JsonParser p = new StrictJsonParser(Json.MAPPER.createParser(key), OpenApiTextLimits.of("POST", "/v1/customers"))) {
                Json.MAPPER.readTree(p);
            }
        }).isInstanceOf(StrictJsonParser.Refused.class);
    }
}
