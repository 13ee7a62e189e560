package dev.accrue.app.document;

import java.time.Instant;
import java.util.Optional;

/** A tenant's stored email wording per kind of document. */
public interface EmailTemplateRepository {
    Optional<EmailTemplate> find(String tenantId, String kind);

    void save(String tenantId, EmailTemplate template, Instant now);
}
