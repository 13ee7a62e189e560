package dev.accrue.adapters.http.portal;

import dev.accrue.adapters.http.support.Requests;
import dev.accrue.adapters.http.support.Responses;
import dev.accrue.app.portal.CancelAlternative;
import dev.accrue.app.portal.CancelAlternatives;
import io.javalin.config.RoutesConfig;

import java.util.List;
import java.util.Locale;

/** {@code GET}/{@code PUT /v1/tenant/cancel_alternatives}: what the portal's cancel page offers instead of cancelling. */
public final class CancelAlternativeRoutes {
    private final CancelAlternatives alternatives;

    public CancelAlternativeRoutes(CancelAlternatives alternatives) {
        this.alternatives = alternatives;
    }

    record Body(List<CancelAlternatives.Requested> alternatives) {
    }

    record AlternativeView(String kind, String plan, String label, String url, String message) {
        static AlternativeView of(CancelAlternative a) {
            return new AlternativeView(a.kind().name().toLowerCase(Locale.ROOT), a.plan(), a.label(), a.url(), a.message());
        }
    }

    record View(String object, List<AlternativeView> alternatives) {
        static View of(List<CancelAlternative> list) {
            return new View("cancel_alternatives", list.stream().map(AlternativeView::of).toList());
        }
    }

    public void register(RoutesConfig app) {
        app.get("/v1/tenant/cancel_alternatives", ctx -> Responses.json(ctx, 200, View.of(alternatives.list(Requests.caller(ctx)))));
        app.put("/v1/tenant/cancel_alternatives", ctx -> {
            Body b = Requests.body(ctx, Body.class);
            Responses.json(ctx, 200, View.of(alternatives.replace(Requests.caller(ctx), b.alternatives())));
        });
    }
}
