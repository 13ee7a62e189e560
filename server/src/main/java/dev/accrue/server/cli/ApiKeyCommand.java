package dev.accrue.server.cli;

import dev.accrue.app.auth.Caller;
import dev.accrue.app.auth.Role;
import dev.accrue.app.tenant.Tenant;
import dev.accrue.server.Accrue;
import dev.accrue.core.error.AccrueException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.util.concurrent.Callable;

@Command(name = "apikey", mixinStandardHelpOptions = true, description = "Create and revoke API keys.",
        subcommands = {ApiKeyCommand.Create.class, ApiKeyCommand.Revoke.class})
class ApiKeyCommand {

    static Tenant tenant(Accrue accrue, String idOrName) {
        var tenants = accrue.services().tenants();
        return tenants.find(idOrName).or(() -> tenants.findByName(idOrName))
                .orElseThrow(() -> AccrueException.notFound("tenant", idOrName));
    }

    @Command(name = "create", mixinStandardHelpOptions = true, description = "Create an API key; the secret is printed once.")
    static class Create implements Callable<Integer> {
        @Mixin
        NodeOptions node;

        @Option(names = "--tenant", required = true, description = "Tenant id or name")
        String tenant;

        @Option(names = "--name", defaultValue = "cli key")
        String name;

        @Option(names = "--role", defaultValue = "admin", description = "admin or read_only")
        String role;

        @Override
        public Integer call() {
            Role parsed = Role.fromWire(role);
            if (parsed == null) {
                throw new IllegalArgumentException("--role must be 'admin' or 'read_only', got '" + role + "'");
            }
            try (var accrue = node.open()) {
                Tenant t = tenant(accrue, tenant);
                var issued = accrue.services().apiKeys().create(Caller.operator(t.id()), name, parsed);
                System.out.println("api key " + issued.key().id() + "  role " + parsed.wire() + "  secret: " + issued.secret());
                System.out.println("Store the secret now: it is not shown again.");
            }
            return 0;
        }
    }

    @Command(name = "revoke", mixinStandardHelpOptions = true, description = "Revoke an API key immediately.")
    static class Revoke implements Callable<Integer> {
        @Mixin
        NodeOptions node;

        @Option(names = "--tenant", required = true, description = "Tenant id or name")
        String tenant;

        @Parameters(paramLabel = "KEY_ID")
        String keyId;

        @Override
        public Integer call() {
            try (var accrue = node.open()) {
                Tenant t = tenant(accrue, tenant);
                var key = accrue.services().apiKeys().revoke(Caller.operator(t.id()), keyId);
                System.out.println("revoked " + key.id() + " at " + key.revokedAt());
            }
            return 0;
        }
    }
}
