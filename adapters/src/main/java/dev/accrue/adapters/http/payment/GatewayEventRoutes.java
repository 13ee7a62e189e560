package dev.accrue.adapters.http.payment;

import dev.accrue.adapters.http.support.Requests;
import dev.accrue.adapters.http.support.Responses;
import dev.accrue.app.payment.GatewayEventIntake;
import io.javalin.config.RoutesConfig;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Where the gateway posts its webhooks ({@code POST /v1/gateway_events/stripe}). No API key: the gateway signs each
 * delivery ({@code Stripe-Signature}) and the use case verifies it before reading anything. The body is handed over
 * as received — byte for byte, since the signature covers it — never through the JSON body parser.
 */
public final class GatewayEventRoutes {
    private final GatewayEventIntake intake;

    public GatewayEventRoutes(GatewayEventIntake intake) {
        this.intake = intake;
    }

    public void register(RoutesConfig app) {
        app.post(Requests.GATEWAY_EVENTS + "{gateway}", ctx -> {
            Map<String, String> headers = new LinkedHashMap<>(ctx.headerMap());
            GatewayEventIntake.Receipt r = intake.receive(ctx.pathParam("gateway"), ctx.body(), headers);
            Map<String, Object> view = new LinkedHashMap<>();
            view.put("object", "gateway_event");
            view.put("id", r.eventId());
            view.put("type", r.type());
            view.put("result", r.result());
            view.put("reason", r.reason());
            Responses.json(ctx, 200, view);
        });
    }
}
