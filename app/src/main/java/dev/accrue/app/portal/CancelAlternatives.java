package dev.accrue.app.portal;

import dev.accrue.app.audit.AuditLog;
import dev.accrue.app.auth.Caller;
import dev.accrue.app.catalog.CatalogService;
import dev.accrue.app.tx.Transactions;
import dev.accrue.core.error.AccrueException;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The tenant's alternatives to cancelling, shown on the portal's cancel page: configured through the API, replaced
 * as a whole, audited. A downgrade must name a plan of the tenant's current catalog (checked when saved; the portal
 * shows it only while the plan still exists and is not the customer's own). A contact link is https, mailto or tel
 * only, so a configured link can never run script in the customer's browser.
 */
public final class CancelAlternatives {
    public static final int MAX = 5;
    private static final Pattern URL = Pattern.compile("(https://[^\\s\"'<>]+|mailto:[^\\s\"'<>]+|tel:\\+?[0-9 ()./-]+)");
    private final Transactions tx;
    private final CancelAlternativeRepository repo;
    private final CatalogService catalogs;
    private final AuditLog audit;

    public CancelAlternatives(Transactions tx, CancelAlternativeRepository repo, CatalogService catalogs, AuditLog audit) {
        this.tx = tx;
        this.repo = repo;
        this.catalogs = catalogs;
        this.audit = audit;
    }

    public List<CancelAlternative> list(Caller caller) {
        return tx.inTransaction(() -> repo.list(caller.tenantId()));
    }

    /** One alternative as the API sends it (kind as text); checked and normalized by {@link #replace}. */
    public record Requested(String kind, String plan, String label, String url, String message) {
    }

    public List<CancelAlternative> replace(Caller caller, List<Requested> requested) {
        caller.requireWrite();
        if (requested == null) {
            throw AccrueException.invalid("alternatives", "alternatives is required (an empty list offers none)");
        }
        if (requested.size() > MAX) {
            throw AccrueException.invalid("alternatives", "at most " + MAX + " alternatives, got " + requested.size());
        }
        return tx.inTransaction(() -> {
            List<CancelAlternative> checked = new ArrayList<>();
            for (int i = 0; i < requested.size(); i++) {
                checked.add(check(caller, "alternatives[" + i + "]", requested.get(i)));
            }
            List<CancelAlternative> before = repo.list(caller.tenantId());
            repo.replace(caller.tenantId(), checked);
            audit.record(caller, "tenant", caller.tenantId(), "tenant.cancel_alternatives_updated", Map.of("alternatives", before),
                    Map.of("alternatives", checked));
            return checked;
        });
    }

    private CancelAlternative check(Caller caller, String at, Requested r) {
        if (r == null || r.kind() == null) {
            throw AccrueException.invalid(at + ".kind", at + ".kind is required: downgrade, contact or pause");
        }
        String message = optional(at + ".message", r.message(), 300);
        switch (r.kind().toLowerCase(Locale.ROOT)) {
            case "downgrade" -> {
                String plan = optional(at + ".plan", r.plan(), 100);
                if (plan == null) {
                    throw AccrueException.invalid(at + ".plan", at + ".plan is required for a downgrade");
                }
                boolean known = catalogs.current(caller, null).catalog().plans().stream().anyMatch(p -> p.code().equals(plan));
                if (!known) {
                    throw AccrueException.invalid(at + ".plan", at + ".plan '" + plan + "' is not a plan of the current catalog");
                }
                if (r.label() != null || r.url() != null) {
                    throw AccrueException.invalid(at, at + ": a downgrade takes plan and message only");
                }
                return new CancelAlternative(CancelAlternative.Kind.DOWNGRADE, plan, null, null, message);
            }
            case "contact" -> {
                String label = optional(at + ".label", r.label(), 100);
                String url = optional(at + ".url", r.url(), 500);
                if (label == null || url == null) {
                    throw AccrueException.invalid(at, at + ": a contact needs label and url");
                }
                if (!URL.matcher(url).matches()) {
                    throw AccrueException.invalid(at + ".url", at + ".url must be an https, mailto or tel link");
                }
                if (r.plan() != null) {
                    throw AccrueException.invalid(at + ".plan", at + ": a contact takes label, url and message only");
                }
                return new CancelAlternative(CancelAlternative.Kind.CONTACT, null, label, url, message);
            }
            case "pause" -> {
                if (r.plan() != null || r.label() != null || r.url() != null) {
                    throw AccrueException.invalid(at, at + ": a pause takes message only (the customer picks the resume date)");
                }
                return new CancelAlternative(CancelAlternative.Kind.PAUSE, null, null, null, message);
            }
            default -> throw AccrueException.invalid(at + ".kind", at + ".kind must be downgrade, contact or pause, got '" + r.kind() + "'");
        }
    }

    private static String optional(String field, String value, int max) {
        if (value == null || value.isBlank()) {
            return null;
        }
        if (value.length() > max) {
            throw AccrueException.invalid(field, field + " is at most " + max + " characters");
        }
        return value.strip();
    }
}
