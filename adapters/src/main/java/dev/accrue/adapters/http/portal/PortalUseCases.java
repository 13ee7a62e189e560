package dev.accrue.adapters.http.portal;

import dev.accrue.app.addon.AddOnService;
import dev.accrue.app.billing.BillingService;
import dev.accrue.app.budget.BudgetService;
import dev.accrue.app.catalog.CatalogService;
import dev.accrue.app.creditnote.CreditNoteService;
import dev.accrue.app.customer.CustomerService;
import dev.accrue.app.document.DocumentService;
import dev.accrue.app.invoice.InvoiceService;
import dev.accrue.app.metering.UsageQueries;
import dev.accrue.app.alert.UsageAlertService;
import dev.accrue.app.notification.NotificationService;
import dev.accrue.app.payment.PaymentMethodService;
import dev.accrue.app.payment.PaymentService;
import dev.accrue.app.portal.CancelAlternatives;
import dev.accrue.app.portal.PortalAccess;
import dev.accrue.app.quota.QuotaService;
import dev.accrue.app.rental.PhoneNumberService;
import dev.accrue.app.seller.SellerService;
import dev.accrue.app.subscription.SubscriptionService;
import dev.accrue.app.subscription.pause.PauseService;
import dev.accrue.app.wallet.WalletService;
import dev.accrue.app.web.WebSessions;

/** The use cases the portal pages call: the same ones the API calls, never a second path to the data. */
public record PortalUseCases(PortalAccess access, WebSessions sessions, CustomerService customers, SubscriptionService subscriptions,
                             BillingService billing, UsageQueries usage, QuotaService quotas, WalletService wallets, InvoiceService invoices,
                             DocumentService documents, CreditNoteService creditNotes, CatalogService catalogs, AddOnService addOns,
                             PhoneNumberService numbers, SellerService sellers,
                             PaymentMethodService paymentMethods, PaymentService payments, NotificationService notifications,
                             UsageAlertService usageAlerts, CancelAlternatives cancelAlternatives,
                             BudgetService budgets, PauseService pauses) {
}
