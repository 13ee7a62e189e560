package dev.accrue.adapters.http.console;

import dev.accrue.app.audit.AuditHistory;
import dev.accrue.app.billing.BillingService;
import dev.accrue.app.billingrun.BillingRuns;
import dev.accrue.app.catalog.CatalogService;
import dev.accrue.app.console.StaffService;
import dev.accrue.app.creditnote.CreditNoteService;
import dev.accrue.app.customer.CustomerService;
import dev.accrue.app.invoice.InvoiceService;
import dev.accrue.app.payment.PaymentMethodService;
import dev.accrue.app.payment.PaymentService;
import dev.accrue.app.subscription.SubscriptionService;
import dev.accrue.app.wallet.WalletService;

import java.time.Clock;

/** The use cases the console pages call, on behalf of a staff user. */
public record ConsoleUseCases(StaffService staff, CustomerService customers, SubscriptionService subscriptions, BillingService billing,
                              InvoiceService invoices, WalletService wallets, CreditNoteService creditNotes, AuditHistory audit,
                              CatalogService catalogs, PaymentService payments, PaymentMethodService paymentMethods, BillingRuns billingRuns,
                              Clock clock) {
}
