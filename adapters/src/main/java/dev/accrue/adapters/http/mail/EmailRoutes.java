package dev.accrue.adapters.http.mail;

import dev.accrue.adapters.http.support.Idempotency;
import dev.accrue.adapters.http.support.Requests;
import dev.accrue.adapters.http.support.Responses;
import dev.accrue.app.mail.EmailOutbox;
import dev.accrue.app.mail.EmailService;
import dev.accrue.app.mail.OutboundEmail;
import io.javalin.config.RoutesConfig;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/** /v1/emails: the outbox with each message's delivery log, and resending a message. */
public final class EmailRoutes {
    private final EmailService emails;
    private final Idempotency idempotency;

    public EmailRoutes(EmailService emails, Idempotency idempotency) {
        this.emails = emails;
        this.idempotency = idempotency;
    }

    record EmailView(String id, String object, String customerId, List<String> recipients, String template, String subject, String body,
                     List<String> attachments, String objectType, String objectId, String status, int attempts, String lastError, Instant createdAt,
                     Instant nextAttemptAt, Instant sentAt, String resendOf, List<AttemptView> deliveryLog) {
        static EmailView of(OutboundEmail e, List<EmailOutbox.Attempt> log) {
            return new EmailView(e.id(), "email", e.customerId(), e.recipients(), e.template(), e.subject(), e.body(), e.attachments(), e.objectType(),
                    e.objectId(), e.status(), e.attempts(), e.lastError(), e.createdAt(), e.nextAttemptAt(), e.sentAt(), e.resendOf(),
                    log == null ? null : log.stream().map(a -> new AttemptView(a.attempt(), a.at(), a.outcome(), a.detail())).toList());
        }
    }

    record AttemptView(int attempt, Instant at, String outcome, String detail) {
    }

    record ResendBody(List<String> to) {
    }

    public void register(RoutesConfig app) {
        app.get("/v1/emails", ctx -> Responses.list(ctx, emails.list(Requests.caller(ctx), ctx.queryParam("customer_id"), ctx.queryParam("object_id"),
                Requests.page(ctx)).map(e -> EmailView.of(e, null)), EmailView::id));
        app.get("/v1/emails/{id}", ctx -> {
            var found = emails.get(Requests.caller(ctx), ctx.pathParam("id"));
            Responses.json(ctx, 200, EmailView.of(found.email(), found.attempts()));
        });
        app.post("/v1/emails/{id}/resend", ctx -> {
            ResendBody body = ctx.body().isBlank() ? new ResendBody(null) : Requests.body(ctx, ResendBody.class);
            // a retried resend (same Idempotency-Key) queues no second copy
            idempotency.create(ctx, 201, () -> EmailView.of(emails.resend(Requests.caller(ctx), ctx.pathParam("id"), body.to()), List.of()));
        });
    }
}
