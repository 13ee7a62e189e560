package dev.accrue.server.api;

import com.fasterxml.jackson.databind.JsonNode;
import dev.accrue.server.support.Api;
import dev.accrue.server.support.TestNode;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The served OpenAPI document is what client generators read: every operation needs a readable, unique
 * operationId (the method name of a generated client: {@code createCustomer}, not {@code v1_customers_post}),
 * a description, and every creating POST the Idempotency-Key header.
 */
class OpenApiDocumentTest {
    private static final Pattern CAMEL_CASE = Pattern.compile("^[a-z][a-z0-9]*([A-Z][a-z0-9]+)*$");
    private static final Set<String> METHODS = Set.of("get", "post", "put", "patch", "delete");
    private final JsonNode doc = new Api(TestNode.get().baseUrl(), null).get("/openapi.json").json();

    record Operation(String method, String path, JsonNode node) {
        String name() {
            return method.toUpperCase() + " " + path;
        }
    }

    private List<Operation> operations() {
        List<Operation> ops = new ArrayList<>();
        doc.get("paths").properties().forEach(p -> p.getValue().properties().forEach(m -> {
            if (METHODS.contains(m.getKey())) {
                ops.add(new Operation(m.getKey(), p.getKey(), m.getValue()));
            }
        }));
        return ops;
    }

    @Test
    void everyOperationHasAUniqueReadableOperationIdAndADescription() {
        List<Operation> ops = operations();
        assertThat(ops).hasSizeGreaterThan(80);
        Set<String> ids = new HashSet<>();
        for (Operation op : ops) {
            JsonNode id = op.node().get("operationId");
            assertThat(id).as(op.name() + " has no operationId").isNotNull();
            assertThat(id.asText()).as(op.name()).matches(CAMEL_CASE).hasSizeBetween(6, 40);
            assertThat(ids.add(id.asText())).as("operationId " + id.asText() + " is used twice").isTrue();
            JsonNode description = op.node().get("description");
            assertThat(description).as(op.name() + " has no description").isNotNull();
            assertThat(description.asText().strip()).as(op.name()).hasSizeGreaterThan(20);
        }
        // the names a generated client shows for the resources a user meets first
        assertThat(ids).contains("createCustomer", "updateCustomer", "listCustomers", "createSubscription", "changeSubscriptionPlan",
                "cancelSubscription", "recordUsageEvent", "topUpWallet", "updateWallet", "listReceipts", "listAuditEvents", "getUpcomingInvoice");
    }

    @Test
    void everyCreatingPostDocumentsIdempotencyKeyAndTheMainOnesCarryExamples() {
        for (Operation op : operations()) {
            boolean creates = op.method().equals("post") && op.node().get("responses").has("201");
            if (creates) {
                assertThat(op.node().get("parameters").toString()).as(op.name() + " creates but does not document Idempotency-Key")
                        .contains("#/components/parameters/IdempotencyKey");
            }
        }
        assertThat(doc.at("/components/parameters/IdempotencyKey/description").asText()).contains("replays");
        for (String id : List.of("createCustomer", "createSubscription", "recordUsageEvent", "topUpWallet", "provisionPhoneNumber")) {
            Operation op = operations().stream().filter(o -> o.node().path("operationId").asText().equals(id)).findFirst().orElseThrow();
            assertThat(op.node().at("/requestBody/content/application~1json/example").isMissingNode()).as(id + " has no example").isFalse();
        }
    }

    @Test
    void everyRouteTheReadmeNamesIsServed() throws IOException {
        String readme = Files.readString(Path.of("..", "README.md"));
        Matcher m = Pattern.compile("`(/v1/[a-z_/{}]+)`").matcher(readme);
        Set<String> named = new LinkedHashSet<>();
        while (m.find()) {
            named.add(m.group(1));
        }
        assertThat(named).contains("/v1/receipts", "/v1/audit_events", "/v1/emails");
        Api api = TestNode.get().newTenant("readme routes").api();
        for (String path : named) {
            assertThat(doc.get("paths").has(path)).as(path + " is named in the README but not in the OpenAPI document").isTrue();
            if (doc.get("paths").get(path).has("get") && !path.contains("{")) {
                var r = api.get(path);
                assertThat(r.code()).as("GET " + path + ": " + r).isNotEqualTo("route_not_found");
            }
        }
    }
}
