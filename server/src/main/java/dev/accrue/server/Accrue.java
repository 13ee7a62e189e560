package dev.accrue.server;

import dev.accrue.app.mail.MailDispatcher;
import dev.accrue.app.mail.MailTransport;
import dev.accrue.adapters.http.wallet.WalletRoutes;
import dev.accrue.adapters.http.seller.SellerRoutes;
import dev.accrue.adapters.http.rental.PhoneNumberRoutes;
import dev.accrue.adapters.http.export.ExportRoutes;
import dev.accrue.adapters.http.document.DocumentRoutes;
import dev.accrue.adapters.http.addon.AddOnRoutes;
import dev.accrue.adapters.http.ApiServer;
import dev.accrue.adapters.http.billingrun.BillingRunRoutes;
import dev.accrue.adapters.http.lifecycle.DataLifecycleRoutes;
import dev.accrue.adapters.http.ratelimit.RateLimiter;
import dev.accrue.adapters.http.ratelimit.RateLimits;
import dev.accrue.adapters.http.contact.ContactRoutes;
import dev.accrue.adapters.http.credit.CreditRoutes;
import dev.accrue.adapters.http.credit.CreditWalletRoutes;
import dev.accrue.adapters.http.creditnote.CreditNoteRoutes;
import dev.accrue.adapters.http.coupon.CouponRoutes;
import dev.accrue.adapters.http.advice.PlanAdviceRoutes;
import dev.accrue.adapters.http.alert.AlertRoutes;
import dev.accrue.adapters.http.budget.BudgetRoutes;
import dev.accrue.adapters.http.entitlement.EntitlementRoutes;
import dev.accrue.adapters.http.audit.AuditRoutes;
import dev.accrue.adapters.http.catalog.CatalogRoutes;
import dev.accrue.adapters.http.invoice.InvoiceRoutes;
import dev.accrue.adapters.http.invoice.DraftInvoiceRoutes;
import dev.accrue.adapters.http.invoice.DraftRegenerationRoutes;
import dev.accrue.adapters.http.metering.AuthorizationRoutes;
import dev.accrue.adapters.http.mail.EmailRoutes;
import dev.accrue.adapters.http.metering.MeteringRoutes;
import dev.accrue.adapters.http.metering.QuotaRoutes;
import dev.accrue.adapters.http.subscription.SubscriptionRoutes;
import dev.accrue.adapters.http.subscription.ScheduledActionRoutes;
import dev.accrue.adapters.http.subscription.PauseRoutes;
import dev.accrue.adapters.http.oneoff.OneOffChargeRoutes;
import dev.accrue.adapters.http.pricechange.PriceMigrationRoutes;
import dev.accrue.adapters.http.testclock.TestClockRoutes;
import dev.accrue.adapters.http.customer.CustomerRoutes;
import dev.accrue.adapters.http.support.Idempotency;
import dev.accrue.adapters.http.system.SystemRoutes;
import dev.accrue.adapters.http.tax.TaxSettingsRoutes;
import dev.accrue.adapters.http.tenant.TenantRoutes;
import dev.accrue.adapters.http.payment.PaymentRoutes;
import dev.accrue.adapters.http.payment.DisputeRoutes;
import dev.accrue.adapters.http.payment.SandboxRoutes;
import dev.accrue.adapters.http.payment.GatewayEventRoutes;
import dev.accrue.adapters.http.seller.EmailTemplateRoutes;
import dev.accrue.adapters.payment.stripe.StripeSettings;
import dev.accrue.adapters.postgres.Database;
import dev.accrue.adapters.kafka.KafkaSettings;
import dev.accrue.adapters.kafka.KafkaUsageFolder;
import dev.accrue.adapters.scheduler.JobScheduler;
import dev.accrue.adapters.scheduler.RecurringJob;
import dev.accrue.app.payment.CollectionRunner;
import dev.accrue.server.web.WebRoutes;
import dev.accrue.adapters.http.web.WebArea;
import dev.accrue.server.db.EmbeddedDatabase;
import dev.accrue.adapters.http.webhook.WebhookRoutes;
import dev.accrue.adapters.http.notification.NotificationRoutes;
import dev.accrue.adapters.webhook.HttpWebhookSender;
import dev.accrue.app.webhook.WebhookSettings;
import io.javalin.config.RoutesConfig;
import org.slf4j.LoggerFactory;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Metrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * One Accrue node: its database (embedded or external, migrated on start), its use cases, and optionally its
 * HTTP server. Closing it stops everything it started, in reverse order.
 */
public final class Accrue implements AutoCloseable {
    public static final String VERSION = "0.1.0";
    private final EmbeddedDatabase embedded;
    private final Database database;
    private final Services services;
    private final PrometheusMeterRegistry metrics = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private ApiServer server;
    private Thread alerts;
    private final List<JobScheduler> jobSchedulers = new java.util.concurrent.CopyOnWriteArrayList<>();
    private java.util.concurrent.ScheduledExecutorService mailer;
    private MailDispatcher mail;
    private final ScheduledExecutorService databaseWatch;
    private ScheduledExecutorService deliverer;
    private HttpWebhookSender webhookSender;
    private final RateLimits rateLimits;
    private final String configuredPublicUrl;
    private volatile String listeningUrl;
    private List<KafkaUsageFolder> usageFolders = List.of();
    private WebRoutes webRoutes;

    private Accrue(EmbeddedDatabase embedded, Database database, Clock clock, RateLimits rateLimits, String publicUrl, WebhookSettings webhookSettings,
                   Optional<StripeSettings> stripe, Optional<KafkaSettings> kafka) {
        this.embedded = embedded;
        this.rateLimits = rateLimits;
        this.database = database;
        this.databaseWatch = embedded == null ? null : watch(embedded);
        this.configuredPublicUrl = publicUrl;
        this.services = Services.wire(database.jdbi(), clock, this::publicUrl, VatRegistrySettings.fromEnvironment(System.getenv()), webhookSettings, stripe,
                kafka);
        // use cases count through Micrometer's global registry (as they log through SLF4J); this node's registry
        // hears them while it is open
        Metrics.addRegistry(metrics);
        database.recordMetricsTo(metrics);
        Gauge.builder("accrue_email_outbox_queued", this::queuedEmails).description("Emails queued (due or waiting for a retry), all tenants")
                .register(metrics);
        new JvmMemoryMetrics().bindTo(metrics);
        new JvmGcMetrics().bindTo(metrics);
        new JvmThreadMetrics().bindTo(metrics);
        new ProcessorMetrics().bindTo(metrics);
        new UptimeMetrics().bindTo(metrics);
    }

    /** Connects (starting the embedded PostgreSQL when no URL is configured) and migrates; no HTTP yet. */
    public static Accrue open(AccrueConfig config, Clock clock) {
        return open(config, clock, WebhookSettings.fromEnvironment(System.getenv()));
    }

    /** {@code webhookSettings}: the server's webhook settings (see WebhookSettings.fromEnvironment), private addresses refused by default. */
    public static Accrue open(AccrueConfig config, Clock clock, WebhookSettings webhookSettings) {
        return open(config, clock, webhookSettings, PaymentGateways.stripeSettings(System.getenv()));
    }

    /** {@code stripe}: Stripe's settings when Stripe is the gateway (from the environment: PaymentGateways), empty for the sandbox. */
    public static Accrue open(AccrueConfig config, Clock clock, WebhookSettings webhookSettings, Optional<StripeSettings> stripe) {
        return open(config, clock, webhookSettings, stripe, KafkaSettings.fromEnvironment(System.getenv()));
    }

    /** {@code kafka}: Kafka as the usage intake log (from the environment: ACCRUE_KAFKA_BOOTSTRAP), empty for direct writes. */
    public static Accrue open(AccrueConfig config, Clock clock, WebhookSettings webhookSettings, Optional<StripeSettings> stripe,
                              Optional<KafkaSettings> kafka) {
        EmbeddedDatabase embedded = null;
        String url = config.dbUrl();
        if (config.embedded()) {
            var other = EmbeddedDatabase.runningElsewhere(config.dataDir());
            if (other.isPresent()) {
                url = other.get();
            } else {
                embedded = EmbeddedDatabase.start(config.dataDir());
                url = embedded.jdbcUrl();
            }
        }
        Database database = new Database(url, config.dbUser(), config.dbPassword(), config.dbPoolSize(), config.dbTimeoutMillis());
        try {
            database.migrate();
        } catch (RuntimeException e) {
            database.close();
            if (embedded != null) {
                embedded.close();
            }
            throw e;
        }
        try {
            return new Accrue(embedded, database, clock, config.rateLimits(), config.publicUrl(), webhookSettings, stripe, kafka);
        } catch (RuntimeException e) {
            database.close(); // Kafka unreachable at start, for one
            if (embedded != null) {
                embedded.close();
            }
            throw e;
        }
    }

    /**
     * Checks every second that the embedded PostgreSQL this node started is still running, and starts it again
     * if not; meanwhile requests are answered {@code 503 database_unavailable}. (An external database is not
     * ours to start: the pool simply connects again when it is back.)
     */
    private static ScheduledExecutorService watch(EmbeddedDatabase embedded) {
        ScheduledExecutorService watch = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "accrue-db-watch");
            t.setDaemon(true);
            return t;
        });
        watch.scheduleWithFixedDelay(() -> {
            try {
                embedded.restartIfStopped();
            } catch (RuntimeException e) {
                LoggerFactory.getLogger(Accrue.class).error("Restarting the embedded PostgreSQL failed; trying again", e);
            }
        }, 1, 1, TimeUnit.SECONDS);
        return watch;
    }

    public Accrue serve(String host, int port) {
        Idempotency idempotency = new Idempotency(services.idempotency());
        webRoutes = new WebRoutes(services, idempotency, this::publicUrl);
        List<Consumer<RoutesConfig>> routes = List.of(
                // first: Javalin finds a request's route by trying each route of its method in this order, a regular
                // expression each, and a single authorization check is the most frequent and cheapest request there is;
                // then usage batches and the usage view, the next most frequent (a route behind forty groups of routes
                // paid ~5 % of the view's server CPU in regular expressions)
                new AuthorizationRoutes(services.authorizations(), idempotency)::register,
                new MeteringRoutes(services.metering(), services.usage())::register,
                new SystemRoutes(this::databaseUp, metrics, VERSION)::register,
                new TenantRoutes(services.tenants(), services.apiKeys(), idempotency)::register,
                new TaxSettingsRoutes(services.taxes())::register,
                new CustomerRoutes(services.customers(), idempotency)::register,
                new AuditRoutes(services.audit())::register,
                new CatalogRoutes(services.catalogs(), idempotency)::register,
                new SubscriptionRoutes(services.subscriptions(), idempotency)::register,
                new InvoiceRoutes(services.invoices(), services.upcomingInvoices())::register,
                new DraftInvoiceRoutes(services.draftInvoices())::register,
                new DraftRegenerationRoutes(services.draftRegeneration(), idempotency)::register,
                new TestClockRoutes(services.testClocks(), idempotency)::register,
                new QuotaRoutes(services.quotas())::register,
                new WalletRoutes(services.wallets(), idempotency)::register,
                new SellerRoutes(services.sellers())::register,
                new EmailTemplateRoutes(services.emailTemplates())::register,
                new DocumentRoutes(services.documents(), this::publicUrl)::register,
                new EmailRoutes(services.emails(), idempotency)::register,
                new ExportRoutes(services.exports(), services.taxReport(), services.creditNoteExports())::register,
                new AddOnRoutes(services.addOns(), idempotency)::register,
                new PhoneNumberRoutes(services.numbers(), idempotency)::register,
                new ContactRoutes(services.contacts())::register,
                new EntitlementRoutes(services.entitlements())::register,
                new CreditRoutes(services.credits(), idempotency)::register,
                new CreditWalletRoutes(services.creditWallets(), idempotency)::register,
                new CreditNoteRoutes(services.creditNotes(), idempotency)::register,
                new CouponRoutes(services.coupons(), idempotency)::register,
                new AlertRoutes(services.usageAlerts(), idempotency)::register,
                new BudgetRoutes(services.budgets(), idempotency)::register,
                new PlanAdviceRoutes(services.planAdvice())::register,
                new PaymentRoutes(services.paymentMethods(), services.payments(), services.documents(), idempotency)::register,
                // the sandbox's tokenization exists only while the sandbox is the gateway
                app -> {
                    if (services.sandbox() != null) {
                        new SandboxRoutes(services.sandbox(), idempotency).register(app);
                    }
                },
                new WebhookRoutes(services.webhooks().endpoints(), idempotency)::register,
                new GatewayEventRoutes(services.gatewayEvents())::register,
                new DisputeRoutes(services.disputes())::register,
                new NotificationRoutes(services.notifications().api())::register,
                new BillingRunRoutes(services.billingRuns(), Clock.systemUTC())::register,
                new ScheduledActionRoutes(services.scheduledActions(), idempotency)::register,
                new OneOffChargeRoutes(services.oneOffCharges(), idempotency)::register,
                new PauseRoutes(services.pauses(), idempotency)::register,
                new DataLifecycleRoutes(services.dataLifecycle())::register,
                new PriceMigrationRoutes(services.priceMigrations(), idempotency)::register,
                webRoutes::register);
        RateLimiter limiter = new RateLimiter(rateLimits, tenantId -> services.tenants().get(tenantId).settings().apiRequestsPerSecond());
        server = new ApiServer(services.apiKeys(), limiter, metrics, routes).start(host, port);
        startAlerts();
        if (services.kafkaIntake() != null) {
            // a node that serves the API folds its share of the intake log (ManagementFactory's name: pid@host, unique per node)
            usageFolders = services.kafkaIntake().startFoldingAll(ManagementFactory.getRuntimeMXBean().getName() + "-" + System.identityHashCode(this));
        }
        listeningUrl = "http://" + host + ":" + server.port();
        return this;
    }

    /**
     * Evaluates usage alerts and budgets on a thread of their own, as soon as ingestion marks what moved
     * ({@code UsageAlertEvaluator}); a node that serves the API ingests, so it evaluates. It starts with the usage
     * received in the last hour, which a node that stopped may have left unevaluated.
     */
    private void startAlerts() {
        alerts = new Thread(() -> {
            try {
                int swept = services.alertEvaluator().sweepRecent();
                LoggerFactory.getLogger(Accrue.class).info("Usage alerts: {} recently used metrics to evaluate after start", swept);
            } catch (RuntimeException e) {
                LoggerFactory.getLogger(Accrue.class).error("Finding the usage to evaluate after start failed; alerts wait for new usage", e);
            }
            while (!Thread.currentThread().isInterrupted()) {
                try {
                    services.alertEvaluator().evaluatePending(Duration.ofSeconds(1));
                } catch (InterruptedException e) {
                    return;
                } catch (RuntimeException e) {
                    LoggerFactory.getLogger(Accrue.class).error("Evaluating usage alerts failed; trying again", e);
                }
            }
        }, "accrue-alerts");
        alerts.setDaemon(true);
        alerts.start();
    }

    /** Where customers reach this node: ACCRUE_PUBLIC_URL, else the address it listens on. */
    public String publicUrl() {
        if (configuredPublicUrl != null) {
            return configuredPublicUrl;
        }
        return listeningUrl == null ? "http://localhost:" + AccrueConfig.DEFAULT_PORT : listeningUrl;
    }

    /**
     * Starts this node's recurring jobs: billing (everything due across tenants, in batches several nodes share) and
     * collections (charges, retries, dunning) every {@code period}, and the data-retention sweep every hour. They are
     * scheduled in the database (db-scheduler): each due execution runs on one node only, whichever takes it first.
     */
    public Accrue scheduleBilling(Duration period) {
        Duration poll = period.compareTo(Duration.ofSeconds(10)) < 0 ? period : Duration.ofSeconds(10);
        return scheduleJobs(recurringJobs(period), poll, Duration.ofMinutes(1));
    }

    /** How often the processing-poll job looks for debits processing too long (each is asked at most once per ACCRUE_PROCESSING_POLL_AFTER). */
    private static final Duration PROCESSING_POLL_EVERY = Duration.ofMinutes(15);

    /** The jobs every node schedules (the same names and pauses on every node: one schedule in the database). */
    public List<RecurringJob> recurringJobs(Duration billingEvery) {
        return List.of(
                new RecurringJob("billing-run", billingEvery, () -> services.billingRuns().runScheduled(200)),
                // charges what billing finalized, retries due, grace periods over (dunning)
                new RecurringJob("collections", billingEvery, () -> services.collections().runDue(200, CollectionRunner.DEFAULT_STALE_AFTER)),
                // asks the gateway about bank debits left processing whose webhook is late (ACCRUE_PROCESSING_POLL_AFTER)
                new RecurringJob("processing-poll", PROCESSING_POLL_EVERY, () -> services.processingPoller().runDue(200)),
                // invoiced raw usage past its retention, customers past theirs after cancellation (issue 17 point 7)
                new RecurringJob("data-retention", Duration.ofHours(1), () -> services.dataLifecycle().sweep()),
                // the sandbox gateway's events (bank debits settling), as Stripe's webhooks arrive; nothing to do on a Stripe node
                new RecurringJob("sandbox-events", billingEvery, () -> {
                    if (services.sandboxEvents() != null) {
                        services.sandboxEvents().deliverDue();
                    }
                }),
                // projected overage re-checked as days pass, not only when usage arrives (issue 14)
                new RecurringJob("usage-projections", Duration.ofHours(1), () -> services.alertEvaluator().sweepActive()),
                // credit wallets: recurring grants, expiries written off, target top-ups charged (issue 16 point 14)
                new RecurringJob("credit-wallets", billingEvery, () -> services.creditWalletTopUps().runDue()),
                // authorization holds past their expiry marked expired (they already count for nothing; this keeps the index of
                // held rows to the live ones)
                new RecurringJob("authorization-expiry", Duration.ofMinutes(10), () -> services.authorizations().expireDue()),
                // usage_events' month partitions created ahead, old months compacted to what retention keeps (issue 18 point 5)
                new RecurringJob("usage-partitions", Duration.ofHours(1), () -> services.usagePartitions().maintain()));
    }

    /** Starts {@code jobs} on this node's scheduler; {@code poll}: how often it looks for due ones. */
    public Accrue scheduleJobs(List<RecurringJob> jobs, Duration poll, Duration heartbeat) {
        String node = ManagementFactory.getRuntimeMXBean().getName(); // as Services names it in billing runs
        jobSchedulers.add(new JobScheduler(database.dataSource(), database.jdbi(), node, jobs, poll, heartbeat).start());
        return this;
    }

    /**
     * Sends the email outbox through {@code transport}; with {@code every} set, a background thread sends
     * what is queued at that interval (tests leave it null and call {@link #mail()} themselves).
     */
    public Accrue sendMailWith(MailTransport transport, Duration every) {
        mail = new MailDispatcher(services.tx(), services.outbox(), transport, services.mailComposer(), Clock.systemUTC());
        if (every != null) {
            mailer = java.util.concurrent.Executors.newSingleThreadScheduledExecutor(r -> new Thread(r, "accrue-mail"));
            mailer.scheduleWithFixedDelay(() -> {
                try {
                    mail.dispatch(100);
                } catch (RuntimeException e) {
                    org.slf4j.LoggerFactory.getLogger(Accrue.class).error("Sending queued email failed; it will be retried", e);
                }
            }, every.toMillis(), every.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
        }
        return this;
    }

    /**
     * Delivers billing events every {@code every}: fans the outbox out to webhook deliveries and sends the due ones
     * (outside any transaction), makes notifications and paced emails, sends due digests, and records due renewal and
     * trial-end reminders. Several nodes may all run it: every step claims its work (row locks, SKIP LOCKED).
     */
    public Accrue deliverEvents(Duration every) {
        webhookSender = new HttpWebhookSender(services.webhooks().settings());
        EventDelivery delivery = new EventDelivery(services, webhookSender, Clock.systemUTC());
        deliverer = Executors.newSingleThreadScheduledExecutor(r -> new Thread(r, "accrue-events"));
        deliverer.scheduleWithFixedDelay(delivery::runOnce, every.toMillis(), every.toMillis(), TimeUnit.MILLISECONDS);
        return this;
    }

    /** The mail dispatcher, or null when no SMTP server is configured (emails then wait in the outbox). */
    public MailDispatcher mail() {
        return mail;
    }

    private double queuedEmails() {
        try {
            return services.tx().inTransaction(() -> services.outbox().queued());
        } catch (RuntimeException e) {
            return Double.NaN; // database unreachable: no figure rather than a wrong one
        }
    }

    private boolean databaseUp() {
        try {
            return database.jdbi().withHandle(h -> h.createQuery("SELECT 1").mapTo(Integer.class).one()) == 1;
        } catch (RuntimeException e) {
            return false;
        }
    }

    public Services services() {
        return services;
    }

    public Database database() {
        return database;
    }

    /** The portal's and the console's signed-in pages and forms this node serves (none before {@link #serve}). */
    public List<WebArea.Route> webPages() {
        return webRoutes == null ? List.of() : webRoutes.signedInRoutes();
    }

    public int port() {
        return server == null ? -1 : server.port();
    }

    /** Kafka mode: this node's members of the fold's consumer group (none before {@link #serve} or in direct mode). */
    public List<KafkaUsageFolder> usageFolders() {
        return usageFolders;
    }

    @Override
    public void close() {
        if (databaseWatch != null) {
            databaseWatch.shutdownNow(); // before the database stops, or it would start it again
            try {
                databaseWatch.awaitTermination(70, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        jobSchedulers.forEach(JobScheduler::close);
        if (mailer != null) {
            mailer.shutdownNow();
        }
        if (deliverer != null) {
            deliverer.shutdownNow();
        }
        if (webhookSender != null) {
            try {
                webhookSender.close();
            } catch (IOException e) {
                LoggerFactory.getLogger(Accrue.class).warn("Closing the webhook HTTP client failed", e);
            }
        }
        if (server != null) {
            server.stop();
        }
        usageFolders.forEach(KafkaUsageFolder::stopSoon); // all at once: each then finishes its fold in progress
        usageFolders.forEach(KafkaUsageFolder::close);
        if (services.kafkaIntake() != null) {
            services.kafkaIntake().log().close();
        }
        if (alerts != null) {
            alerts.interrupt();
            try {
                alerts.join(5_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        services.usageRollups().close(); // a rollup build must not outlive the pool it reads through
        database.close();
        if (embedded != null) {
            embedded.close();
        }
        Metrics.removeRegistry(metrics);
    }
}
