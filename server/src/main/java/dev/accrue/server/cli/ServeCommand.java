package dev.accrue.server.cli;

import dev.accrue.server.Accrue;
import dev.accrue.server.AccrueConfig;
import dev.accrue.server.demo.DemoLoader;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

@Command(name = "serve", mixinStandardHelpOptions = true, description = "Run the Accrue server (API) until stopped.")
class ServeCommand implements Callable<Integer> {
    @Mixin
    NodeOptions node;

    @Option(names = "--port", description = "HTTP port (default 8080 or ACCRUE_PORT; 0 picks a free one)")
    Integer port;

    @Option(names = "--host", description = "Interface to listen on (default 127.0.0.1 or ACCRUE_HOST)")
    String host;

    @Option(names = "--billing-interval", defaultValue = "60", description = "Seconds between billing runs (default 60)")
    int billingSeconds;

    @Option(names = "--demo", description = "Load the demo tenants, catalogs and customers first (idempotent)")
    boolean demo;

    @Override
    public Integer call() throws InterruptedException {
        AccrueConfig config = node.config();
        if (port != null) {
            config = config.withPort(port);
        }
        if (host != null) {
            config = config.withHost(host);
        }
        Accrue accrue = Accrue.open(config, Clock.systemUTC());
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            accrue.close();
            stopped.countDown();
        }, "accrue-shutdown"));
        DemoLoader.Result demoResult = demo ? new DemoLoader(accrue.services(), config.dataDir()).load() : null;
        accrue.serve(config.host(), config.port()).scheduleBilling(java.time.Duration.ofSeconds(billingSeconds));
        accrue.deliverEvents(Duration.ofSeconds(1)); // webhooks, notifications, reminders
        var mail = dev.accrue.server.MailSettings.fromEnvironment(System.getenv());
        var eml = config.dataDir().resolve("mail");
        var interval = dev.accrue.server.MailSettings.interval(System.getenv());
        accrue.sendMailWith(mail.<dev.accrue.app.mail.MailTransport>map(dev.accrue.server.MailSettings::transport)
                .orElseGet(() -> new dev.accrue.adapters.mail.EmlFileTransport(eml, dev.accrue.server.MailSettings.from(System.getenv()))), interval);
        String base = "http://" + (config.host().equals("0.0.0.0") ? "localhost" : config.host()) + ":" + accrue.port();
        var out = System.out;
        out.println();
        out.println("Accrue " + Accrue.VERSION + " is running (" + (config.embedded() ? "embedded PostgreSQL under " + config.dataDir().toAbsolutePath() : config.dbUrl()) + ")");
        out.println("  API       " + base + "/v1");
        out.println("  OpenAPI   " + base + "/openapi.json");
        out.println("  Health    " + base + "/health");
        out.println("  Metrics   " + base + "/metrics");
        out.println("  Console   " + base + "/console   (staff sign-in; customers reach " + base + "/portal through POST /v1/portal_sessions links)");
        out.println("  Mail      " + mail.map(dev.accrue.server.MailSettings::describe)
                .orElse("no SMTP server set (ACCRUE_SMTP_HOST); emails are written as .eml files to " + eml.toAbsolutePath()
                        + " and listed at GET " + base + "/v1/emails"));
        if (demoResult != null) {
            demoResult.print(out);
            new dev.accrue.server.demo.DemoWebAccess(accrue.services(), config.dataDir()).print(out, base, demoResult);
            out.println("  Try: curl -H 'Authorization: Bearer " + demoResult.firstKey() + "' " + base + "/v1/customers");
        }
        out.println("Press Ctrl+C to stop.");
        out.flush();
        stopped.await();
        return 0;
    }
}
