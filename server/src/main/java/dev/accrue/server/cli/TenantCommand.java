package dev.accrue.server.cli;

import dev.accrue.core.tenant.TenantMode;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.util.concurrent.Callable;

@Command(name = "tenant", mixinStandardHelpOptions = true, description = "Create and list tenants.",
        subcommands = {TenantCommand.Create.class, TenantCommand.ListTenants.class})
class TenantCommand {

    @Command(name = "create", mixinStandardHelpOptions = true, description = "Create a tenant and print its first admin API key (shown once).")
    static class Create implements Callable<Integer> {
        @Mixin
        NodeOptions node;

        @Option(names = "--name", required = true, description = "Unique tenant name")
        String name;

        @Option(names = "--mode", defaultValue = "sandbox", description = "live or sandbox (default sandbox)")
        String mode;

        @Override
        public Integer call() {
            TenantMode parsed = TenantMode.fromWire(mode);
            if (parsed == null) {
                throw new IllegalArgumentException("--mode must be 'live' or 'sandbox', got '" + mode + "'");
            }
            try (var accrue = node.open()) {
                var created = accrue.services().tenants().create(name, parsed);
                System.out.println("tenant  " + created.tenant().id() + "  " + created.tenant().name() + "  (" + parsed.wire() + ")");
                System.out.println("api key " + created.adminKey().key().id() + "  secret: " + created.adminKey().secret());
                System.out.println("Store the secret now: it is not shown again.");
            }
            return 0;
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "List tenants.")
    static class ListTenants implements Callable<Integer> {
        @Mixin
        NodeOptions node;

        @Override
        public Integer call() {
            try (var accrue = node.open()) {
                accrue.services().tenants().all().forEach(t ->
                        System.out.println(t.id() + "  " + t.mode().wire() + "  " + t.name()));
            }
            return 0;
        }
    }
}
