package dev.accrue.server.cli;

import dev.accrue.app.billingrun.BillingRuns;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.PrintStream;
import java.util.concurrent.Callable;

@Command(name = "billing", mixinStandardHelpOptions = true, description = "Run billing now.",
        subcommands = {BillingCommand.Run.class})
class BillingCommand {

    @Command(name = "run", mixinStandardHelpOptions = true,
            description = "Bill every subscription that is due now (each in its customer's time zone) and exit. Safe to run on several nodes at once: "
                    + "what another node is billing is waited for (--wait) or reported. Exit status 0 when everything due was billed, "
                    + "1 when some subscriptions failed (they stay due), 3 when some were still held by another node.")
    static class Run implements Callable<Integer> {
        static final int SOME_FAILED = 1;
        static final int HELD_ELSEWHERE = 3;

        @Mixin
        NodeOptions node;

        @Option(names = "--batch", defaultValue = "200", description = "Subscriptions claimed per transaction")
        int batch;

        @Option(names = "--wait", defaultValue = "0",
                description = "Seconds to wait for subscriptions another node is billing, running again until none is left (default 0: report them)")
        int waitSeconds;

        @Override
        public Integer call() throws InterruptedException {
            PrintStream out = System.out;
            Progress progress = new Progress(out, System.console() != null);
            try (var accrue = node.open()) {
                String who = "cli:" + System.getProperty("user.name", "operator");
                BillingRuns.Summary run = accrue.services().billingRuns().runRequested(who, batch, progress::show);
                long deadline = System.nanoTime() + waitSeconds * 1_000_000_000L;
                int done = run.done();
                int invoices = run.invoices();
                int failed = run.failed();
                while (run.heldElsewhere() > 0 && System.nanoTime() < deadline) {
                    progress.end();
                    out.printf("%d subscriptions are being billed by another node; waiting%n", run.heldElsewhere());
                    Thread.sleep(1000);
                    run = accrue.services().billingRuns().runRequested(who, batch, progress::show);
                    done += run.done();
                    invoices += run.invoices();
                    failed += run.failed();
                }
                progress.end();
                out.printf("billed %d subscriptions: %d invoices issued, %d failed%n", done, invoices, failed);
                if (run.heldElsewhere() > 0) {
                    out.printf("%d due subscriptions are being billed by another node right now and are not counted here "
                            + "(see GET /v1/billing_runs; --wait SECONDS waits for them)%n", run.heldElsewhere());
                }
                if (failed > 0) {
                    out.printf("%d subscriptions failed and stay due; the server log names each with its error%n", failed);
                    return SOME_FAILED;
                }
                return run.heldElsewhere() > 0 ? HELD_ELSEWHERE : 0;
            }
        }
    }

    /** A bar redrawn in place on a terminal; on a pipe or file, a plain line now and then. */
    static final class Progress {
        private static final int WIDTH = 30;
        private final PrintStream out;
        private final boolean terminal;
        private boolean drawn;
        private int lastPercentLogged = -1;

        Progress(PrintStream out, boolean terminal) {
            this.out = out;
            this.terminal = terminal;
        }

        void show(BillingRuns.Summary t) {
            int total = Math.max(t.due(), 1);
            int finished = t.done() + t.failed();
            int percent = Math.min(100, finished * 100 / total);
            if (terminal) {
                int filled = percent * WIDTH / 100;
                out.printf("\r[%s%s] %3d%% %d/%d subscriptions, %d invoices, %d failed", "#".repeat(filled), ".".repeat(WIDTH - filled), percent,
                        finished, t.due(), t.invoices(), t.failed());
                out.flush();
                drawn = true;
            } else if (percent / 10 > lastPercentLogged / 10 || lastPercentLogged < 0) {
                lastPercentLogged = percent;
                out.printf("progress %d%%: %d/%d subscriptions, %d invoices, %d failed%n", percent, finished, t.due(), t.invoices(), t.failed());
            }
        }

        void end() {
            if (drawn) {
                out.println();
                drawn = false;
            }
        }
    }
}
