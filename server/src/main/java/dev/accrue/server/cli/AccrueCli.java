package dev.accrue.server.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code accrue …}: the operator's command line. Each subcommand is its own class. */
@Command(name = "accrue", mixinStandardHelpOptions = true, version = "accrue 0.1.0",
        description = "Open-source billing for subscription and usage-based businesses.",
        subcommands = {ServeCommand.class, DemoCommand.class, MigrateCommand.class, CatalogCommand.class, BillingCommand.class, TestClockCommand.class,
                TenantCommand.class, ApiKeyCommand.class, HealthCommand.class, CommandLine.HelpCommand.class})
public final class AccrueCli {

    public static void main(String[] args) {
        System.exit(run(args));
    }

    public static int run(String... args) {
        CommandLine cli = new CommandLine(new AccrueCli());
        cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            commandLine.getErr().println("error: " + e.getMessage());
            return 1;
        });
        return cli.execute(args);
    }
}
