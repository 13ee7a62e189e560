package dev.accrue.adapters.http.contact;

import dev.accrue.adapters.http.support.Requests;
import dev.accrue.adapters.http.support.Responses;
import dev.accrue.app.contact.ContactCount;
import dev.accrue.app.contact.ContactService;
import dev.accrue.core.contact.Contact;
import io.javalin.config.RoutesConfig;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;

/**
 * /v1/customers/{id}/contacts and /contact_count: sync contact records (batch upsert by the tenant's contact id,
 * delete), or push the qualifying count directly; read the current count.
 */
public final class ContactRoutes {
    private final ContactService contacts;

    public ContactRoutes(ContactService contacts) {
        this.contacts = contacts;
    }

    record ContactBody(String id, String email, String phone, String userId, Boolean chatReplied, Boolean webPush) {
        Contact toContact() {
            return new Contact(id, email, phone, userId, Boolean.TRUE.equals(chatReplied), Boolean.TRUE.equals(webPush));
        }
    }

    record SyncBody(List<ContactBody> upsert, List<String> delete) {
    }

    /** The count as a raw node: a quoted number is refused (wrong_type), a fraction or a negative number by the rules. */
    record CountBody(com.fasterxml.jackson.databind.JsonNode count) {
        BigDecimal value() {
            if (count == null || count.isNull()) {
                return null;
            }
            if (!count.isNumber()) {
                throw new dev.accrue.core.error.AccrueException(dev.accrue.core.error.ErrorCode.WRONG_TYPE, "count",
                        "Field 'count' must be a whole number");
            }
            return count.decimalValue();
        }
    }

    record CountView(String object, String customerId, long count, String source, Instant asOf, int upserted, int deleted) {
        static CountView of(ContactCount c) {
            return new CountView("contact_count", c.customerId(), c.count(), c.source(), c.asOf(), c.upserted(), c.deleted());
        }
    }

    public void register(RoutesConfig app) {
        app.post("/v1/customers/{id}/contacts/sync", ctx -> {
            SyncBody b = Requests.body(ctx, SyncBody.class);
            List<Contact> upsert = b.upsert() == null ? List.of() : b.upsert().stream().map(c -> c == null ? null : c.toContact()).toList();
            Responses.json(ctx, 200, CountView.of(contacts.sync(Requests.caller(ctx), ctx.pathParam("id"), upsert, b.delete())));
        });
        app.delete("/v1/customers/{id}/contacts/{contact_id}", ctx -> Responses.json(ctx, 200,
                CountView.of(contacts.sync(Requests.caller(ctx), ctx.pathParam("id"), List.of(), List.of(ctx.pathParam("contact_id"))))));
        app.get("/v1/customers/{id}/contact_count", ctx -> Responses.json(ctx, 200,
                CountView.of(contacts.get(Requests.caller(ctx), ctx.pathParam("id")))));
        app.put("/v1/customers/{id}/contact_count", ctx -> {
            CountBody b = Requests.body(ctx, CountBody.class);
            Responses.json(ctx, 200, CountView.of(contacts.push(Requests.caller(ctx), ctx.pathParam("id"), b.value())));
        });
    }
}
