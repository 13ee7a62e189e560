package dev.accrue.server.ops;

import dev.accrue.server.support.Unique;
import com.fasterxml.jackson.databind.JsonNode;
import dev.accrue.adapters.postgres.Database;
import dev.accrue.adapters.scheduler.JobScheduler;
import dev.accrue.adapters.scheduler.RecurringJob;
import dev.accrue.app.auth.Caller;
import dev.accrue.app.subscription.CreateSubscription;
import dev.accrue.core.customer.CustomerDraft;
import dev.accrue.server.Services;
import dev.accrue.server.support.Fixtures;
import dev.accrue.server.support.TestNode;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The scheduler keeps its state and history in the database and runs each due job on one node only (issue 17
 * point 3): two schedulers on one database, as two nodes would run them.
 */
class JobSchedulerTest {
    private static final Duration POLL = Duration.ofMillis(100);
    private final Database database = TestNode.get().accrue().database();
    private final Services services = TestNode.get().accrue().services();

    @Test
    void aDueJobRunsOnceThoughTwoNodesPollForIt() throws Exception {
        String name = "once-" + Unique.suffix();
        AtomicInteger runs = new AtomicInteger();
        Map<String, Integer> byNode = new ConcurrentHashMap<>();
        try (var a = scheduler("node-a", name, Duration.ofHours(1), runs, byNode);
             var b = scheduler("node-b", name, Duration.ofHours(1), runs, byNode)) {
            a.start();
            b.start();
            awaitAtLeast(runs, 1);
            Thread.sleep(20 * POLL.toMillis()); // twenty more polls of each node: the job is not due again for an hour
        }
        assertThat(runs.get()).isEqualTo(1);
        assertThat(byNode).hasSize(1);
        var history = database.jdbi().withHandle(h -> h.createQuery("SELECT node || ':' || outcome FROM scheduled_job_runs WHERE job = :job")
                .bind("job", name).mapTo(String.class).list());
        assertThat(history).containsExactly(byNode.keySet().iterator().next() + ":succeeded");
        Instant next = database.jdbi().withHandle(h -> h.createQuery("SELECT execution_time FROM scheduled_tasks WHERE task_name = :job")
                .bind("job", name).mapTo(Instant.class).one());
        assertThat(next).isAfter(Instant.now().plus(Duration.ofMinutes(59)));
    }

    @Test
    void aJobThatRepeatsNeverRunsOnTwoNodesAtOnce() throws Exception {
        String name = "often-" + Unique.suffix();
        AtomicInteger running = new AtomicInteger();
        AtomicInteger mostAtOnce = new AtomicInteger();
        AtomicInteger runs = new AtomicInteger();
        Map<String, Integer> byNode = new ConcurrentHashMap<>();
        Runnable work = () -> {
            mostAtOnce.accumulateAndGet(running.incrementAndGet(), Math::max);
            sleep(150); // longer than a poll: the other node polls while this one runs
            running.decrementAndGet();
        };
        try (var a = scheduler("node-a", name, Duration.ofMillis(50), work, runs, byNode);
             var b = scheduler("node-b", name, Duration.ofMillis(50), work, runs, byNode)) {
            a.start();
            b.start();
            awaitAtLeast(runs, 8);
        }
        assertThat(mostAtOnce.get()).isEqualTo(1);
        Integer recorded = database.jdbi().withHandle(h -> h.createQuery("SELECT count(*) FROM scheduled_job_runs WHERE job = :job")
                .bind("job", name).mapTo(Integer.class).one());
        assertThat(recorded).isEqualTo(runs.get());
    }

    @Test
    void theScheduledBillingRunIsRecordedOnceAndListed() throws Exception {
        var tenant = TestNode.get().newTenant("scheduled billing");
        Caller caller = Caller.operator(tenant.id());
        assertThat(tenant.api().postYaml("/v1/catalog/versions", Fixtures.CATALOG_V1).status()).isEqualTo(201);
        for (int i = 0; i < 3; i++) {
            var customer = services.customers().create(caller, new CustomerDraft(null, "Scheduled " + i, List.of("billing@scheduled.example"),
                    new CustomerDraft.AddressDraft("1 Main St", null, "Springfield", null, null, "US"), "USD", "UTC", null, null, "calendar",
                    null, null, null, null));
            services.subscriptions().createWithoutBilling(caller,
                    new CreateSubscription(customer.id(), "basic", "month", LocalDate.now(ZoneOffset.UTC).minusMonths(1), 0, "calendar", null));
        }
        String name = "billing-run-" + Unique.suffix();
        AtomicInteger runs = new AtomicInteger();
        Map<String, Integer> byNode = new ConcurrentHashMap<>();
        Runnable billing = () -> services.billingRuns().runScheduled(200);
        try (var a = scheduler("node-a", name, Duration.ofHours(1), billing, runs, byNode);
             var b = scheduler("node-b", name, Duration.ofHours(1), billing, runs, byNode)) {
            a.start();
            b.start();
            awaitAtLeast(runs, 1);
            Thread.sleep(10 * POLL.toMillis());
        }
        assertThat(runs.get()).isEqualTo(1);
        JsonNode listed = tenant.api().get("/v1/billing_runs").json();
        assertThat(listed.path("data")).hasSize(1);
        JsonNode run = listed.at("/data/0");
        assertThat(run.path("triggered_by").asText()).isEqualTo("system:scheduler");
        assertThat(run.path("status").asText()).isEqualTo("completed");
        assertThat(run.path("due").asInt()).isEqualTo(3);
        assertThat(run.path("done").asInt()).isEqualTo(3);
    }

    @Test
    void everyNodeSchedulesBillingAndCollectionsUnderTheSameNames() {
        assertThat(TestNode.get().accrue().recurringJobs(Duration.ofMinutes(1))).extracting(RecurringJob::name)
                .contains("billing-run", "collections");
    }

    private JobScheduler scheduler(String node, String job, Duration every, AtomicInteger runs, Map<String, Integer> byNode) {
        return scheduler(node, job, every, () -> {
        }, runs, byNode);
    }

    private JobScheduler scheduler(String node, String job, Duration every, Runnable work, AtomicInteger runs, Map<String, Integer> byNode) {
        Runnable counted = () -> {
            work.run();
            byNode.merge(node, 1, Integer::sum);
            runs.incrementAndGet();
        };
        return new JobScheduler(database.dataSource(), database.jdbi(), node, List.of(new RecurringJob(job, every, counted)), POLL,
                Duration.ofSeconds(1));
    }

    private static void awaitAtLeast(AtomicInteger counter, int n) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (counter.get() < n && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertThat(counter.get()).as("executions within 30 s").isGreaterThanOrEqualTo(n);
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
