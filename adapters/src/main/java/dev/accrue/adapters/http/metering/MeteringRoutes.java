package dev.accrue.adapters.http.metering;

import dev.accrue.adapters.http.support.Requests;
import dev.accrue.adapters.json.StrictText;
import dev.accrue.adapters.http.support.Responses;
import dev.accrue.app.metering.EventResult;
import dev.accrue.app.metering.UsageRepository;
import dev.accrue.app.page.Page;
import dev.accrue.app.metering.MeteringService;
import dev.accrue.app.metering.UsageQueries;
import dev.accrue.core.error.AccrueException;
import dev.accrue.core.error.ErrorCode;
import dev.accrue.core.metering.RawEvent;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;

/**
 * /v1/events: usage in, one at a time or up to 10,000 per batch (a result per event; the valid rest is
 * stored). Answers come after the commit, so "accepted" means durable. Usage views per subscription read
 * the daily aggregates.
 */
public final class MeteringRoutes {
    private final MeteringService metering;
    private final UsageQueries queries;

    public MeteringRoutes(MeteringService metering, UsageQueries queries) {
        this.metering = metering;
        this.queries = queries;
    }

    record Batch(List<RawEvent> events) {
    }

    record Correction(Map<String, Object> properties) {
    }

    public void register(RoutesConfig app) {
        app.post("/v1/events", this::single);
        app.post("/v1/events/batch", ctx -> {
            StrictText.requireUtf8(ctx.bodyAsBytes());
            List<RawEvent> events = EventBatchJson.read(ctx.bodyAsBytes());
            if (events == EventBatchJson.FALLBACK) {
                events = Requests.body(ctx, Batch.class).events(); // not a plain batch: the strict binding reports why
            }
            var result = metering.ingest(Requests.caller(ctx), events);
            ctx.status(200).contentType("application/json");
            EventBatchJson.write(result, ctx.outputStream());
        });
        app.delete("/v1/events/{event_id}", ctx -> {
            var event = metering.cancel(Requests.caller(ctx), ctx.pathParam("event_id"));
            Responses.json(ctx, 200, Map.of("event_id", event.eventId(), "status", "cancelled"));
        });
        app.patch("/v1/events/{event_id}", ctx -> {
            Correction c = Requests.body(ctx, Correction.class);
            var event = metering.correct(Requests.caller(ctx), ctx.pathParam("event_id"), c.properties());
            Responses.json(ctx, 200, Map.of("event_id", event.eventId(), "status", "corrected", "quantity", event.quantity()));
        });
        app.get("/v1/subscriptions/{id}/usage", ctx -> {
            byte[] body = UsageViewJson.write(queries.current(Requests.caller(ctx), ctx.pathParam("id"))); // Json.write's bytes, streamed
            ctx.status(200).contentType("application/json").result(body);
        });
        app.get("/v1/subscriptions/{id}/usage/daily", ctx -> {
            String metric = ctx.queryParam("metric");
            if (metric == null) {
                throw new AccrueException(ErrorCode.MISSING_FIELD, "metric", "metric query parameter is required");
            }
            var rows = queries.daily(Requests.caller(ctx), ctx.pathParam("id"), metric, Requests.date(ctx, "from"), Requests.date(ctx, "to"));
            Function<UsageRepository.DailyUsage, String> key = r -> r.day() + "/" + r.dimensionKey();
            Page<UsageRepository.DailyUsage> page = Page.slice(rows, Requests.page(ctx), key);
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("object", "list");
            body.put("metric", metric);
            body.put("data", page.items());
            body.put("has_more", page.hasMore());
            body.put("next_cursor", page.hasMore() ? Requests.encodeKeyCursor(key.apply(page.items().getLast())) : null);
            Responses.json(ctx, 200, body);
        });
    }

    private void single(Context ctx) {
        RawEvent event = Requests.body(ctx, RawEvent.class);
        EventResult r = metering.ingest(Requests.caller(ctx), List.of(event)).results().getFirst();
        if (r.status().equals(EventResult.REJECTED)) {
            throw new AccrueException(ErrorCode.valueOf(r.code().toUpperCase(Locale.ROOT)), r.field(), r.message());
        }
        Responses.json(ctx, 202, Map.of("event_id", r.eventId(), "status", r.status()));
    }
}
