package dev.accrue.server.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.util.concurrent.Callable;

@Command(name = "billing", mixinStandardHelpOptions = true, description = "Run billing now.",
        subcommands = {BillingCommand.Run.class})
class BillingCommand {

    @Command(name = "run", mixinStandardHelpOptions = true,
            description = "Bill every subscription that is due now (each in its customer's time zone) and exit. Safe to run on several nodes at once.")
    static class Run implements Callable<Integer> {
        @Mixin
        NodeOptions node;

        @Option(names = "--batch", defaultValue = "200", description = "Subscriptions claimed per transaction")
        int batch;

        @Override
        public Integer call() {
            try (var accrue = node.open()) {
                long started = System.nanoTime();
                int issued = accrue.services().billing().runDue(batch);
                System.out.printf("issued %d invoices in %d ms%n", issued, (System.nanoTime() - started) / 1_000_000);
            }
            return 0;
        }
    }
}
