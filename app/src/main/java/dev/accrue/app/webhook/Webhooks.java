package dev.accrue.app.webhook;

import dev.accrue.app.audit.AuditLog;
import dev.accrue.app.event.DomainEvents;
import dev.accrue.app.tx.Transactions;

import java.time.Clock;

/** The webhook parts of a node: the endpoints API, the fan-out from the event outbox, and what a dispatcher is built from. */
public record Webhooks(WebhookEndpointService endpoints, WebhookFanout fanout, Transactions tx, WebhookRepository repository, WebhookUrls urls,
                       DomainEvents events, AuditLog audit, WebhookSettings settings) {

    /** A dispatcher sending through {@code sender} on {@code clock} (the system clock in production). */
    public WebhookDispatcher dispatcher(WebhookSender sender, Clock clock) {
        return new WebhookDispatcher(tx, repository, urls, sender, events, audit, settings, clock);
    }
}
