package dev.accrue.adapters.http.customer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.accrue.adapters.http.support.Idempotency;
import dev.accrue.adapters.http.support.Requests;
import dev.accrue.adapters.http.support.Responses;
import dev.accrue.adapters.json.Json;
import dev.accrue.app.customer.CustomerQuery;
import dev.accrue.app.customer.CustomerService;
import dev.accrue.core.customer.Customer;
import dev.accrue.core.customer.CustomerDraft;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;

import java.util.Iterator;
import java.util.Map;

/** /v1/customers: billing accounts. Updates are JSON merge patches (RFC 7396) validated as a whole. */
public final class CustomerRoutes {
    private final CustomerService customers;
    private final Idempotency idempotency;

    public CustomerRoutes(CustomerService customers, Idempotency idempotency) {
        this.customers = customers;
        this.idempotency = idempotency;
    }

    public void register(RoutesConfig app) {
        app.post("/v1/customers", this::create);
        app.get("/v1/customers", this::list);
        app.get("/v1/customers/{id}", ctx -> Responses.json(ctx, 200, customers.get(Requests.caller(ctx), ctx.pathParam("id"))));
        app.patch("/v1/customers/{id}", this::update);
        app.delete("/v1/customers/{id}", this::delete);
    }

    private void create(Context ctx) {
        CustomerDraft draft = Requests.body(ctx, CustomerDraft.class);
        idempotency.create(ctx, 201, () -> customers.create(Requests.caller(ctx), draft));
    }

    private void list(Context ctx) {
        var query = new CustomerQuery(ctx.queryParam("query"), ctx.queryParam("email"), ctx.queryParam("external_id"), ctx.queryParam("parent_id"));
        Responses.list(ctx, customers.list(Requests.caller(ctx), query, Requests.page(ctx)), Customer::id);
    }

    private void update(Context ctx) {
        ObjectNode patch = Requests.object(ctx);
        Customer updated = customers.update(Requests.caller(ctx), ctx.pathParam("id"), current -> {
            ObjectNode merged = Json.MAPPER.valueToTree(current);
            mergePatch(merged, patch);
            return Requests.convert(merged, CustomerDraft.class);
        });
        Responses.json(ctx, 200, updated);
    }

    private void delete(Context ctx) {
        String id = ctx.pathParam("id");
        customers.delete(Requests.caller(ctx), id);
        Responses.json(ctx, 200, Map.of("id", id, "object", "customer", "deleted", true));
    }

    /** RFC 7396: null removes, objects merge recursively, anything else replaces. */
    static void mergePatch(ObjectNode target, ObjectNode patch) {
        Iterator<Map.Entry<String, JsonNode>> fields = patch.fields();
        while (fields.hasNext()) {
            var field = fields.next();
            JsonNode value = field.getValue();
            if (value.isNull()) {
                target.remove(field.getKey());
            } else if (value.isObject() && target.get(field.getKey()) instanceof ObjectNode existing) {
                mergePatch(existing, (ObjectNode) value);
            } else {
                target.set(field.getKey(), value);
            }
        }
    }
}
