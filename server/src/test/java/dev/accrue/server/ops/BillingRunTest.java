package dev.accrue.server.ops;

import com.fasterxml.jackson.databind.JsonNode;
import dev.accrue.app.auth.Caller;
import dev.accrue.app.billingrun.BillingRuns;
import dev.accrue.app.subscription.CreateSubscription;
import dev.accrue.core.customer.CustomerDraft;
import dev.accrue.server.Services;
import dev.accrue.server.support.Fixtures;
import dev.accrue.server.cli.AccrueCli;
import dev.accrue.server.support.TestNode;
import org.jdbi.v3.core.Handle;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Billing runs recorded, followed while they go, and reported honestly by the CLI (issue 17 point 3). */
class BillingRunTest {
    private final Services services = TestNode.get().accrue().services();

    @Test
    void aRunIsRecordedWithItsProgressAndWhatAnotherNodeHeld() throws Exception {
        var tenant = TestNode.get().newTenant("billing runs");
        List<String> subs = unbilledSubscriptions(tenant, 6);
        List<JsonNode> seenWhileRunning = new ArrayList<>();
        List<BillingRuns.Summary> watched = new ArrayList<>();
        BillingRuns.Summary run;
        // another node's run holds one subscription (its row lock) for the whole of this run
        try (Handle otherNode = TestNode.get().accrue().database().jdbi().open()) {
            otherNode.begin();
            otherNode.createQuery("SELECT id FROM subscriptions WHERE tenant_id = :t AND id = :id FOR UPDATE")
                    .bind("t", tenant.id()).bind("id", subs.getLast()).mapTo(String.class).one();
            run = services.billingRuns().runRequested("cli:tester", 1, totals -> {
                watched.add(totals);
                if (totals.done() == 1) {
                    sleep(700); // past the progress-writing interval, so the next subscription's progress is written
                } else if (totals.done() == 2 && seenWhileRunning.isEmpty()) {
                    seenWhileRunning.add(tenant.api().get("/v1/billing_runs/" + totals.runId()).json());
                }
            });
            otherNode.rollback();
        }
        assertThat(watched).extracting(BillingRuns.Summary::done).isSorted();
        JsonNode during = seenWhileRunning.getFirst();
        assertThat(during.path("status").asText()).isEqualTo("running");
        assertThat(during.path("finished_at").isNull()).isTrue();
        assertThat(during.path("done").asInt()).isBetween(1, 5);

        var listed = tenant.api().get("/v1/billing_runs");
        assertThat(listed.status()).isEqualTo(200);
        JsonNode recorded = listed.json().at("/data/0");
        assertThat(recorded.path("id").asText()).isEqualTo(run.runId());
        assertThat(recorded.path("status").asText()).isEqualTo("completed");
        assertThat(recorded.path("triggered_by").asText()).isEqualTo("cli:tester");
        assertThat(recorded.path("due").asInt()).isEqualTo(6);
        assertThat(recorded.path("done").asInt()).isEqualTo(5);
        assertThat(recorded.path("failed").asInt()).isZero();
        assertThat(recorded.path("invoices_issued").asInt()).isGreaterThanOrEqualTo(5);
        assertThat(recorded.path("held_by_other_nodes").asInt()).isEqualTo(1);
        assertThat(run.heldElsewhere()).isGreaterThanOrEqualTo(1);

        // the next run bills the one that was held
        var next = services.billingRuns().runRequested("cli:tester", 10, BillingRuns.Watcher.NONE);
        JsonNode second = tenant.api().get("/v1/billing_runs/" + next.runId()).json();
        assertThat(second.path("done").asInt()).isEqualTo(1);
        assertThat(second.path("held_by_other_nodes").asInt()).isZero();
        // another tenant never sees this tenant's runs
        var stranger = TestNode.get().newTenant("stranger");
        assertThat(stranger.api().get("/v1/billing_runs/" + next.runId()).status()).isEqualTo(404);
    }

    @Test
    void theCliExitsNonZeroWhenSomeFailedAndSaysWhatAnotherNodeHolds() throws Exception {
        var tenant = TestNode.get().newTenant("billing cli");
        List<String> subs = unbilledSubscriptions(tenant, 3);
        // a subscription whose plan is gone from the catalog cannot be billed: it fails, and stays due
        services.tx().run(() -> services.tx().handle().createUpdate("UPDATE subscriptions SET plan_code = 'vanished' WHERE tenant_id = :t AND id = :id")
                .bind("t", tenant.id()).bind("id", subs.getFirst()).execute());
        Run failing;
        try (Handle otherNode = TestNode.get().accrue().database().jdbi().open()) {
            otherNode.begin();
            otherNode.createQuery("SELECT id FROM subscriptions WHERE tenant_id = :t AND id = :id FOR UPDATE")
                    .bind("t", tenant.id()).bind("id", subs.getLast()).mapTo(String.class).one();
            failing = cli("billing", "run", "--batch", "5");
            otherNode.rollback();
        }
        assertThat(failing.exit()).as(failing.out() + failing.err()).isEqualTo(1);
        assertThat(failing.out()).doesNotContain("\r"); // not a terminal: plain lines
        assertThat(failing.out()).containsPattern("progress \\d+%");
        assertThat(failing.out()).containsPattern("\\d+ failed");
        assertThat(failing.out()).contains("are being billed by another node right now");
        JsonNode run = tenant.api().get("/v1/billing_runs").json().at("/data/0");
        assertThat(run.path("status").asText()).isEqualTo("completed_with_failures");
        assertThat(run.path("failed").asInt()).isEqualTo(1);
        assertThat(run.path("held_by_other_nodes").asInt()).isEqualTo(1);
        assertThat(run.path("triggered_by").asText()).startsWith("cli:");

        // the plan comes back: everything due is billed and the CLI says so with status 0
        services.tx().run(() -> services.tx().handle().createUpdate("UPDATE subscriptions SET plan_code = 'basic' WHERE tenant_id = :t AND id = :id")
                .bind("t", tenant.id()).bind("id", subs.getFirst()).execute());
        Run clean = cli("billing", "run", "--wait", "5");
        assertThat(clean.exit()).as(clean.out() + clean.err()).isZero();
        assertThat(clean.out()).containsPattern("billed \\d+ subscriptions").contains("0 failed").doesNotContain("being billed by another node");
    }

    private List<String> unbilledSubscriptions(TestNode.TestTenant tenant, int n) {
        Caller caller = Caller.operator(tenant.id());
        assertThat(tenant.api().postYaml("/v1/catalog/versions", Fixtures.CATALOG_V1).status()).isEqualTo(201);
        LocalDate today = LocalDate.now(ZoneOffset.UTC);
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            var customer = services.customers().create(caller, new CustomerDraft(null, "Run " + i, List.of("billing@runs.example"),
                    new CustomerDraft.AddressDraft("1 Main St", null, "Springfield", null, null, "US"), "USD", "UTC", null, null, "calendar",
                    null, null, null, null));
            ids.add(services.subscriptions().createWithoutBilling(caller,
                    new CreateSubscription(customer.id(), "basic", "month", today.minusMonths(1), 0, "calendar", null)).id());
        }
        return ids;
    }

    record Run(int exit, String out, String err) {
    }

    private static Run cli(String... args) {
        List<String> full = new ArrayList<>(List.of(args));
        full.addAll(List.of("--data-dir", TestNode.get().dataDir().toString()));
        PrintStream out = System.out;
        PrintStream err = System.err;
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        ByteArrayOutputStream e = new ByteArrayOutputStream();
        System.setOut(new PrintStream(o, true, StandardCharsets.UTF_8));
        System.setErr(new PrintStream(e, true, StandardCharsets.UTF_8));
        try {
            return new Run(AccrueCli.run(full.toArray(String[]::new)), o.toString(StandardCharsets.UTF_8), e.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(out);
            System.setErr(err);
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
