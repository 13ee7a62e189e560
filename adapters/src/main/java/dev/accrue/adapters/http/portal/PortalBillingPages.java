package dev.accrue.adapters.http.portal;

import dev.accrue.app.document.Document;
import dev.accrue.app.invoice.Invoice;
import dev.accrue.app.invoice.InvoiceQuery;
import dev.accrue.app.page.PageRequest;
import dev.accrue.core.customer.Customer;
import dev.accrue.core.error.AccrueException;
import dev.accrue.core.invoice.InvoiceLine;
import dev.accrue.core.invoice.InvoiceStatus;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/** Portal admin pages about money: invoices (view, PDF), credit notes, receipts, the wallet and its top-up. */
public final class PortalBillingPages {
    private final Portal portal;

    public PortalBillingPages(Portal portal) {
        this.portal = portal;
    }

    public void register(RoutesConfig app) {
        var area = portal.area();
        area.get(app, "/portal/invoices", Portal.ADMIN, (ctx, session) -> {
            PortalScope scope = portal.scope(session);
            String customerId = scope.customer().id();
            // a parent's own invoices (consolidated ones among them) and those of the accounts it pays for, each labelled
            Map<String, String> accountOf = new HashMap<>();
            List<Invoice> invoices = new ArrayList<>();
            for (Customer account : accounts(scope)) {
                for (Invoice i : portal.uc().invoices().list(scope.caller(), new InvoiceQuery(account.id(), null, null, null, null),
                        PageRequest.first(PageRequest.MAX_LIMIT)).items()) {
                    if (i.status() != InvoiceStatus.DRAFT) {
                        invoices.add(i);
                        accountOf.put(i.id(), label(i, account));
                    }
                }
            }
            invoices.sort(Comparator.comparing(Invoice::issueDate).thenComparing(Invoice::id).reversed());
            Map<String, Object> page = new LinkedHashMap<>();
            page.put("invoices", invoices);
            page.put("accountOf", scope.children().isEmpty() ? Map.of() : accountOf);
            page.put("creditNotes", portal.uc().creditNotes().list(scope.caller(), customerId, null, PageRequest.first(PageRequest.MAX_LIMIT)).items());
            page.put("receipts", portal.uc().wallets().receipts(scope.caller(), customerId, PageRequest.first(PageRequest.MAX_LIMIT)).items());
            portal.render(ctx, session, scope, "invoices", page);
        });
        area.get(app, "/portal/invoices/{id}", Portal.ADMIN, (ctx, session) -> {
            PortalScope scope = portal.scope(session);
            Invoice invoice = visible(scope.invoice(ctx.pathParam("id")));
            portal.render(ctx, session, scope, "invoice", Map.of("invoice", invoice));
        });
        area.get(app, "/portal/invoices/{id}/pdf", Portal.ADMIN, (ctx, session) -> {
            PortalScope scope = portal.scope(session);
            Invoice invoice = visible(scope.invoice(ctx.pathParam("id")));
            pdf(ctx, portal.uc().documents().invoice(scope.caller(), invoice.id()));
        });
        area.get(app, "/portal/receipts/{id}/pdf", Portal.ADMIN, (ctx, session) -> {
            PortalScope scope = portal.scope(session);
            pdf(ctx, portal.uc().documents().receipt(scope.caller(), scope.receipt(ctx.pathParam("id")).id()));
        });
        area.get(app, "/portal/credit_notes/{id}", Portal.ADMIN, (ctx, session) -> {
            PortalScope scope = portal.scope(session);
            portal.render(ctx, session, scope, "credit_note", Map.of("note", scope.creditNote(ctx.pathParam("id"))));
        });
        area.get(app, "/portal/wallet", Portal.ADMIN, (ctx, session) -> {
            PortalScope scope = portal.scope(session);
            portal.render(ctx, session, scope, "wallet", Map.of("wallet", portal.uc().wallets().view(scope.caller(), scope.customer().id()),
                    "entries", portal.uc().wallets().history(scope.caller(), scope.customer().id(), PageRequest.first(50)).items()));
        });
        area.post(app, "/portal/wallet/top_up", Portal.ADMIN, (ctx, session) -> {
            PortalScope scope = portal.scope(session);
            BigDecimal amount = amount(Portal.field(ctx, "amount", 20));
            portal.uc().wallets().topUp(scope.caller(), scope.customer().id(), amount, scope.customer().currency().getCurrencyCode(), "Top-up in the billing portal");
            ctx.redirect("/portal/wallet?notice=topped_up");
        });
    }

    /** The signed-in customer and the accounts it pays for (its children), whose invoices its portal lists. */
    private static List<Customer> accounts(PortalScope scope) {
        List<Customer> accounts = new ArrayList<>();
        accounts.add(scope.customer());
        accounts.addAll(scope.children());
        return accounts;
    }

    /** A child's invoice is labelled with the child; a consolidated one with the children it has sections for. */
    private static String label(Invoice invoice, Customer account) {
        List<String> sections = invoice.lines().stream().map(InvoiceLine::section).filter(Objects::nonNull).map(InvoiceLine.Section::name)
                .distinct().toList();
        return sections.isEmpty() ? account.legalName() : String.join(", ", sections);
    }

    /** Drafts are the seller's work in progress: a customer sees documents once they are issued. */
    private static Invoice visible(Invoice invoice) {
        if (invoice.status() == InvoiceStatus.DRAFT) {
            throw AccrueException.notFound("invoice", invoice.id());
        }
        return invoice;
    }

    private void pdf(Context ctx, Document d) {
        byte[] bytes = portal.uc().documents().pdf(d);
        ctx.status(200).contentType("application/pdf")
                .header("Content-Disposition", "attachment; filename=\"" + d.number().replaceAll("[^A-Za-z0-9._-]", "_") + ".pdf\"").result(bytes);
    }

    static BigDecimal amount(String text) {
        try {
            BigDecimal amount = new BigDecimal(text.replace(',', '.'));
            if (amount.signum() <= 0) {
                throw AccrueException.invalid("amount", "amount must be positive");
            }
            return amount;
        } catch (NumberFormatException e) {
            throw AccrueException.invalid("amount", "amount must be a number such as 25.00");
        }
    }
}
