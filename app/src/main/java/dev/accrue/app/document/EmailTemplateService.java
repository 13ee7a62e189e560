package dev.accrue.app.document;

import dev.accrue.app.audit.AuditLog;
import dev.accrue.app.auth.Caller;
import dev.accrue.app.tx.Transactions;

import java.time.Clock;
import java.util.HashMap;
import java.util.Map;

/**
 * A tenant's wording of its document emails, read and replaced per kind. A template is checked by the renderer before
 * it is stored ({@link DocumentRenderer#checkEmailTemplate}): an unknown placeholder or broken syntax is
 * {@code invalid_template} naming it, and nothing is stored.
 */
public final class EmailTemplateService {
    private final Transactions tx;
    private final EmailTemplateRepository templates;
    private final DocumentRenderer renderer;
    private final AuditLog audit;
    private final Clock clock;

    public EmailTemplateService(Transactions tx, EmailTemplateRepository templates, DocumentRenderer renderer, AuditLog audit, Clock clock) {
        this.tx = tx;
        this.templates = templates;
        this.renderer = renderer;
        this.audit = audit;
        this.clock = clock;
    }

    public EmailTemplate get(Caller caller, String kind) {
        EmailTemplate builtIn = EmailTemplate.builtIn(kind);
        return tx.inTransaction(() -> templates.find(caller.tenantId(), kind).orElse(builtIn));
    }

    /** The tenant's wording of {@code kind} emails, null when it kept the built-in one (read when the outbox renders). */
    public EmailTemplate wordingOf(String tenantId, String kind) {
        if (!EmailTemplate.KINDS.contains(kind)) {
            return null;
        }
        return tx.inTransaction(() -> templates.find(tenantId, kind).orElse(null));
    }

    public EmailTemplate replace(Caller caller, EmailTemplate template) {
        caller.requireWrite();
        renderer.checkEmailTemplate(template);
        return tx.inTransaction(() -> {
            EmailTemplate before = templates.find(caller.tenantId(), template.kind()).orElse(EmailTemplate.builtIn(template.kind()));
            templates.save(caller.tenantId(), template, clock.instant());
            audit.record(caller, "tenant", caller.tenantId(), "email_template.updated", view(before), view(template));
            return template;
        });
    }

    private static Map<String, Object> view(EmailTemplate t) {
        Map<String, Object> m = new HashMap<>();
        m.put("kind", t.kind());
        m.put("subject", t.subject());
        m.put("intro", t.intro());
        return m;
    }
}
