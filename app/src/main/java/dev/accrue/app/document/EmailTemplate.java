package dev.accrue.app.document;

import dev.accrue.core.error.AccrueException;

import java.util.List;

/**
 * A tenant's own wording for one kind of document email: the {@code subject} line and an {@code intro} paragraph put
 * before the built-in body, each a template with placeholders ({@code {{ invoice.number }}}, {@code {{ customer.name }}},
 * {@code {{ amount_due }}} …, see docs/documents.md); null keeps the built-in wording.
 */
public record EmailTemplate(String kind, String subject, String intro) {
    /** The document emails a tenant may word: the outbox's templates. */
    public static final List<String> KINDS = List.of("invoice", "credit_note", "proforma", "receipt", "payment_receipt", "statement");
    public static final int SUBJECT_MAX = 200;
    public static final int INTRO_MAX = 2000;

    public EmailTemplate {
        if (!KINDS.contains(kind)) {
            throw AccrueException.notFound("email_template", kind);
        }
        subject = subject == null || subject.isBlank() ? null : subject.strip();
        intro = intro == null || intro.isBlank() ? null : intro.strip();
        if (subject != null && (subject.length() > SUBJECT_MAX || subject.contains("\n") || subject.contains("\r"))) {
            throw AccrueException.invalid("subject", "subject is one line of at most " + SUBJECT_MAX + " characters");
        }
        if (intro != null && intro.length() > INTRO_MAX) {
            throw AccrueException.invalid("intro", "intro is at most " + INTRO_MAX + " characters");
        }
    }

    public static EmailTemplate builtIn(String kind) {
        return new EmailTemplate(kind, null, null);
    }
}
