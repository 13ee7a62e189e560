package dev.accrue.server.web;

import dev.accrue.adapters.http.console.ConsolePages;
import dev.accrue.adapters.http.console.ConsolePasswordPages;
import dev.accrue.adapters.http.console.ConsoleUseCases;
import dev.accrue.adapters.http.portal.CancelAlternativeRoutes;
import dev.accrue.adapters.http.portal.Portal;
import dev.accrue.adapters.http.portal.PortalAccessRoutes;
import dev.accrue.adapters.http.portal.PortalBillingPages;
import dev.accrue.adapters.http.portal.PortalNumberPages;
import dev.accrue.adapters.http.portal.PortalNotificationPages;
import dev.accrue.adapters.http.portal.PortalOverviewPages;
import dev.accrue.adapters.http.portal.PortalPauseRoutes;
import dev.accrue.adapters.http.portal.PortalPaymentPages;
import dev.accrue.adapters.http.portal.PortalPlanPages;
import dev.accrue.adapters.http.portal.PortalUseCases;
import dev.accrue.adapters.http.support.Idempotency;
import dev.accrue.adapters.http.web.WebArea;
import dev.accrue.adapters.http.web.WebAssets;
import dev.accrue.adapters.http.web.WebTemplates;
import dev.accrue.app.web.WebSession;
import dev.accrue.server.PaymentGateways;
import dev.accrue.server.Services;
import io.javalin.config.RoutesConfig;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/** Wires the web pages (landing, customer portal, operator console) to the node's use cases. */
public final class WebRoutes {
    private final Services services;
    private final Idempotency idempotency;
    private final Supplier<String> publicUrl;
    private final List<WebArea> areas = new ArrayList<>();

    public WebRoutes(Services services, Idempotency idempotency, Supplier<String> publicUrl) {
        this.services = services;
        this.idempotency = idempotency;
        this.publicUrl = publicUrl;
    }

    public void register(RoutesConfig app) {
        WebTemplates templates = new WebTemplates();
        Services s = services;
        new WebAssets(templates).register(app);
        WebArea portalArea = new WebArea(WebSession.PORTAL, Portal.COOKIE, "/portal", null, s.webSessions(), templates, s.tx());
        Portal portal = new Portal(new PortalUseCases(s.portalAccess(), s.webSessions(), s.customers(), s.subscriptions(), s.billing(), s.usage(),
                s.quotas(), s.wallets(), s.invoices(), s.documents(), s.creditNotes(), s.catalogs(), s.addOns(), s.numbers(), s.sellers(),
                s.paymentMethods(), s.payments(), s.notifications().api(), s.usageAlerts(), s.cancelAlternatives(), s.budgets(), s.pauses()), portalArea);
        new PortalAccessRoutes(s.portalAccess(), portalArea, idempotency, publicUrl).register(app);
        new CancelAlternativeRoutes(s.cancelAlternatives()).register(app);
        new PortalOverviewPages(portal).register(app);
        new PortalBillingPages(portal).register(app);
        new PortalPlanPages(portal).register(app);
        new PortalNumberPages(portal).register(app);
        new PortalPaymentPages(portal, PaymentGateways.publishableKey(System.getenv())).register(app);
        new PortalNotificationPages(portal).register(app);
        new PortalPauseRoutes(portal).register(app);
        WebArea consoleArea = new WebArea(WebSession.CONSOLE, ConsolePages.COOKIE, "/console", "/console/login", s.webSessions(), templates, s.tx());
        new ConsolePages(new ConsoleUseCases(s.staff(), s.customers(), s.subscriptions(), s.billing(), s.invoices(), s.wallets(), s.creditNotes(),
                s.audit(), s.catalogs(), s.payments(), s.paymentMethods(), s.billingRuns(), Clock.systemUTC()), consoleArea).register(app);
        new ConsolePasswordPages(s.staffPasswordResets(), consoleArea, publicUrl).register(app);
        areas.add(portalArea);
        areas.add(consoleArea);
    }

    /** The signed-in pages and forms of the portal and the console (once registered), each guarded by its area. */
    public List<WebArea.Route> signedInRoutes() {
        return areas.stream().flatMap(a -> a.routes().stream()).toList();
    }
}
