package dev.accrue.server.cli;

import dev.accrue.app.auth.Caller;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.time.Instant;
import java.util.concurrent.Callable;

@Command(name = "testclock", mixinStandardHelpOptions = true, description = "Sandbox test clocks: create and advance.",
        subcommands = {TestClockCommand.Create.class, TestClockCommand.Advance.class})
class TestClockCommand {

    @Command(name = "create", mixinStandardHelpOptions = true, description = "Create a test clock in a sandbox tenant.")
    static class Create implements Callable<Integer> {
        @Mixin
        NodeOptions node;

        @Option(names = "--tenant", required = true, description = "Tenant id or name")
        String tenant;

        @Option(names = "--name", defaultValue = "test clock")
        String name;

        @Option(names = "--time", description = "Initial time, e.g. 2026-01-01T00:00:00Z (default now)")
        Instant time;

        @Override
        public Integer call() {
            try (var accrue = node.open()) {
                var t = ApiKeyCommand.tenant(accrue, tenant);
                var clock = accrue.services().testClocks().create(Caller.operator(t.id()), name, time);
                System.out.println("test clock " + clock.id() + " at " + clock.frozenTime());
            }
            return 0;
        }
    }

    @Command(name = "advance", mixinStandardHelpOptions = true,
            description = "Move a test clock forward; every billing job that falls due on the way runs, in order.")
    static class Advance implements Callable<Integer> {
        @Mixin
        NodeOptions node;

        @Option(names = "--tenant", required = true, description = "Tenant id or name")
        String tenant;

        @Parameters(index = "0", paramLabel = "CLOCK_ID")
        String clockId;

        @Parameters(index = "1", paramLabel = "TIME", description = "The new time, e.g. 2026-07-01T00:00:00Z")
        Instant time;

        @Override
        public Integer call() {
            try (var accrue = node.open()) {
                var t = ApiKeyCommand.tenant(accrue, tenant);
                long started = System.nanoTime();
                var clock = accrue.services().testClocks().advance(Caller.operator(t.id()), clockId, time);
                System.out.printf("test clock %s now at %s (%d ms)%n", clock.id(), clock.frozenTime(), (System.nanoTime() - started) / 1_000_000);
            }
            return 0;
        }
    }
}
