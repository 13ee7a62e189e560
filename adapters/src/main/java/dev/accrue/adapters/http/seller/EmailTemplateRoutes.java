package dev.accrue.adapters.http.seller;

import dev.accrue.adapters.http.support.Requests;
import dev.accrue.adapters.http.support.Responses;
import dev.accrue.app.document.EmailTemplate;
import dev.accrue.app.document.EmailTemplateService;
import io.javalin.config.RoutesConfig;

/** /v1/tenant/email_templates/{kind}: the tenant's own subject line and intro of one kind of document email. */
public final class EmailTemplateRoutes {
    private final EmailTemplateService templates;

    public EmailTemplateRoutes(EmailTemplateService templates) {
        this.templates = templates;
    }

    record Body(String subject, String intro) {
    }

    record View(String object, String kind, String subject, String intro) {
        static View of(EmailTemplate t) {
            return new View("email_template", t.kind(), t.subject(), t.intro());
        }
    }

    public void register(RoutesConfig app) {
        app.get("/v1/tenant/email_templates/{kind}", ctx -> Responses.json(ctx, 200,
                View.of(templates.get(Requests.caller(ctx), ctx.pathParam("kind")))));
        app.put("/v1/tenant/email_templates/{kind}", ctx -> {
            Body body = Requests.body(ctx, Body.class);
            Responses.json(ctx, 200, View.of(templates.replace(Requests.caller(ctx), new EmailTemplate(ctx.pathParam("kind"), body.subject(), body.intro()))));
        });
    }
}
