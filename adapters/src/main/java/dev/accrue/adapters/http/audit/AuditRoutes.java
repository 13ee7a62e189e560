package dev.accrue.adapters.http.audit;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.accrue.adapters.http.support.Requests;
import dev.accrue.adapters.http.support.Responses;
import dev.accrue.adapters.json.Json;
import dev.accrue.app.audit.AuditEntry;
import dev.accrue.app.audit.AuditHistory;
import dev.accrue.app.audit.AuditQuery;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;

import java.io.UncheckedIOException;
import java.time.Instant;

/** /v1/audit_events?object_id=…: the change history of any object, newest first. */
public final class AuditRoutes {
    private final AuditHistory history;

    public AuditRoutes(AuditHistory history) {
        this.history = history;
    }

    record AuditView(String id, String objectType, String objectId, String action, String actor, Instant occurredAt,
                     JsonNode before, JsonNode after) {
        static AuditView of(AuditEntry e) {
            return new AuditView(e.id(), e.objectType(), e.objectId(), e.action(), e.actor(), e.occurredAt(),
                    tree(e.beforeJson()), tree(e.afterJson()));
        }

        private static JsonNode tree(String json) {
            try {
                return json == null ? null : Json.MAPPER.readTree(json);
            } catch (JsonProcessingException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    public void register(RoutesConfig app) {
        app.get("/v1/audit_events", this::list);
    }

    private void list(Context ctx) {
        var query = new AuditQuery(blankToNull(ctx.queryParam("object_id")), blankToNull(ctx.queryParam("object_type")),
                blankToNull(ctx.queryParam("actor")), Requests.instant(ctx, "from"), Requests.instant(ctx, "to"));
        var page = history.find(Requests.caller(ctx), query, Requests.page(ctx)).map(AuditView::of);
        Responses.list(ctx, page, AuditView::id);
    }

    private static String blankToNull(String text) {
        return text == null || text.isBlank() ? null : text;
    }
}
