package dev.accrue.app.portal;

import dev.accrue.app.audit.AuditLog;
import dev.accrue.app.auth.Caller;
import dev.accrue.app.customer.CustomerRepository;
import dev.accrue.app.id.Ids;
import dev.accrue.app.notification.NotificationRepository;
import dev.accrue.app.tx.Transactions;
import dev.accrue.app.web.Secrets;
import dev.accrue.app.web.WebSession;
import dev.accrue.app.web.WebSessions;
import dev.accrue.core.error.AccrueException;
import dev.accrue.core.error.ErrorCode;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.IllformedLocaleException;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Entry to the billing portal. The tenant's backend asks for a link for one user of one customer; the link is
 * short-lived and single-use, and is exchanged for a browser session bound to that customer, which every portal
 * page is then confined to.
 */
public final class PortalAccess {
    public static final Duration LINK_LIFETIME = Duration.ofMinutes(10);
    public static final Duration SESSION_LIFETIME = Duration.ofHours(1);
    public static final String ENTRY_PATH = "/portal/enter/";
    private static final Pattern EMAIL = Pattern.compile("[^@\\s]{1,64}@[^@\\s]+\\.[^@\\s]+");
    private final Transactions tx;
    private final PortalLinkRepository links;
    private final CustomerRepository customers;
    private final NotificationRepository customerLanguages;
    private final WebSessions sessions;
    private final AuditLog audit;
    private final Clock clock;

    /** {@code customerLanguages}: the customer's own language (its notification language), for links that name none. */
    public PortalAccess(Transactions tx, PortalLinkRepository links, CustomerRepository customers, NotificationRepository customerLanguages,
                        WebSessions sessions, AuditLog audit, Clock clock) {
        this.tx = tx;
        this.links = links;
        this.customers = customers;
        this.customerLanguages = customerLanguages;
        this.sessions = sessions;
        this.audit = audit;
        this.clock = clock;
    }

    public record IssuedLink(PortalLink link, String path) {
    }

    public IssuedLink createLink(Caller caller, String customerId, String email, String role, String returnUrl, String locale) {
        caller.requireWrite();
        PortalRole portalRole = PortalRole.fromWire(role);
        if (portalRole == null) {
            throw AccrueException.invalid("role", "role must be admin or member, got '" + role + "'");
        }
        if (email == null || email.length() > 254 || !EMAIL.matcher(email).matches()) {
            throw AccrueException.invalid("email", "email must be the customer user's email address");
        }
        String url = returnUrl(returnUrl);
        String requested = locale(locale);
        Instant now = clock.instant();
        String token = Secrets.newToken();
        return tx.inTransaction(() -> {
            if (customerId == null || customers.find(caller.tenantId(), customerId).isEmpty()) {
                throw new AccrueException(ErrorCode.UNKNOWN_CUSTOMER, "customer_id", "No customer " + customerId);
            }
            // the pages speak the link's language, else the customer's own (the one it set for its notifications), else the browser's
            String tag = requested != null ? requested : customerLanguages.locale(caller.tenantId(), customerId).orElse(null);
            PortalLink link = new PortalLink(caller.tenantId(), Ids.next("pl"), customerId, email, portalRole, url, tag, now.plus(LINK_LIFETIME));
            links.insert(caller.tenantId(), link, Secrets.hash(token), caller.actor().wire(), now);
            audit.record(caller, "customer", customerId, "portal_link.created", null,
                    java.util.Map.of("link", link.id(), "email", email, "role", portalRole.wire(), "expires_at", link.expiresAt().toString()));
            return new IssuedLink(link, ENTRY_PATH + token);
        });
    }

    /** Exchanges a link's token for a portal session; an unknown, used or expired token is refused alike. */
    public WebSessions.Opened enter(String token) {
        if (token == null || token.length() > 100) {
            throw expired();
        }
        PortalLink link = tx.inTransaction(() -> links.consume(Secrets.hash(token), clock.instant())).orElseThrow(PortalAccess::expired);
        return sessions.open(link.tenantId(), WebSession.PORTAL, link.customerId(), link.email(), link.role().wire(), link.locale(), link.returnUrl(),
                SESSION_LIFETIME);
    }

    /** The language a link was issued in, used or expired alike (null: none, or no such link): for the page that refuses it. */
    public String languageOf(String token) {
        if (token == null || token.length() > 100) {
            return null;
        }
        return tx.inTransaction(() -> links.localeOf(Secrets.hash(token))).orElse(null);
    }

    private static AccrueException expired() {
        return new AccrueException(ErrorCode.UNAUTHENTICATED, "This portal link has expired or was already used; ask for a new one");
    }

    private static String returnUrl(String text) {
        if (text == null) {
            return null;
        }
        if (text.length() > 2000) {
            throw AccrueException.invalid("return_url", "return_url is longer than 2000 characters");
        }
        try {
            URI uri = new URI(text);
            if (!("https".equals(uri.getScheme()) || "http".equals(uri.getScheme())) || uri.getHost() == null) {
                throw AccrueException.invalid("return_url", "return_url must be an absolute http(s) URL");
            }
            return uri.toString();
        } catch (URISyntaxException e) {
            throw AccrueException.invalid("return_url", "return_url must be an absolute http(s) URL");
        }
    }

    private static String locale(String tag) {
        if (tag == null) {
            return null;
        }
        try {
            Locale locale = new Locale.Builder().setLanguageTag(tag).build();
            if (locale.getLanguage().isEmpty()) {
                throw new IllformedLocaleException("no language");
            }
            return locale.toLanguageTag();
        } catch (IllformedLocaleException e) {
            throw AccrueException.invalid("locale", "locale must be a language tag such as en-US or de-DE, got '" + tag + "'");
        }
    }
}
