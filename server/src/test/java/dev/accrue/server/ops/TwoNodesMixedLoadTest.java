package dev.accrue.server.ops;

import com.fasterxml.jackson.databind.JsonNode;
import dev.accrue.app.tenant.ApiKeyService;
import dev.accrue.server.support.Api;
import dev.accrue.server.support.Fixtures;
import dev.accrue.server.support.NodeProcess;
import dev.accrue.server.support.Sandbox;
import dev.accrue.server.support.TestNode;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.function.Function;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 18, point 7: two Accrue server processes ({@code accrue serve}) on one PostgreSQL under mixed load — usage
 * ingestion (some batches sent to both nodes at once), authorizations reserved on one node and settled on the other,
 * billing runs (test clock advances, some sent to both nodes at once), API writes (customers, subscriptions, upgrades,
 * each with an Idempotency-Key) — while one node is killed with SIGKILL mid-run and started again. Clients do what a
 * load balancer's clients do: a request that got no answer is sent again, unchanged, to the other node. The suite's
 * own node only sets the tenant up and reads the database afterwards.
 *
 * <p>Then: every acknowledged event is stored exactly once (count, sums, aggregates); no subscription is invoiced twice
 * for a period, nor skipped; reservations were never granted twice (every second committed is within the allowance,
 * and what is left to grant is exactly allowance − used); invoice numbers are gapless; every idempotent write happened
 * once. And the two documented bounds between nodes: a key revoked on one node is refused by the other within
 * {@link ApiKeyService#REMEMBER_MILLIS} (docs/api.md), and a plan changed on one node is seen by the other node's very
 * next authorization (docs/metering.md).
 */
class TwoNodesMixedLoadTest {
    private static final String CATALOG = """
            name: two nodes
            version: 1
            effective_from: 2020-01-01
            currencies: [USD]
            metrics:
              - { code: call_seconds, aggregation: sum, field: duration_seconds, unit: second }
            products:
              - { code: voice, name: Voice }
            plans:
              - code: basic
                product: voice
                name: Basic
                tier: 1
                alignment: calendar
                intervals: [{ interval: month }]
                charges:
                  - { type: recurring, code: base, name: Basic, monthly_price: { USD: "10.00" } }
                  - { type: metered, code: minutes, metric: call_seconds, allowances: [{ quantity: 600 }], overage: { policy: block } }
              - code: plus
                product: voice
                name: Plus
                tier: 2
                alignment: calendar
                intervals: [{ interval: month }]
                charges:
                  - { type: recurring, code: base, name: Plus, monthly_price: { USD: "30.00" } }
                  - { type: metered, code: minutes, metric: call_seconds, allowances: [{ quantity: 3600 }], overage: { policy: block } }
            """;
    private static final String BILLING_START = "2026-01-01T06:00:00Z";
    /** The clock of the customers that ingest and authorize: it does not move during the load. */
    private static final String STEADY = "2026-03-10T12:00:00Z";
    private static final int ALLOWANCE = 600;
    private static final int GRANT = 10;
    private static final int WRITTEN = 8;
    private static final int MONTHS = 4; // February to May

    private final AtomicReferenceArray<String> nodes = new AtomicReferenceArray<>(2);
    private final AtomicInteger lostAnswers = new AtomicInteger();
    /** When an authorization was first refused for want of allowance: the two nodes were then racing for the last seconds. */
    private final AtomicLong firstRefusal = new AtomicLong();
    private final ConcurrentLinkedQueue<String> problems = new ConcurrentLinkedQueue<>();
    private Api api;

    private static void log(long started, String what) {
        System.out.printf("%6d ms  %s%n", (System.nanoTime() - started) / 1_000_000, what);
    }

    private static Jdbi db() {
        return TestNode.get().accrue().database().jdbi();
    }

    @Test
    @Timeout(value = 240, unit = TimeUnit.SECONDS)
    void twoNodesUnderMixedLoadWithOneKilledLoseNothingBillNothingTwiceAndReserveNothingTwice() throws Exception {
        long started = System.nanoTime();
        Sandbox s = new Sandbox("two nodes", CATALOG, BILLING_START);
        List<String> billingClocks = List.of(s.clockId, clock(s.api, "billing 2"), clock(s.api, "billing 3"));
        String steady = clock(s.api, "steady", STEADY);
        for (int c = 0; c < 12; c++) {
            subscribe(s.api, customer(s.api, "Billed " + c, billingClocks.get(c % 3)));
        }
        List<String> ingesting = new ArrayList<>();
        for (int c = 0; c < 6; c++) {
            String customer = customer(s.api, "Ingesting " + c, steady);
            subscribe(s.api, customer);
            ingesting.add(customer);
        }
        List<String> authorizing = new ArrayList<>();
        for (int c = 0; c < 4; c++) {
            String customer = customer(s.api, "Authorizing " + c, steady);
            subscribe(s.api, customer);
            authorizing.add(customer);
        }

        String url = Files.readAllLines(TestNode.get().dataDir().resolve("postgres.url")).getFirst();
        Map<String, String> env = Map.of("ACCRUE_DB_URL", url, "ACCRUE_DB_POOL", "8", "ACCRUE_RATE_LIMIT_FAILED_AUTH", "100000");
        NodeProcess[] processes = new NodeProcess[2];
        try (ExecutorService starting = Executors.newFixedThreadPool(2)) {
            Future<NodeProcess> a = starting.submit(() -> NodeProcess.start(Files.createTempDirectory("node-a"), env));
            Future<NodeProcess> b = starting.submit(() -> NodeProcess.start(Files.createTempDirectory("node-b"), env));
            processes[0] = a.get();
            processes[1] = b.get();
        }
        api = s.api;
        nodes.set(0, processes[0].baseUrl());
        nodes.set(1, processes[1].baseUrl());

        log(started, "set up, both nodes listening");
        try {
            underLoad(s, started, processes, env, billingClocks, ingesting, authorizing);
        } finally {
            for (NodeProcess node : processes) {
                node.kill();
                // what went wrong on a node is in its log: errors, with their stack traces
                List<String> output = node.output();
                for (int i = 0; i < output.size(); i++) {
                    if (output.get(i).contains("ERROR")) {
                        output.subList(i, Math.min(output.size(), i + 40)).forEach(System.out::println);
                    }
                }
            }
        }
    }

    private void underLoad(Sandbox s, long started, NodeProcess[] processes, Map<String, String> env, List<String> billingClocks,
                           List<String> ingesting, List<String> authorizing) throws Exception {
        String tenant = s.tenant.id();
        Map<String, Integer> acknowledged = new ConcurrentHashMap<>();
        Set<String> acceptedOnce = ConcurrentHashMap.newKeySet();
        Map<String, BigDecimal> committed = new ConcurrentHashMap<>(); // authorization -> quantity committed
        Set<String> released = ConcurrentHashMap.newKeySet();
        Map<String, String> written = new ConcurrentHashMap<>(); // writer's customer -> subscription
        AtomicBoolean stop = new AtomicBoolean();
        CountDownLatch twoMonthsBilled = new CountDownLatch(2 * billingClocks.size());
        CountDownLatch restarted = new CountDownLatch(1);
        try (ExecutorService load = Executors.newFixedThreadPool(8)) {
            List<Future<?>> finite = new ArrayList<>();
            List<Future<?>> endless = new ArrayList<>();
            for (int t = 0; t < 2; t++) {
                int worker = t;
                endless.add(load.submit(() -> ingest(worker, ingesting, stop, acknowledged, acceptedOnce)));
                endless.add(load.submit(() -> authorize(worker, authorizing, stop, committed, released)));
            }
            finite.add(load.submit(() -> bill(billingClocks, twoMonthsBilled, restarted)));
            finite.add(load.submit(() -> write(billingClocks, written, restarted)));

            try {
                // node B dies mid-run, requests in flight; its clients go to A meanwhile, then B comes back on a new port
                assertThat(twoMonthsBilled.await(120, TimeUnit.SECONDS)).as("two months billed").isTrue();
                log(started, "killing node B");
                nodes.set(1, null);
                processes[1].kill();
                long killedAt = System.nanoTime();
                processes[1] = NodeProcess.start(Files.createTempDirectory("node-b2"), env);
                nodes.set(1, processes[1].baseUrl());
                restarted.countDown();
                log(started, "node B back after " + (System.nanoTime() - killedAt) / 1_000_000 + " ms");
                for (Future<?> f : finite) {
                    f.get(120, TimeUnit.SECONDS);
                }
                log(started, "billing and writes done");
                Thread.sleep(2_000); // both nodes under load again for a while
            } finally {
                stop.set(true);
            }
            for (Future<?> f : endless) {
                f.get(60, TimeUnit.SECONDS);
            }
        }
        log(started, "first authorization refused for want of allowance at " + (firstRefusal.get() - started) / 1_000_000 + " ms");
        System.out.printf("load ran %d ms: %d events acknowledged, %d authorizations committed and %d released, %d requests lost their answer%n",
                (System.nanoTime() - started) / 1_000_000, acknowledged.size(), committed.size(), released.size(), lostAnswers.get());
        assertThat(problems).isEmpty();

        everyAcknowledgedEventIsStoredOnce(tenant, ingesting, acknowledged);
        reservationsWereNeverGrantedTwice(tenant, authorizing, committed, released);
        everyPeriodIsInvoicedOnceAndNumbersAreGapless(tenant);
        idempotentWritesHappenedOnce(tenant, written);
        aRevokedKeyIsRefusedByTheOtherNodeWithinTheDocumentedBound();
        aChangedPlanIsSeenByTheOtherNodesNextAuthorization(tenant, authorizing.getFirst());
    }

    // ---------------------------------------------------------------- the load

    /** Batches of 50 events with unique ids; every 4th sent to both nodes at once, every 6th repeating 10 earlier ids. */
    private Void ingest(int worker, List<String> customers, AtomicBoolean stop, Map<String, Integer> acknowledged, Set<String> acceptedOnce) {
        try (ExecutorService both = Executors.newFixedThreadPool(2)) {
            for (int b = 0; !stop.get(); b++) {
                List<Map<String, Object>> events = new ArrayList<>();
                Map<String, Integer> quantities = new LinkedHashMap<>();
                for (int i = 0; i < 50; i++) {
                    event(worker, b, i, customers, events, quantities);
                }
                if (b % 6 == 5) {
                    for (int i = 0; i < 10; i++) {
                        event(worker, b - 1, i * 5, customers, events, quantities);
                    }
                }
                Map<String, Object> body = Map.of("events", events);
                List<Api.Response> answers = new ArrayList<>();
                if (b % 4 == 3) {
                    Future<Api.Response> one = both.submit(() -> send(0, a -> a.post("/v1/events/batch", body)));
                    Future<Api.Response> other = both.submit(() -> send(1, a -> a.post("/v1/events/batch", body)));
                    answers.add(one.get());
                    answers.add(other.get());
                } else {
                    answers.add(send((worker + b) % 2, a -> a.post("/v1/events/batch", body)));
                }
                for (Api.Response r : answers) {
                    if (r.status() != 200) {
                        problems.add("batch " + worker + "/" + b + ": " + r);
                        return null;
                    }
                    JsonNode results = r.json().get("results");
                    for (int i = 0; i < events.size(); i++) {
                        String id = (String) events.get(i).get("event_id");
                        String status = results.get(i).get("status").asText();
                        if (status.equals("accepted") && !acceptedOnce.add(id)) {
                            problems.add("event " + id + " accepted twice");
                        } else if (!status.equals("accepted") && !status.equals("duplicate")) {
                            problems.add("event " + id + " refused: " + results.get(i));
                        }
                        acknowledged.put(id, quantities.get(id));
                    }
                }
            }
        } catch (Exception e) {
            problems.add("ingestion " + worker + " failed: " + e);
        }
        return null;
    }

    private static void event(int worker, int batch, int i, List<String> customers, List<Map<String, Object>> events, Map<String, Integer> quantities) {
        String id = "ev-" + worker + "-" + batch + "-" + i;
        int seconds = 1 + (batch * 7 + i) % 9;
        Map<String, Object> e = new LinkedHashMap<>();
        e.put("event_id", id);
        e.put("customer_id", customers.get((batch + i) % customers.size()));
        e.put("metric", "call_seconds");
        e.put("timestamp", "2026-03-10T11:00:00Z");
        e.put("properties", Map.of("duration_seconds", seconds));
        events.add(e);
        quantities.put(id, seconds);
    }

    /** Reserves 40 s on one node and commits all of it (or, every third time, releases it) on the other. */
    private Void authorize(int worker, List<String> customers, AtomicBoolean stop, Map<String, BigDecimal> committed, Set<String> released) {
        try {
            // until told to stop, and not before the allowance ran out once: the race for the last seconds must happen
            for (int k = 0; !stop.get() || firstRefusal.get() == 0; k++) {
                String customer = customers.get((k * 3 + worker) % customers.size());
                int node = (k + worker) % 2;
                String key = "auth-" + worker + "-" + k;
                Api.Response r = sendIdempotent(node, key, a -> a.post("/v1/authorizations",
                        Map.of("customer_id", customer, "metric", "call_seconds", "requested", GRANT, "ttl_seconds", 3600)));
                if (r.status() != 200) {
                    problems.add("authorization " + key + ": " + r);
                    return null;
                }
                JsonNode decision = r.json();
                if (!decision.get("authorized").asBoolean()) {
                    firstRefusal.compareAndSet(0, System.nanoTime());
                    continue;
                }
                String id = decision.get("authorization_id").asText();
                BigDecimal granted = decimal(decision.get("granted"));
                boolean release = k % 3 == 2;
                Api.Response settled = send(1 - node, a -> release ? a.post("/v1/authorizations/" + id + "/release", Map.of())
                        : a.post("/v1/authorizations/" + id + "/commit", Map.of("quantity", granted)));
                // a settle whose first answer was lost and that is sent again finds it settled: that is its answer
                if (settled.status() != 200 && !"authorization_settled".equals(settled.code())) {
                    problems.add("settling " + id + ": " + settled);
                    return null;
                }
                if (release) {
                    released.add(id);
                } else {
                    committed.put(id, granted);
                }
            }
        } catch (Exception e) {
            problems.add("authorization " + worker + " failed: " + e);
        }
        return null;
    }

    /** Advances each billing clock a month at a time, on alternating nodes; every third advance goes to both at once. */
    private Void bill(List<String> clocks, CountDownLatch progress, CountDownLatch restarted) throws Exception {
        try (ExecutorService both = Executors.newFixedThreadPool(2)) {
            for (int m = 0; m < MONTHS; m++) {
                if (m == MONTHS - 1) {
                    restarted.await(); // the last month is billed by both nodes again
                }
                String to = LocalDate.of(2026, 2 + m, 1) + "T06:00:00Z";
                for (int c = 0; c < clocks.size(); c++) {
                    String clock = clocks.get(c);
                    Function<Api, Api.Response> advance = a -> a.post("/v1/test_clocks/" + clock + "/advance", Map.of("frozen_time", to));
                    List<Api.Response> answers = new ArrayList<>();
                    if ((m + c) % 3 == 0) {
                        Future<Api.Response> one = both.submit(() -> send(0, advance));
                        Future<Api.Response> other = both.submit(() -> send(1, advance));
                        answers.add(one.get());
                        answers.add(other.get());
                    } else {
                        answers.add(send((m + c) % 2, advance));
                    }
                    for (Api.Response r : answers) {
                        if (r.status() != 200) {
                            problems.add("advance of " + clock + " to " + to + ": " + r);
                        }
                    }
                    progress.countDown();
                }
                Thread.sleep(400);
            }
        }
        return null;
    }

    /** New customers on the billing clocks, subscribed and upgraded at once, each write with its Idempotency-Key. */
    private Void write(List<String> clocks, Map<String, String> written, CountDownLatch restarted) throws Exception {
        for (int i = 0; i < WRITTEN; i++) {
            if (i == WRITTEN / 2) {
                restarted.await(); // half the writes go to the restarted pair
            }
            int node = i % 2;
            String clock = clocks.get(i % clocks.size());
            Map<String, Object> body = customerBody("Written " + i, clock);
            Api.Response customer = sendIdempotent(node, "w-customer-" + i, a -> a.post("/v1/customers", body));
            if (customer.status() != 201) {
                problems.add("customer " + i + ": " + customer);
                return null;
            }
            String customerId = customer.text("id");
            Api.Response subscription = sendIdempotent(1 - node, "w-subscription-" + i, a -> a.post("/v1/subscriptions",
                    Map.of("customer_id", customerId, "plan", "basic")));
            if (subscription.status() != 201) {
                problems.add("subscription " + i + ": " + subscription);
                return null;
            }
            String subscriptionId = subscription.text("id");
            written.put(customerId, subscriptionId);
            Api.Response upgrade = sendIdempotent(node, "w-upgrade-" + i, a -> a.post("/v1/subscriptions/" + subscriptionId + "/change",
                    Map.of("plan", "plus", "effective", "immediately")));
            if (upgrade.status() != 200) {
                problems.add("upgrade " + i + ": " + upgrade);
                return null;
            }
            Thread.sleep(250);
        }
        return null;
    }

    /**
     * Sends to node {@code preferred}, or to the other one while that one is down, until a node answers: a request
     * whose connection broke is sent again, unchanged, like a client behind a load balancer would.
     */
    private Api.Response send(int preferred, Function<Api, Api.Response> request) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        int node = preferred;
        while (System.nanoTime() < deadline) {
            String base = nodes.get(node);
            if (base != null) {
                try {
                    Api.Response r = request.apply(api.at(base));
                    if (r.status() != 503) {
                        return r;
                    }
                } catch (UncheckedIOException e) {
                    lostAnswers.incrementAndGet(); // the node died under the request
                }
            }
            node = 1 - node;
            pause(20);
        }
        throw new AssertionError("no node answered within 60 s");
    }

    /** {@link #send} with an Idempotency-Key, waiting while a retry finds the first attempt still running. */
    private Api.Response sendIdempotent(int preferred, String key, Function<Api, Api.Response> request) {
        while (true) {
            Api.Response r = send(preferred, a -> request.apply(a.withHeader("Idempotency-Key", key)));
            if (!"idempotency_key_in_use".equals(r.code())) {
                return r;
            }
            pause(100);
        }
    }

    private static void pause(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    // ---------------------------------------------------------------- the checks

    private static void everyAcknowledgedEventIsStoredOnce(String tenant, List<String> customers, Map<String, Integer> acknowledged) {
        Map<String, Integer> stored = new HashMap<>();
        db().withHandle(h -> h.createQuery("SELECT event_id, quantity FROM usage_events WHERE tenant_id = :t AND customer_id IN (<c>)")
                .bind("t", tenant).bindList("c", customers).map((rs, ctx) -> stored.put(rs.getString(1), rs.getBigDecimal(2).intValueExact())).list());
        // every attempt was answered in the end (sent again until it was), so what is stored is exactly what was acknowledged
        assertThat(stored).hasSize(acknowledged.size()).isEqualTo(acknowledged);
        long sum = acknowledged.values().stream().mapToLong(Integer::longValue).sum();
        BigDecimal aggregated = db().withHandle(h -> h.createQuery("""
                        SELECT coalesce(sum(quantity), 0) FROM usage_daily
                        WHERE tenant_id = :t AND subscription_id IN (SELECT id FROM subscriptions WHERE tenant_id = :t AND customer_id IN (<c>))""")
                .bind("t", tenant).bindList("c", customers).mapTo(BigDecimal.class).one());
        assertThat(aggregated.longValueExact()).isEqualTo(sum);
    }

    private void reservationsWereNeverGrantedTwice(String tenant, List<String> customers, Map<String, BigDecimal> committed, Set<String> released) {
        Map<String, String> statuses = new HashMap<>();
        Map<String, BigDecimal> committedInDb = new HashMap<>();
        db().withHandle(h -> h.createQuery("SELECT id, status, committed FROM authorizations WHERE tenant_id = :t AND customer_id IN (<c>)")
                .bind("t", tenant).bindList("c", customers).map((rs, ctx) -> {
                    statuses.put(rs.getString(1), rs.getString(2));
                    if (rs.getBigDecimal(3) != null) {
                        committedInDb.put(rs.getString(1), rs.getBigDecimal(3));
                    }
                    return null;
                }).list());
        // no reservation nobody knows of (a retried authorization reserved once), each settled as its client settled it
        assertThat(statuses.keySet()).containsExactlyInAnyOrderElementsOf(concat(committed.keySet(), released));
        committed.forEach((id, q) -> {
            assertThat(statuses.get(id)).as(id).isEqualTo("committed");
            assertThat(committedInDb.get(id)).as(id).isEqualByComparingTo(q);
        });
        released.forEach(id -> assertThat(statuses.get(id)).as(id).isEqualTo("released"));

        Map<String, BigDecimal> used = new TreeMap<>();
        db().withHandle(h -> h.createQuery("SELECT customer_id, sum(quantity) FROM usage_events WHERE tenant_id = :t AND customer_id IN (<c>) GROUP BY customer_id")
                .bind("t", tenant).bindList("c", customers).map((rs, ctx) -> used.put(rs.getString(1), rs.getBigDecimal(2))).list());
        BigDecimal allCommitted = committed.values().stream().reduce(BigDecimal.ZERO, BigDecimal::add);
        assertThat(used.values().stream().reduce(BigDecimal.ZERO, BigDecimal::add)).isEqualByComparingTo(allCommitted);
        // the load ran into the allowance, where two nodes granting the same seconds would show
        assertThat(used.values()).anySatisfy(u -> assertThat(u).isEqualByComparingTo(BigDecimal.valueOf(ALLOWANCE)));
        for (String customer : customers) {
            BigDecimal u = used.getOrDefault(customer, BigDecimal.ZERO);
            // granted twice would show as more committed than the allowance
            assertThat(u).as(customer).isLessThanOrEqualTo(BigDecimal.valueOf(ALLOWANCE));
            // and what is left to grant, on either node, is exactly the allowance less what was used (nothing is held now)
            for (int node = 0; node < 2; node++) {
                Api.Response r = send(node, a -> a.post("/v1/authorizations", Map.of("customer_id", customer, "metric", "call_seconds",
                        "requested", ALLOWANCE * 2, "ttl_seconds", 60)));
                JsonNode d = r.json();
                BigDecimal left = BigDecimal.valueOf(ALLOWANCE).subtract(u);
                if (left.signum() == 0) {
                    assertThat(d.get("authorized").asBoolean()).as(customer + " " + r).isFalse();
                } else {
                    assertThat(decimal(d.get("granted"))).as(customer + " " + r).isEqualByComparingTo(left);
                    assertThat(send(1 - node, a -> a.post("/v1/authorizations/" + d.get("authorization_id").asText() + "/release", Map.of())).status())
                            .isEqualTo(200);
                }
            }
        }
    }

    /** The API writes quantities as decimal strings. */
    private static BigDecimal decimal(JsonNode value) {
        return new BigDecimal(value.asText());
    }

    private static List<String> concat(Set<String> a, Set<String> b) {
        List<String> all = new ArrayList<>(a);
        all.addAll(b);
        return all;
    }

    /** Per subscription, its recurring lines tile its life up to the clock's month without overlap; numbers 1..N. */
    private static void everyPeriodIsInvoicedOnceAndNumbersAreGapless(String tenant) {
        record Line(String subscription, LocalDate start, LocalDate end, LocalDate started, LocalDate clockDay) {
        }
        List<Line> lines = db().withHandle(h -> h.createQuery("""
                        SELECT i.subscription_id, l.period_start, l.period_end, s.start_date, (c.frozen_time AT TIME ZONE 'UTC')::date
                        FROM invoice_lines l JOIN invoices i ON i.tenant_id = l.tenant_id AND i.id = l.invoice_id
                        JOIN subscriptions s ON s.tenant_id = i.tenant_id AND s.id = i.subscription_id
                        JOIN customers cu ON cu.tenant_id = s.tenant_id AND cu.id = s.customer_id
                        JOIN test_clocks c ON c.tenant_id = cu.tenant_id AND c.id = cu.test_clock_id
                        WHERE l.tenant_id = :t AND l.kind = 'recurring' ORDER BY i.subscription_id, l.period_start""")
                .bind("t", tenant).map((rs, ctx) -> new Line(rs.getString(1), rs.getObject(2, LocalDate.class), rs.getObject(3, LocalDate.class),
                        rs.getObject(4, LocalDate.class), rs.getObject(5, LocalDate.class))).list());
        Map<String, List<Line>> bySubscription = new LinkedHashMap<>();
        lines.forEach(l -> bySubscription.computeIfAbsent(l.subscription(), k -> new ArrayList<>()).add(l));
        int subscriptions = db().withHandle(h -> h.createQuery("SELECT count(*) FROM subscriptions WHERE tenant_id = :t").bind("t", tenant)
                .mapTo(Integer.class).one());
        assertThat(bySubscription).hasSize(subscriptions);
        int periods = 0;
        for (List<Line> own : bySubscription.values()) {
            Line first = own.getFirst();
            assertThat(first.start()).as(first.subscription()).isEqualTo(first.started());
            for (int k = 1; k < own.size(); k++) {
                assertThat(own.get(k).start()).as("%s: period after %s", first.subscription(), own.get(k - 1)).isEqualTo(own.get(k - 1).end());
            }
            Line last = own.getLast();
            assertThat(last.end()).as("%s billed up to its clock's day", first.subscription()).isAfter(last.clockDay());
            assertThat(last.start()).as("%s not billed ahead", first.subscription()).isBeforeOrEqualTo(last.clockDay());
            periods += own.size();
        }
        List<String> numbers = db().withHandle(h -> h.createQuery("SELECT number FROM invoices WHERE tenant_id = :t").bind("t", tenant)
                .mapTo(String.class).list());
        assertThat(numbers).doesNotContainNull().doesNotHaveDuplicates();
        List<Integer> sorted = numbers.stream().map(n -> Integer.parseInt(n.replaceAll("\\D", ""))).sorted().toList();
        assertThat(sorted).hasSize(numbers.size()).containsExactlyElementsOf(IntStream.rangeClosed(1, numbers.size()).boxed().toList());
        System.out.printf("%d subscriptions, %d periods billed once each, invoices numbered 1..%d%n", subscriptions, periods, numbers.size());
    }

    private static void idempotentWritesHappenedOnce(String tenant, Map<String, String> written) {
        assertThat(written).hasSize(WRITTEN);
        int customers = db().withHandle(h -> h.createQuery("SELECT count(*) FROM customers WHERE tenant_id = :t AND legal_name LIKE 'Written %'")
                .bind("t", tenant).mapTo(Integer.class).one());
        assertThat(customers).isEqualTo(WRITTEN);
        written.forEach((customer, subscription) -> {
            List<String> plans = db().withHandle(h -> h.createQuery("SELECT plan_code FROM subscriptions WHERE tenant_id = :t AND customer_id = :c")
                    .bind("t", tenant).bind("c", customer).mapTo(String.class).list());
            assertThat(plans).as(customer).containsExactly("plus");
            int upgrades = db().withHandle(h -> h.createQuery("""
                            SELECT count(*) FROM invoice_lines l JOIN invoices i ON i.tenant_id = l.tenant_id AND i.id = l.invoice_id
                            WHERE i.tenant_id = :t AND i.subscription_id = :s AND l.kind = 'proration' AND l.amount > 0""")
                    .bind("t", tenant).bind("s", subscription).mapTo(Integer.class).one());
            assertThat(upgrades).as("%s upgraded once", subscription).isLessThanOrEqualTo(1);
        });
    }

    /** docs/api.md: a revoked key is refused at once by the node that revoked it, within 2 s by every other node. */
    private void aRevokedKeyIsRefusedByTheOtherNodeWithinTheDocumentedBound() {
        Api.Response issued = api.at(nodes.get(0)).post("/v1/api_keys", Map.of("name", "revoked across nodes"));
        assertThat(issued.status()).isEqualTo(201);
        Api a = api.at(nodes.get(0)).withKey(issued.text("secret"));
        Api b = api.at(nodes.get(1)).withKey(issued.text("secret"));
        assertThat(b.get("/v1/customers?limit=1").status()).isEqualTo(200); // B now remembers the key
        assertThat(a.get("/v1/customers?limit=1").status()).isEqualTo(200);
        assertThat(api.at(nodes.get(0)).post("/v1/api_keys/" + issued.text("id") + "/revoke", Map.of()).status()).isEqualTo(200);
        long revoked = System.nanoTime();
        assertThat(a.get("/v1/customers?limit=1").code()).isEqualTo("api_key_revoked");
        long lastAccepted = -1;
        long firstRefused = -1;
        while (System.nanoTime() - revoked < TimeUnit.MILLISECONDS.toNanos(ApiKeyService.REMEMBER_MILLIS + 1_000)) {
            long sent = System.nanoTime() - revoked;
            Api.Response r = b.get("/v1/customers?limit=1");
            if (r.status() == 200) {
                assertThat(firstRefused).as("accepted again after it was refused").isEqualTo(-1);
                lastAccepted = sent;
            } else {
                assertThat(r.code()).isEqualTo("api_key_revoked");
                firstRefused = firstRefused < 0 ? sent : firstRefused;
            }
            pause(10);
        }
        System.out.printf("revoked key: last accepted by the other node %d ms after the revocation was answered, refused from %d ms%n",
                lastAccepted / 1_000_000, firstRefused / 1_000_000);
        assertThat(firstRefused).isGreaterThanOrEqualTo(0);
        assertThat(lastAccepted).isLessThan(TimeUnit.MILLISECONDS.toNanos(ApiKeyService.REMEMBER_MILLIS));
    }

    /** docs/metering.md: a plan change made on any node is seen by the very next authorization on every node. */
    private void aChangedPlanIsSeenByTheOtherNodesNextAuthorization(String tenant, String customer) {
        Api a = api.at(nodes.get(0));
        Api b = api.at(nodes.get(1));
        String subscription = b.get("/v1/subscriptions?customer_id=" + customer).json().at("/data/0/id").asText();
        BigDecimal used = db().withHandle(h -> h.createQuery("SELECT coalesce(sum(quantity), 0) FROM usage_events WHERE tenant_id = :t AND customer_id = :c")
                .bind("t", tenant).bind("c", customer).mapTo(BigDecimal.class).one());
        // B has this customer's terms cached from the load (and from this check): the basic plan's 600 s
        JsonNode before = b.post("/v1/authorizations", Map.of("customer_id", customer, "metric", "call_seconds", "requested", 1, "ttl_seconds", 60)).json();
        assertThat(decimal(before.get("included"))).isEqualByComparingTo("600");
        if (before.get("authorized").asBoolean()) {
            assertThat(b.post("/v1/authorizations/" + before.get("authorization_id").asText() + "/release", Map.of()).status()).isEqualTo(200);
        }
        Api.Response changed = a.withHeader("Idempotency-Key", "plan-change-seen").post("/v1/subscriptions/" + subscription + "/change",
                Map.of("plan", "plus", "effective", "immediately"));
        assertThat(changed.status()).as(changed.body()).isEqualTo(200);
        long answered = System.nanoTime();
        Api.Response next = b.post("/v1/authorizations", Map.of("customer_id", customer, "metric", "call_seconds", "requested", 5_000, "ttl_seconds", 60));
        long seen = System.nanoTime() - answered;
        assertThat(decimal(next.json().get("included"))).as(next.body()).isEqualByComparingTo("3600");
        assertThat(decimal(next.json().get("granted"))).isEqualByComparingTo(BigDecimal.valueOf(3_600).subtract(used));
        assertThat(decimal(b.get("/v1/subscriptions/" + subscription + "/usage").json().at("/charges/0/included"))).isEqualByComparingTo("3600");
        System.out.printf("changed plan: seen by the other node's next authorization, answered %d ms after the change%n", seen / 1_000_000);
    }

    // ---------------------------------------------------------------- set-up

    private static String clock(Api api, String name) {
        return clock(api, name, BILLING_START);
    }

    private static String clock(Api api, String name, String at) {
        Api.Response r = api.post("/v1/test_clocks", Map.of("name", name, "frozen_time", at));
        assertThat(r.status()).as(r.body()).isEqualTo(201);
        return r.text("id");
    }

    private static Map<String, Object> customerBody(String name, String clock) {
        Map<String, Object> body = Fixtures.customer(name);
        body.put("time_zone", "UTC");
        body.put("test_clock_id", clock);
        body.put("payment_terms", new LinkedHashMap<>(Map.of("collection_method", "manual", "net_days", 30)));
        return body;
    }

    private static String customer(Api api, String name, String clock) {
        Api.Response r = api.post("/v1/customers", customerBody(name, clock));
        assertThat(r.status()).as(r.body()).isEqualTo(201);
        return r.text("id");
    }

    private static String subscribe(Api api, String customer) {
        Api.Response r = api.post("/v1/subscriptions", Map.of("customer_id", customer, "plan", "basic"));
        assertThat(r.status()).as(r.body()).isEqualTo(201);
        return r.text("id");
    }
}
