package dev.accrue.server.demo;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.accrue.app.auth.Caller;
import dev.accrue.app.auth.Role;
import dev.accrue.app.creditwallet.CreditWallets;
import dev.accrue.app.customer.CustomerQuery;
import dev.accrue.app.oneoff.OneOffChargeService;
import dev.accrue.app.page.PageRequest;
import dev.accrue.app.pricechange.PriceMigrationRequest;
import dev.accrue.app.subscription.CreateSubscription;
import dev.accrue.app.subscription.scheduled.ScheduledActionService;
import dev.accrue.app.tenant.Tenant;
import dev.accrue.core.customer.CustomerDraft;
import dev.accrue.core.tenant.TenantMode;
import dev.accrue.server.Services;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;

/**
 * Loads the demo tenants, their catalogs and customers from {@code demo/demo.yaml}, idempotently: a tenant is
 * found by name, a customer by external id. Because a key's secret is never stored by Accrue, the demo keeps
 * the secrets it issued in {@code <dataDir>/demo-keys.properties} (a local sandbox convenience) so every start
 * can print them.
 */
public final class DemoLoader {
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory())
            .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
    private final Services services;
    private final Path keysFile;

    public DemoLoader(Services services, Path dataDir) {
        this.services = services;
        this.keysFile = dataDir.resolve("demo-keys.properties");
    }

    record DemoFile(List<DemoTenant> tenants) {
    }

    record DemoTenant(String name, String mode, String catalog, List<CustomerDraft> customers, List<DemoSubscription> subscriptions,
                      List<DemoPriceChange> priceChanges) {
    }

    /**
     * A later catalog version imported once the customers subscribed to the first, and the tenant's decision for the
     * subscriptions of {@code plan} on older versions: {@code grandfather} or {@code migrate} after {@code noticeDays}.
     */
    record DemoPriceChange(String catalog, String plan, String policy, Integer noticeDays) {
    }

    /**
     * A subscription given to a demo customer (by external id) when that customer is first created;
     * {@code contacts} (contact-priced plans) is pushed as the customer's contact count first; {@code topUp}
     * credits a prepaid customer's wallet first; {@code addOns} are bought and {@code numbers} rented today.
     */
    record DemoSubscription(String customer, String plan, String interval, Integer startDaysAgo, Long contacts, String topUp, List<String> addOns,
                            List<DemoNumber> numbers, List<DemoScheduled> scheduled, List<DemoOneOff> oneOffCharges,
                            Integer pauseResumeInDays, List<DemoCreditWallet> creditWallets) {
    }

    /** A credit wallet opened for the customer before it subscribes, with {@code grant} credits granted for {@code grantDays} days. */
    record DemoCreditWallet(String name, String unit, String rate, List<String> appliesTo, String recurring, String grant, Integer grantDays) {
    }

    /** A dated action ({@code action}, {@code plan} or {@code quantity}) {@code inDays} days from today ({@code pauseResumeInDays}: paused today, resuming then). */
    record DemoScheduled(String action, int inDays, String plan, Integer quantity) {
    }

    /** A one-off charge of the subscription's customer, invoiced {@code now} or on the {@code next_invoice}. */
    record DemoOneOff(String description, String amount, String taxCategory, String invoice) {
    }

    record DemoNumber(String number, String country, String type, String addOn) {
    }

    public record LoadedTenant(Tenant tenant, String apiKey, int customersCreated, int customersTotal) {
    }

    public record Result(List<LoadedTenant> tenants) {
        public String firstKey() {
            return tenants.getFirst().apiKey();
        }

        public void print(PrintStream out) {
            out.println("  Demo tenants (sandbox) and their API keys:");
            for (LoadedTenant t : tenants) {
                out.printf("    %-22s %s  key %s  (%d customers%s)%n", t.tenant().name(), t.tenant().id(), t.apiKey(),
                        t.customersTotal(), t.customersCreated() > 0 ? ", " + t.customersCreated() + " new" : "");
            }
        }
    }

    public Result load() {
        DemoFile file = read("/demo/demo.yaml", DemoFile.class);
        Properties keys = loadKeys();
        List<LoadedTenant> loaded = new ArrayList<>();
        for (DemoTenant demo : file.tenants()) {
            Tenant tenant = services.tenants().findByName(demo.name()).orElse(null);
            String secret = keys.getProperty(demo.name());
            if (tenant == null) {
                var created = services.tenants().create(demo.name(), TenantMode.fromWire(demo.mode()));
                tenant = created.tenant();
                secret = created.adminKey().secret();
            } else if (secret == null) {
                secret = services.apiKeys().create(Caller.operator(tenant.id()), "demo key", Role.ADMIN).secret();
            }
            keys.setProperty(demo.name(), secret);
            Caller operator = Caller.operator(tenant.id());
            importCatalog(operator, demo.catalog());
            int created = 0;
            for (CustomerDraft draft : demo.customers()) {
                var existing = services.customers().list(operator, new CustomerQuery(null, null, draft.externalId()), PageRequest.first(1));
                if (existing.items().isEmpty()) {
                    var customer = services.customers().create(operator, withParentResolved(operator, draft));
                    created++;
                    subscribe(operator, demo, draft.externalId(), customer.id());
                }
            }
            for (DemoPriceChange change : demo.priceChanges() == null ? List.<DemoPriceChange>of() : demo.priceChanges()) {
                // imported on the first load only (a later one finds the version), so the decision is taken once
                Integer version = importCatalog(operator, change.catalog());
                if (version != null) {
                    // decided today, as the subscriptions' start dates are counted (each still gets its notice before it moves)
                    LocalDate today = LocalDate.now(ZoneOffset.UTC);
                    services.priceMigrations().create(operator, new PriceMigrationRequest(change.plan(), version, change.policy(),
                            "migrate".equals(change.policy()) ? today : null, change.noticeDays()));
                }
            }
            loaded.add(new LoadedTenant(tenant, secret, created, demo.customers().size()));
        }
        saveKeys(keys);
        return new Result(loaded);
    }

    /**
     * In demo.yaml a child names its parent by the parent's external id (ids are only known once created); the parent is
     * listed before it.
     */
    private CustomerDraft withParentResolved(Caller operator, CustomerDraft d) {
        if (d.parentId() == null) {
            return d;
        }
        var parent = services.customers().list(operator, new CustomerQuery(null, null, d.parentId()), PageRequest.first(1)).items();
        if (parent.isEmpty()) {
            throw new IllegalStateException("demo.yaml: the parent " + d.parentId() + " of " + d.externalId() + " must be listed before it");
        }
        return new CustomerDraft(d.externalId(), d.legalName(), d.billingEmails(), d.billingAddress(), d.currency(), d.timeZone(), d.taxId(), d.taxStatus(),
                d.alignment(), d.paymentTerms(), d.accountType(), d.metadata(), d.testClockId(), d.billingCycleDay(), parent.getFirst().id(), d.invoicing());
    }

    private void subscribe(Caller operator, DemoTenant demo, String externalId, String customerId) {
        if (demo.subscriptions() == null) {
            return;
        }
        for (DemoSubscription s : demo.subscriptions()) {
            if (s.customer().equals(externalId)) {
                java.time.LocalDate start = s.startDaysAgo() == null ? null
                        : LocalDate.now(ZoneOffset.UTC).minusDays(s.startDaysAgo());
                if (s.contacts() != null) {
                    services.contacts().push(operator, customerId, java.math.BigDecimal.valueOf(s.contacts()));
                }
                if (s.topUp() != null) {
                    var customer = services.customers().get(operator, customerId);
                    services.wallets().topUp(operator, customerId, new java.math.BigDecimal(s.topUp()), customer.currency().getCurrencyCode(), "Demo top-up");
                }
                for (DemoCreditWallet w : s.creditWallets() == null ? List.<DemoCreditWallet>of() : s.creditWallets()) {
                    openCreditWallet(operator, customerId, w);
                }
                var sub = services.subscriptions().create(operator, new CreateSubscription(customerId, s.plan(), s.interval(), start, null, null, null));
                for (String addOn : s.addOns() == null ? List.<String>of() : s.addOns()) {
                    services.addOns().purchase(operator, sub.id(), addOn, false);
                }
                for (DemoNumber n : s.numbers() == null ? List.<DemoNumber>of() : s.numbers()) {
                    services.numbers().provision(operator, sub.id(), n.number(), n.country(), n.type(), n.addOn());
                }
                for (DemoScheduled a : s.scheduled() == null ? List.<DemoScheduled>of() : s.scheduled()) {
                    LocalDate today = services.subscriptions().today(operator, sub);
                    services.scheduledActions().schedule(operator, sub.id(),
                            new ScheduledActionService.Request(a.action(), today.plusDays(a.inDays()), a.plan(), a.quantity(), null));
                }
                if (s.pauseResumeInDays() != null) {
                    services.pauses().pause(operator, sub.id(), services.subscriptions().today(operator, sub).plusDays(s.pauseResumeInDays()));
                }
                for (DemoOneOff o : s.oneOffCharges() == null ? List.<DemoOneOff>of() : s.oneOffCharges()) {
                    services.oneOffCharges().create(operator, customerId, new OneOffChargeService.Request(o.description(), new BigDecimal(o.amount()),
                            null, null, null, o.taxCategory(), o.invoice(), sub.id()));
                }
            }
        }
    }

    private void openCreditWallet(Caller operator, String customerId, DemoCreditWallet w) {
        var opened = services.creditWallets().open(operator, customerId, new CreditWallets.Opening(w.name(), w.unit(), new BigDecimal(w.rate()), null, null,
                w.appliesTo(), w.recurring() == null ? null : new BigDecimal(w.recurring()), null, null, null));
        if (w.grant() != null) {
            Instant expires = w.grantDays() == null ? null : opened.at().plus(Duration.ofDays(w.grantDays()));
            services.creditWallets().grant(operator, customerId, opened.wallet().id(), new BigDecimal(w.grant()), false, expires, "Welcome credits");
        }
    }

    /** Imports the shipped catalog unless this tenant already has that version (or a newer one); the version imported, else null. */
    private Integer importCatalog(Caller operator, String file) {
        String source = text("/demo/catalogs/" + file);
        var latest = services.catalogs().versions(operator).stream().findFirst();
        int shipped = services.catalogs().validate(file, source).version();
        if (latest.isEmpty() || latest.get().version() < shipped) {
            services.catalogs().importCatalog(operator, file, source);
            return shipped;
        }
        return null;
    }

    private static String text(String resource) {
        try (InputStream in = DemoLoader.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("Demo resource " + resource + " is missing from the build");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static <T> T read(String resource, Class<T> type) {
        try (InputStream in = DemoLoader.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("Demo resource " + resource + " is missing from the build");
            }
            return YAML.readValue(in, type);
        } catch (IOException e) {
            throw new UncheckedIOException("Demo resource " + resource + " does not parse: " + e.getMessage(), e);
        }
    }

    private Properties loadKeys() {
        Properties keys = new Properties();
        if (Files.exists(keysFile)) {
            try (Reader r = Files.newBufferedReader(keysFile, StandardCharsets.UTF_8)) {
                keys.load(r);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return keys;
    }

    private void saveKeys(Properties keys) {
        try {
            Files.createDirectories(keysFile.getParent());
            try (Writer w = Files.newBufferedWriter(keysFile, StandardCharsets.UTF_8)) {
                keys.store(w, "Secrets of the demo tenants' API keys (sandbox only). Accrue itself stores only their hashes.");
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
