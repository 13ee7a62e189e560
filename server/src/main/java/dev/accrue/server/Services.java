package dev.accrue.server;

import dev.accrue.app.wallet.PrepaidDrawdown;
import dev.accrue.app.rental.PhoneNumberService;
import dev.accrue.app.addon.AddOnService;
import dev.accrue.adapters.postgres.PostgresPhoneNumbers;
import dev.accrue.adapters.postgres.PostgresAddOns;
import dev.accrue.adapters.catalog.CatalogYaml;
import dev.accrue.adapters.postgres.JdbiTransactions;
import dev.accrue.adapters.postgres.PostgresIngestionRows;
import dev.accrue.adapters.postgres.TableWriteWatch;
import dev.accrue.app.cache.TableWrites;
import dev.accrue.app.metering.IngestionLookups;
import dev.accrue.adapters.postgres.PostgresApiKeys;
import dev.accrue.adapters.postgres.PostgresAuthorizations;
import dev.accrue.adapters.postgres.PostgresAuditLog;
import dev.accrue.adapters.postgres.PostgresCatalogs;
import dev.accrue.adapters.postgres.PostgresContacts;
import dev.accrue.adapters.postgres.PostgresCoupons;
import dev.accrue.adapters.postgres.PostgresCreditNotes;
import dev.accrue.adapters.postgres.PostgresCredits;
import dev.accrue.adapters.postgres.PostgresCreditWallets;
import dev.accrue.adapters.postgres.PostgresCustomers;
import dev.accrue.adapters.postgres.PostgresIdempotencyStore;
import dev.accrue.adapters.postgres.PostgresBilledUsage;
import dev.accrue.adapters.postgres.PostgresDraftTerms;
import dev.accrue.adapters.postgres.PostgresInvoices;
import dev.accrue.adapters.postgres.PostgresConsolidatedInvoices;
import dev.accrue.adapters.postgres.PostgresPendingItems;
import dev.accrue.adapters.postgres.PostgresSubscriptionPhases;
import dev.accrue.adapters.postgres.PostgresProgressiveRecords;
import dev.accrue.adapters.postgres.PostgresQuotas;
import dev.accrue.adapters.postgres.PostgresSubscriptions;
import dev.accrue.adapters.postgres.PostgresTaxSettings;
import dev.accrue.adapters.postgres.PostgresTenants;
import dev.accrue.adapters.postgres.PostgresTestClocks;
import dev.accrue.adapters.postgres.PostgresUsage;
import dev.accrue.adapters.postgres.UsageRollups;
import dev.accrue.adapters.postgres.PostgresDomainEvents;
import dev.accrue.adapters.postgres.PostgresEmailOutbox;
import dev.accrue.adapters.postgres.PostgresWallets;
import dev.accrue.app.event.DomainEvents;
import dev.accrue.adapters.postgres.PostgresBillingRuns;
import dev.accrue.adapters.postgres.PostgresCustomerData;
import dev.accrue.adapters.postgres.PostgresUsagePartitions;
import dev.accrue.app.lifecycle.DataLifecycle;
import dev.accrue.app.lifecycle.UsagePartitioning;
import dev.accrue.app.billingrun.BillingRuns;
import dev.accrue.app.mail.EmailOutbox;
import dev.accrue.app.wallet.WalletService;
import dev.accrue.app.audit.AuditHistory;
import dev.accrue.app.authorization.AuthorizationService;
import dev.accrue.app.audit.AuditLog;
import dev.accrue.app.billing.AddOnBillings;
import dev.accrue.app.billing.BillingService;
import dev.accrue.app.billing.InvoiceIssuer;
import dev.accrue.app.billing.OwnCadenceUsage;
import dev.accrue.app.billing.ProgressiveInvoicing;
import dev.accrue.app.billing.UsageInvoicing;
import dev.accrue.app.billing.CustomerTime;
import dev.accrue.app.billing.UpcomingInvoice;
import dev.accrue.app.billing.DraftInvoices;
import dev.accrue.app.billing.DraftRegeneration;
import dev.accrue.app.catalog.CatalogService;
import dev.accrue.app.contact.ContactService;
import dev.accrue.app.contact.CountedBilling;
import dev.accrue.app.credit.CustomerCredits;
import dev.accrue.app.coupon.CouponService;
import dev.accrue.app.coupon.InvoiceDiscounts;
import dev.accrue.app.credit.InvoiceCreditConsumption;
import dev.accrue.app.creditwallet.CreditWalletBooks;
import dev.accrue.app.creditwallet.CreditWalletTopUps;
import dev.accrue.app.creditwallet.CreditWallets;
import dev.accrue.app.creditwallet.InvoiceCreditWallets;
import dev.accrue.app.creditnote.CreditNoteService;
import dev.accrue.app.creditnote.InvoiceVoids;
import dev.accrue.app.entitlement.EntitlementService;
import dev.accrue.app.invoice.ProformaInvoicing;
import dev.accrue.app.customer.CustomerService;
import dev.accrue.app.idempotency.IdempotencyService;
import dev.accrue.app.invoice.InvoiceService;
import dev.accrue.app.metering.MeteringService;
import dev.accrue.app.metering.UsageFold;
import dev.accrue.adapters.kafka.KafkaSettings;
import dev.accrue.adapters.kafka.KafkaUsageLog;
import dev.accrue.adapters.postgres.PostgresIntakeOffsets;
import dev.accrue.app.metering.UsageQueries;
import dev.accrue.app.telecom.PhoneNumberCountries;
import dev.accrue.app.quota.QuotaService;
import dev.accrue.app.subscription.ImmediateCancellation;
import dev.accrue.app.subscription.LiveSubscriptionsOfCustomer;
import dev.accrue.app.subscription.SubscriptionService;
import dev.accrue.app.tenant.ApiKeyService;
import dev.accrue.app.tax.DocumentTaxes;
import dev.accrue.app.tax.TaxService;
import dev.accrue.app.tenant.TenantService;
import dev.accrue.app.testclock.TestClockService;
import dev.accrue.adapters.einvoice.MustangEInvoices;
import dev.accrue.adapters.pdf.PdfDocumentRenderer;
import dev.accrue.adapters.pdf.Templates;
import dev.accrue.adapters.postgres.PostgresDocuments;
import dev.accrue.adapters.postgres.PostgresSellers;
import dev.accrue.app.document.DocumentMail;
import dev.accrue.app.document.DocumentService;
import dev.accrue.app.export.CreditNoteExport;
import dev.accrue.app.export.InvoiceExport;
import dev.accrue.app.export.TaxReport;
import dev.accrue.app.tax.VatRegistration;
import dev.accrue.app.tax.VatRegistry;
import dev.accrue.app.mail.EmailService;
import dev.accrue.app.mail.MailComposer;
import dev.accrue.app.seller.SellerService;
import dev.accrue.adapters.postgres.PostgresAlerts;
import dev.accrue.adapters.postgres.PostgresBudgets;
import dev.accrue.app.advice.PlanAdvice;
import dev.accrue.app.alert.AlertFiring;
import dev.accrue.app.alert.AlertPace;
import dev.accrue.app.alert.UsageAlertEvaluator;
import dev.accrue.app.alert.UsageAlertService;
import dev.accrue.app.budget.BudgetService;
import dev.accrue.app.budget.CostAllocation;
import dev.accrue.app.metering.UsageListener;
import dev.accrue.adapters.payment.sandbox.SandboxGateway;
import dev.accrue.adapters.postgres.PostgresPaymentMethods;
import dev.accrue.adapters.postgres.PostgresPayments;
import dev.accrue.adapters.postgres.PostgresDisputes;
import dev.accrue.adapters.payment.sandbox.SandboxEvents;
import dev.accrue.app.phase.PhaseBilling;
import dev.accrue.app.payment.CollectionBatch;
import dev.accrue.app.payment.CollectionRunner;
import dev.accrue.app.payment.Dunning;
import dev.accrue.app.payment.PaymentApplication;
import dev.accrue.app.payment.PaymentMethodService;
import dev.accrue.app.payment.PaymentService;
import dev.accrue.app.payment.gateway.PaymentGateway;
import dev.accrue.app.payment.GatewayEventIntake;
import dev.accrue.app.payment.ProcessingPoller;
import dev.accrue.app.payment.Recollection;
import dev.accrue.app.payment.DisputeService;
import dev.accrue.app.payment.TakeBacks;
import dev.accrue.adapters.payment.stripe.StripeGateway;
import dev.accrue.adapters.payment.stripe.StripeSettings;
import dev.accrue.adapters.json.Json;
import dev.accrue.adapters.postgres.PostgresConsumerPositions;
import dev.accrue.adapters.postgres.PostgresWebhooks;
import dev.accrue.adapters.webhook.DnsWebhookUrls;
import dev.accrue.app.webhook.AddressPolicy;
import dev.accrue.app.webhook.WebhookEndpointService;
import dev.accrue.app.webhook.WebhookFanout;
import dev.accrue.app.webhook.WebhookSettings;
import dev.accrue.app.webhook.WebhookUrls;
import dev.accrue.app.webhook.Webhooks;
import dev.accrue.adapters.notification.TemplateNotificationTexts;
import dev.accrue.adapters.postgres.PostgresNotifications;
import dev.accrue.app.notification.NotificationService;
import dev.accrue.app.notification.Notifications;
import dev.accrue.adapters.password.Argon2idPasswords;
import dev.accrue.adapters.postgres.PostgresPortalLinks;
import dev.accrue.adapters.postgres.PostgresStaff;
import dev.accrue.adapters.postgres.PostgresWebSessions;
import dev.accrue.app.console.StaffPasswordResets;
import dev.accrue.app.console.StaffService;
import dev.accrue.app.portal.PortalAccess;
import dev.accrue.app.portal.CancelAlternatives;
import dev.accrue.adapters.postgres.PostgresCancelAlternatives;
import dev.accrue.app.web.WebSessions;
import dev.accrue.adapters.postgres.PostgresScheduledActions;
import dev.accrue.adapters.postgres.PostgresOneOffCharges;
import dev.accrue.adapters.postgres.PostgresPauses;
import dev.accrue.adapters.postgres.PostgresPriceMigrations;
import dev.accrue.app.subscription.pause.PauseService;
import dev.accrue.app.subscription.pause.PausedBilling;
import dev.accrue.app.oneoff.OneOffChargeService;
import dev.accrue.app.pricechange.PriceMigrationService;
import dev.accrue.app.pricechange.PriceMigrationsAtBoundary;
import dev.accrue.app.subscription.scheduled.DueScheduledActions;
import dev.accrue.app.subscription.scheduled.ScheduledActionService;
import dev.accrue.adapters.postgres.PostgresEmailTemplates;
import dev.accrue.app.document.EmailTemplateService;
import org.jdbi.v3.core.Jdbi;

import java.lang.management.ManagementFactory;
import java.time.Clock;
import java.util.Optional;
import java.time.Duration;
import java.util.function.Supplier;

/** Every use case of a node, wired to its PostgreSQL adapters. The one place that knows both sides. */
public record Services(
        JdbiTransactions tx,
        TenantService tenants,
        ApiKeyService apiKeys,
        CustomerService customers,
        AuditHistory audit,
        IdempotencyService idempotency,
        CatalogService catalogs,
        SubscriptionService subscriptions,
        BillingService billing,
        InvoiceService invoices,
        TestClockService testClocks,
        MeteringService metering,
        UsageQueries usage,
        AuthorizationService authorizations,
        QuotaService quotas,
        WalletService wallets,
        EmailOutbox outbox,
        AddOnService addOns,
        PhoneNumberService numbers,
        ContactService contacts,
        EntitlementService entitlements,
        CustomerCredits credits,
        UpcomingInvoice upcomingInvoices,
        SellerService sellers,
        DocumentService documents,
        MailComposer mailComposer,
        EmailService emails,
        InvoiceExport exports,
        TaxService taxes,
        CreditNoteService creditNotes,
        CouponService coupons,
        DomainEvents events,
        TaxReport taxReport,
        UsageAlertService usageAlerts,
        UsageAlertEvaluator alertEvaluator,
        BudgetService budgets,
        PlanAdvice planAdvice,
        PaymentMethodService paymentMethods,
        PaymentService payments,
        CollectionRunner collections,
        SandboxGateway sandbox,
        Webhooks webhooks,
        Notifications notifications,
        BillingRuns billingRuns,
        WebSessions webSessions,
        PortalAccess portalAccess,
        StaffService staff,
        CancelAlternatives cancelAlternatives,
        CreditNoteExport creditNoteExports,
        ScheduledActionService scheduledActions,
        OneOffChargeService oneOffCharges,
        PauseService pauses,
        GatewayEventIntake gatewayEvents,
        DataLifecycle dataLifecycle,
        EmailTemplateService emailTemplates,
        ProcessingPoller processingPoller,
        DisputeService disputes,
        SandboxEvents sandboxEvents,
        StaffPasswordResets staffPasswordResets,
        PriceMigrationService priceMigrations,
        CreditWallets creditWallets,
        CreditWalletTopUps creditWalletTopUps,
        KafkaIntake kafkaIntake,
        DraftInvoices draftInvoices,
        UsagePartitioning usagePartitions,
        DraftRegeneration draftRegeneration,
        UsageRollups usageRollups) {

    /** This node in billing runs and logs: process id and host, as the JVM names itself. */
    private static final String NODE = ManagementFactory.getRuntimeMXBean().getName();

    /**
     * {@code publicUrl} is where customers reach this node (hosted document links in emails); it is asked
     * for when a link is made, since a node learns its port only once it listens.
     */
    public static Services wire(Jdbi jdbi, Clock systemClock, Supplier<String> publicUrl) {
        return wire(jdbi, systemClock, publicUrl, VatRegistrySettings.fromEnvironment(System.getenv()), WebhookSettings.DEFAULT);
    }

    /** {@code vatRegistry} checks customers' VAT ids on save ({@link VatRegistry#OFF}: format only). */
    public static Services wire(Jdbi jdbi, Clock systemClock, Supplier<String> publicUrl, VatRegistry vatRegistry) {
        return wire(jdbi, systemClock, publicUrl, vatRegistry, WebhookSettings.DEFAULT);
    }

    /** {@code webhookSettings}: where webhooks may go and when a failing endpoint is disabled (server settings). */
    public static Services wire(Jdbi jdbi, Clock systemClock, Supplier<String> publicUrl, WebhookSettings webhookSettings) {
        return wire(jdbi, systemClock, publicUrl, VatRegistrySettings.fromEnvironment(System.getenv()), webhookSettings);
    }

    public static Services wire(Jdbi jdbi, Clock systemClock, Supplier<String> publicUrl, VatRegistry vatRegistry, WebhookSettings webhookSettings) {
        return wire(jdbi, systemClock, publicUrl, vatRegistry, webhookSettings, PaymentGateways.stripeSettings(System.getenv()));
    }

    /** {@code stripe}: Stripe's settings when Stripe is the gateway (see PaymentGateways), empty for the built-in sandbox. */
    public static Services wire(Jdbi jdbi, Clock systemClock, Supplier<String> publicUrl, VatRegistry vatRegistry, WebhookSettings webhookSettings,
                                Optional<StripeSettings> stripeSettings) {
        return wire(jdbi, systemClock, publicUrl, vatRegistry, webhookSettings, stripeSettings, Optional.empty());
    }

    /** {@code kafka}: Kafka as the usage intake log (ACCRUE_KAFKA_BOOTSTRAP, see KafkaSettings); empty writes usage to PostgreSQL directly. */
    public static Services wire(Jdbi jdbi, Clock systemClock, Supplier<String> publicUrl, VatRegistry vatRegistry, WebhookSettings webhookSettings,
                                Optional<StripeSettings> stripeSettings, Optional<KafkaSettings> kafka) {
        // PostgreSQL keeps microseconds; ticking the clock at that precision makes what a use case returns
        // equal to what a later read returns.
        Clock clock = Clock.tick(systemClock, Duration.ofNanos(1_000));
        JdbiTransactions tx = new JdbiTransactions(jdbi);
        DomainEvents events = new PostgresDomainEvents(tx);
        PostgresTenants tenantRepo = new PostgresTenants(tx);
        AuditLog auditLog = new PostgresAuditLog(tx, clock);
        ApiKeyService keys = new ApiKeyService(tx, new PostgresApiKeys(tx), tenantRepo, auditLog, clock);
        PostgresCustomers customerRepo = new PostgresCustomers(tx);
        PostgresTaxSettings taxSettingsRepo = new PostgresTaxSettings(tx);
        TaxService taxes = new TaxService(tx, taxSettingsRepo, auditLog);
        PostgresTestClocks clockRepo = new PostgresTestClocks(tx);
        PostgresUsage usageRepo = new PostgresUsage(tx, clock); // its rollups' closed days follow the system clock, never a test clock
        PostgresSubscriptions subscriptionRepo = new PostgresSubscriptions(tx, usageRepo); // a usage view reads its sums ahead
        PostgresInvoices invoiceRepo = new PostgresInvoices(tx);
        PostgresPendingItems pending = new PostgresPendingItems(tx);
        CustomerTime time = new CustomerTime(clock, clockRepo);
        CatalogService catalogs = new CatalogService(tx, new PostgresCatalogs(tx), CatalogYaml::read, auditLog, clock);
        DocumentTaxes documentTaxes = new DocumentTaxes(taxSettingsRepo, tenantRepo, subscriptionRepo, catalogs);
        PostgresContacts contactRepo = new PostgresContacts(tx);
        CountedBilling counted = new CountedBilling(contactRepo, catalogs, time);
        ProformaInvoicing proformas = new ProformaInvoicing(invoiceRepo, customerRepo, time, auditLog);
        PostgresCredits creditRepo = new PostgresCredits(tx);
        PostgresCoupons couponRepo = new PostgresCoupons(tx);
        CustomerCredits credits = new CustomerCredits(tx, creditRepo, customerRepo, clock, auditLog);
        AddOnBillings addOnBillings = new AddOnBillings();
        PostgresBilledUsage billedUsage = new PostgresBilledUsage(tx);
        PostgresCreditWallets creditWalletRepo = new PostgresCreditWallets(tx);
        CreditWalletBooks creditWalletBooks = new CreditWalletBooks(creditWalletRepo, new PostgresPaymentMethods(tx), auditLog);
        InvoiceCreditWallets invoiceCreditWallets = new InvoiceCreditWallets(creditWalletRepo, creditWalletBooks, time);
        InvoiceCreditConsumption creditConsumption = new InvoiceCreditConsumption(creditRepo, clock);
        PostgresDraftTerms draftTerms = new PostgresDraftTerms(tx);
        InvoiceIssuer issuer = new InvoiceIssuer(tx, invoiceRepo, customerRepo, tenantRepo, proformas, time, auditLog,
                creditConsumption, documentTaxes, new InvoiceDiscounts(couponRepo, subscriptionRepo), events,
                invoiceCreditWallets, new PostgresConsolidatedInvoices(tx));
        PhaseBilling phases = new PhaseBilling(new PostgresSubscriptionPhases(tx));
        UsageInvoicing usageInvoicing = new UsageInvoicing(catalogs, usageRepo, counted, billedUsage, addOnBillings, phases);
        OwnCadenceUsage ownCadences = new OwnCadenceUsage(usageInvoicing, billedUsage, subscriptionRepo, issuer, addOnBillings);
        PostgresScheduledActions scheduledActionRepo = new PostgresScheduledActions(tx);
        PostgresPauses pauseRepo = new PostgresPauses(tx);
        PausedBilling pausedBilling = new PausedBilling(pauseRepo, catalogs, issuer, time, auditLog, events);
        DueScheduledActions dueActions = new DueScheduledActions(scheduledActionRepo, catalogs, issuer, pending, counted, credits, time, auditLog, events,
                pausedBilling);
        PostgresPriceMigrations priceMigrationRepo = new PostgresPriceMigrations(tx);
        BillingService billing = new BillingService(tx, subscriptionRepo, pending, customerRepo, catalogs, time, counted, usageInvoicing, ownCadences,
                billedUsage, issuer, addOnBillings, events, phases, dueActions, new PriceMigrationsAtBoundary(priceMigrationRepo, events),
                draftTerms);
        // Kafka mode: batches are acknowledged from the log, and folded into usage_events by the consumer group (KafkaIntake)
        KafkaUsageLog usageLog = kafka.map(KafkaUsageLog::new).orElse(null);
        // what ingestion remembers of its customers is forgotten at every write of theirs on this node (TableWriteWatch)
        TableWrites tableWrites = new TableWrites();
        TableWriteWatch.install(jdbi, tx, tableWrites);
        MeteringService metering = new MeteringService(tx, usageRepo, customerRepo, subscriptionRepo, catalogs, tenantRepo, time, auditLog,
                billedUsage, addOnBillings, new PhoneNumberCountries(), usageLog,
                new IngestionLookups(new PostgresIngestionRows(tx), tenantRepo, tableWrites));
        KafkaIntake kafkaIntake = kafka.map(settings -> new KafkaIntake(settings, usageLog,
                new UsageFold(tx, usageRepo, billedUsage, new PostgresIntakeOffsets(tx), metering, clock))).orElse(null);
        SubscriptionService subscriptions = new SubscriptionService(tx, subscriptionRepo, customerRepo, catalogs, billing, pending, time, auditLog, tenantRepo,
                new ImmediateCancellation(tx, subscriptionRepo, customerRepo, billing, time, auditLog, credits, events), events, pausedBilling);
        QuotaService quotas = new QuotaService(tx, new PostgresQuotas(tx), subscriptionRepo, catalogs, billing, auditLog, time);
        subscriptions.useQuotaCheck(quotas::requireFits);
        PostgresEmailOutbox outbox = new PostgresEmailOutbox(tx);
        PostgresStaff staffRepo = new PostgresStaff(tx);
        Argon2idPasswords passwords = new Argon2idPasswords();
        PostgresWallets walletRepo = new PostgresWallets(tx);
        WalletService wallets = new WalletService(tx, walletRepo, customerRepo, tenantRepo, outbox, auditLog, time, documentTaxes, events);
        billing.useWallets(wallets);
        // usage alerts (issue 14): the evaluator only marks what moved (it cannot fail), so it goes before the drawdown
        PostgresAlerts alertRepo = new PostgresAlerts(tx);
        AlertFiring firing = new AlertFiring(alertRepo, events, clock);
        BudgetService budgets = new BudgetService(tx, new PostgresBudgets(tx), customerRepo, subscriptionRepo,
                new CostAllocation(billing, usageRepo, catalogs), firing, alertRepo, time, auditLog);
        UsageAlertEvaluator alertEvaluator = new UsageAlertEvaluator(tx, subscriptionRepo, customerRepo, catalogs, billing, usageRepo, alertRepo, firing,
                time, budgets, AlertPace.fromEnvironment(System.getenv()));
        // progressive billing (issue 16) catches its own failures, so it goes before the drawdown
        ProgressiveInvoicing progressive = new ProgressiveInvoicing(tx, subscriptionRepo, customerRepo, billing, pending,
                new PostgresProgressiveRecords(tx), time);
        metering.useListener(UsageListener.all(alertEvaluator, progressive,
                new PrepaidDrawdown(walletRepo, wallets, customerRepo, subscriptionRepo, billing)));
        var addOns = new AddOnService(tx, new PostgresAddOns(tx), subscriptionRepo, customerRepo, catalogs,
                billing, usageRepo, tenantRepo, wallets, time, auditLog, documentTaxes);
        addOnBillings.register(addOns);
        var numbers = new PhoneNumberService(tx, new PostgresPhoneNumbers(tx), subscriptionRepo,
                customerRepo, catalogs, billing, quotas, wallets, time, auditLog, events);
        addOnBillings.register(numbers);
        PostgresCreditNotes creditNoteRepo = new PostgresCreditNotes(tx);
        AuthorizationService authorizations = new AuthorizationService(tx, new PostgresAuthorizations(tx), subscriptionRepo, customerRepo, catalogs, billing,
                usageRepo, metering, time);
        authorizations.useWallets(wallets);
        SellerService sellers = new SellerService(tx, new PostgresSellers(tx), tenantRepo, auditLog, clock);
        PostgresDocuments documentRepo = new PostgresDocuments(tx);
        PostgresPayments paymentRepo = new PostgresPayments(tx);
        PdfDocumentRenderer renderer = new PdfDocumentRenderer(new Templates());
        DocumentService documents = new DocumentService(tx, invoiceRepo, customerRepo, wallets, sellers, documentRepo, documentRepo,
                renderer, new MustangEInvoices(), clock, paymentRepo, creditNoteRepo);
        EmailTemplateService emailTemplates = new EmailTemplateService(tx, new PostgresEmailTemplates(tx), renderer, auditLog, clock);
        // payments: Stripe when ACCRUE_STRIPE_SECRET_KEY and ACCRUE_STRIPE_WEBHOOK_SECRET are set, else the built-in sandbox
        // gateway (in-process, its books in its own tables); both behind the PaymentGateway port
        Optional<PaymentGateway> stripe = stripeSettings.map(settings -> new StripeGateway(settings, clock));
        SandboxGateway sandbox = stripe.isPresent() ? null : new SandboxGateway(jdbi, clock);
        PaymentGateway gateway = stripe.orElse(sandbox);
        GatewayTimings gatewayTimings = GatewayTimings.fromEnvironment(System.getenv());
        PostgresPaymentMethods methodRepo = new PostgresPaymentMethods(tx);
        Dunning dunning = new Dunning(paymentRepo, methodRepo, subscriptionRepo, subscriptions, numbers, outbox, auditLog, events, time);
        PaymentApplication paymentApplication = new PaymentApplication(paymentRepo, invoiceRepo, documentRepo, credits, dunning, outbox, auditLog, events, time);
        CollectionRunner collections = new CollectionRunner(tx, paymentRepo, methodRepo, customerRepo, gateway, paymentApplication, dunning, wallets, auditLog,
                events, time, new CollectionBatch(paymentRepo, methodRepo, customerRepo, gateway.name(), auditLog, events, outbox, time),
                gatewayTimings.resendWindow());
        PaymentMethodService paymentMethods = new PaymentMethodService(tx, methodRepo, customerRepo, subscriptionRepo, gateway, dunning, auditLog, events, time);
        // refunds and disputes lower what was paid on an invoice, in one place
        TakeBacks takeBacks = new TakeBacks(paymentRepo);
        PostgresDisputes disputeRepo = new PostgresDisputes(tx);
        // a lost dispute makes the invoice owed again: reopened, and collected again from an auto-pay customer
        DisputeService disputes = new DisputeService(tx, disputeRepo, methodRepo, customerRepo, takeBacks, auditLog, events, time,
                new Recollection(paymentRepo, methodRepo, auditLog, time));
        PaymentService payments = new PaymentService(tx, paymentRepo, methodRepo, customerRepo, creditNoteRepo, creditRepo, gateway, paymentApplication, auditLog, events,
                time, takeBacks, disputeRepo, collections);
        GatewayEventIntake gatewayEvents = new GatewayEventIntake(tx, paymentRepo, gateway, collections, payments, disputes, clock);
        // the sandbox's bank debits settle by its own signed events, through the same intake as Stripe's webhooks
        SandboxEvents sandboxEvents = sandbox == null ? null : new SandboxEvents(jdbi, gatewayEvents, clock);
        CreditWalletTopUps creditWalletTopUps = new CreditWalletTopUps(tx, creditWalletRepo, creditWalletBooks, customerRepo, methodRepo, gateway, time,
                auditLog, gatewayTimings.resendWindow());
        TestClockService testClocks = new TestClockService(tx, clockRepo, tenantRepo, subscriptionRepo, billing, auditLog, clock,
                (tenantId, clockId) -> {
                    if (sandboxEvents != null) {
                        sandboxEvents.deliverDue(); // what the sandbox's bank settled since, before the collection run looks
                    }
                    collections.runForTestClock(tenantId, clockId);
                    creditWalletTopUps.runForTestClock(tenantId, clockId);
                    alertEvaluator.sweepTestClock(tenantId, clockId); // projections move with the clock's days
                });
        WebSessions webSessions = new WebSessions(tx, new PostgresWebSessions(tx), clock);
        return new Services(tx,
                new TenantService(tx, tenantRepo, keys, auditLog, clock),
                keys,
                new CustomerService(tx, customerRepo, auditLog, clock, testClocks, new LiveSubscriptionsOfCustomer(subscriptionRepo, time),
                        new VatRegistration(vatRegistry, auditLog)),
                new AuditHistory(tx, auditLog),
                new IdempotencyService(tx, new PostgresIdempotencyStore(tx), clock),
                catalogs,
                subscriptions,
                billing,
                new InvoiceService(tx, invoiceRepo, auditLog, clock, proformas, documentRepo, new InvoiceVoids(creditNoteRepo, creditRepo, credits, customerRepo, invoiceRepo, invoiceCreditWallets), events),
                testClocks,
                metering,
                new UsageQueries(tx, usageRepo, subscriptionRepo, customerRepo, catalogs, billing, time, counted),
                authorizations,
                quotas,
                wallets,
                outbox,
                addOns,
                numbers,
                new ContactService(tx, contactRepo, customerRepo, time, auditLog),
                new EntitlementService(tx, customerRepo, subscriptionRepo, catalogs, billing, time),
                credits,
                new UpcomingInvoice(tx, subscriptionRepo, customerRepo, billing, time),
                sellers,
                documents,
                new DocumentMail(documents, publicUrl, emailTemplates),
                new EmailService(tx, outbox, clock),
                new InvoiceExport(tx, invoiceRepo, customerRepo),
                taxes,
                new CreditNoteService(tx, creditNoteRepo, invoiceRepo, customerRepo, credits, time, auditLog, events, sellers, outbox),
                new CouponService(tx, couponRepo, subscriptionRepo, customerRepo, time, auditLog),
                events,
                new TaxReport(tx, invoiceRepo, creditNoteRepo),
                new UsageAlertService(tx, alertRepo, customerRepo, subscriptionRepo, catalogs, auditLog, clock),
                alertEvaluator,
                budgets,
                new PlanAdvice(tx, subscriptionRepo, customerRepo, catalogs, billing, usageInvoicing, usageRepo, time),
                paymentMethods,
                payments,
                collections,
                sandbox,
                webhooks(tx, events, auditLog, webhookSettings, clock),
                notifications(tx, events, auditLog, customerRepo, subscriptionRepo, sellers, outbox, clock),
                new BillingRuns(tx, billing, subscriptionRepo, new PostgresBillingRuns(tx), clock, NODE),
                webSessions,
                new PortalAccess(tx, new PostgresPortalLinks(tx), customerRepo, new PostgresNotifications(tx), webSessions, auditLog, clock),
                new StaffService(tx, staffRepo, passwords, webSessions, auditLog, clock),
                new CancelAlternatives(tx, new PostgresCancelAlternatives(tx), catalogs, auditLog),
                new CreditNoteExport(tx, creditNoteRepo, invoiceRepo, customerRepo),
                new ScheduledActionService(tx, scheduledActionRepo, subscriptionRepo, subscriptions, customerRepo, tenantRepo, billing, dueActions, time,
                        auditLog, events),
                new OneOffChargeService(tx, new PostgresOneOffCharges(tx), customerRepo, subscriptionRepo, pending, billing, time, auditLog),
                new PauseService(tx, pauseRepo, pausedBilling, subscriptionRepo, customerRepo, billing, credits, time, auditLog, events),
                gatewayEvents,
                new DataLifecycle(tx, new PostgresCustomerData(tx), customerRepo, auditLog, clock),
                emailTemplates,
                new ProcessingPoller(tx, paymentRepo, methodRepo, gateway, gatewayEvents, time, gatewayTimings.pollAfter()),
                disputes,
                sandboxEvents,
                new StaffPasswordResets(tx, staffRepo, passwords, webSessions, outbox, auditLog, clock),
                new PriceMigrationService(tx, priceMigrationRepo, subscriptionRepo, customerRepo, catalogs, billing, issuer, time, auditLog, events),
                new CreditWallets(tx, creditWalletRepo, creditWalletBooks, customerRepo, time, auditLog),
                creditWalletTopUps,
                kafkaIntake,
                new DraftInvoices(tx, invoiceRepo, issuer),
                new UsagePartitioning(tx, new PostgresUsagePartitions(tx), clock, UsagePartitioning.monthsAhead(System.getenv())),
                new DraftRegeneration(tx, invoiceRepo, subscriptionRepo, customerRepo, draftTerms, billing, usageInvoicing, billedUsage, pending,
                        issuer, creditConsumption, time, auditLog, events),
                usageRepo.rollups()); // its background builder is stopped with the node
    }

    private static Notifications notifications(JdbiTransactions tx, DomainEvents events, AuditLog auditLog, PostgresCustomers customers,
                                               PostgresSubscriptions subscriptions, SellerService sellers, EmailOutbox outbox, Clock clock) {
        PostgresNotifications repo = new PostgresNotifications(tx);
        return new Notifications(new NotificationService(tx, repo, customers, auditLog, clock), tx, events, new PostgresConsumerPositions(tx), repo,
                customers, subscriptions, sellers, outbox, new TemplateNotificationTexts(new Templates()));
    }

    private static Webhooks webhooks(JdbiTransactions tx, DomainEvents events, AuditLog auditLog, WebhookSettings settings, Clock clock) {
        PostgresWebhooks repo = new PostgresWebhooks(tx);
        WebhookUrls urls = new DnsWebhookUrls(new AddressPolicy(settings.allowPrivateAddresses()));
        return new Webhooks(new WebhookEndpointService(tx, repo, urls, auditLog, clock),
                new WebhookFanout(tx, events, new PostgresConsumerPositions(tx), repo, Json::write, clock), tx, repo, urls, events, auditLog, settings);
    }
}
