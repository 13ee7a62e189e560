package dev.accrue.server.demo;

import dev.accrue.app.auth.Caller;
import dev.accrue.app.customer.CustomerQuery;
import dev.accrue.app.page.PageRequest;
import dev.accrue.app.web.Secrets;
import dev.accrue.server.Services;
import dev.accrue.core.customer.Customer;

import java.io.IOException;
import java.io.PrintStream;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Properties;

/**
 * The way into the demo's web pages: one console admin per demo tenant (its password kept in the data directory,
 * since Accrue itself stores only the Argon2id hash) and a fresh one-time portal link per demo customer.
 */
public final class DemoWebAccess {
    private final Services services;
    private final Path passwordsFile;

    public DemoWebAccess(Services services, Path dataDir) {
        this.services = services;
        this.passwordsFile = dataDir.resolve("demo-staff.properties");
    }

    public void print(PrintStream out, String base, DemoLoader.Result demo) {
        Properties passwords = load();
        out.println("  Console   " + base + "/console/login   (demo staff, role admin)");
        for (DemoLoader.LoadedTenant t : demo.tenants()) {
            String email = "admin@" + t.tenant().name().toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "-").replaceAll("(^-|-$)", "") + ".demo";
            String password = passwords.getProperty(email);
            if (password == null) {
                password = Secrets.newToken().substring(0, 20);
                services.staff().create(Caller.operator(t.tenant().id()), email, "Demo admin", "admin", password);
                passwords.setProperty(email, password);
            }
            out.printf("    %-22s %s / %s%n", t.tenant().name(), email, password);
        }
        save(passwords);
        out.println("  Portal links (one-time, valid 10 minutes; ask again with POST /v1/portal_sessions):");
        for (DemoLoader.LoadedTenant t : demo.tenants()) {
            Caller operator = Caller.operator(t.tenant().id());
            for (Customer c : services.customers().list(operator, CustomerQuery.all(), PageRequest.first(PageRequest.MAX_LIMIT)).items()) {
                String email = c.billingEmails().isEmpty() ? "owner@example.com" : c.billingEmails().getFirst();
                var link = services.portalAccess().createLink(operator, c.id(), email, "admin", null, null);
                out.printf("    %-22s %-28s %s%n", t.tenant().name(), c.legalName(), base + link.path());
            }
        }
    }

    private Properties load() {
        Properties p = new Properties();
        if (Files.exists(passwordsFile)) {
            try (Reader r = Files.newBufferedReader(passwordsFile, StandardCharsets.UTF_8)) {
                p.load(r);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return p;
    }

    private void save(Properties p) {
        try {
            Files.createDirectories(passwordsFile.getParent());
            try (Writer w = Files.newBufferedWriter(passwordsFile, StandardCharsets.UTF_8)) {
                p.store(w, "Passwords of the demo console users (sandbox only). Accrue itself stores only their Argon2id hashes.");
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
