package dev.accrue.server.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

import java.util.concurrent.Callable;

@Command(name = "migrate", mixinStandardHelpOptions = true, description = "Apply pending database migrations and exit.")
class MigrateCommand implements Callable<Integer> {
    @Mixin
    NodeOptions node;

    @Override
    public Integer call() {
        try (var accrue = node.open()) {
            System.out.println("Database schema is up to date.");
        }
        return 0;
    }
}
