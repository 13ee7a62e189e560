package dev.accrue.app.web;

import java.time.Instant;

/**
 * A signed-in browser: a portal customer user (subject = customer id) or a console staff user (subject = staff
 * id). {@code csrfToken} is the synchronizer token every form of this session must echo.
 */
public record WebSession(String tenantId, String kind, String subjectId, String email, String role, String csrfToken, String locale,
                         String returnUrl, Instant expiresAt) {
    public static final String PORTAL = "portal";
    public static final String CONSOLE = "console";
}
