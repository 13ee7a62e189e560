package dev.accrue.server.billing;

import dev.accrue.adapters.postgres.JdbiTransactions;
import dev.accrue.adapters.postgres.PostgresSubscriptions;
import dev.accrue.app.subscription.SubscriptionRepository.DueSubscription;
import dev.accrue.server.support.TestNode;
import org.jdbi.v3.core.Handle;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Phaser;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The claim of a billing run (issue 18, V500) reads the dated part of the due rules as an index range bounded by the
 * latest today anywhere, and finds the rest from the rows that make a subscription due. Attacked with subscriptions of
 * two tenants, customers from UTC-11 to UTC+14 and on a test clock, due by date, by usage date, by a dated action, by a
 * pause's resume day, by an ended subscription's owed final document or re-checked usage — and as many that are not due
 * yet: two claimers taking small batches at the same time claim every due one exactly once, and nothing early.
 */
class DueClaimTest {
    private static final List<String> ZONES = List.of("UTC", "Pacific/Kiritimati", "Pacific/Pago_Pago", "Asia/Kolkata", "America/St_Johns");

    @Test
    void twoConcurrentClaimersClaimEveryDueSubscriptionOnceAndNoneEarly() throws Exception {
        Instant now = Instant.now();
        Set<String> due = new HashSet<>();
        Set<String> all = new HashSet<>();
        List<String> tenants = new ArrayList<>();
        for (String label : List.of("due claim a", "due claim b")) {
            String tenant = TestNode.get().newTenant(label).id();
            tenants.add(tenant);
            TestNode.get().accrue().database().jdbi().useTransaction(h -> seed(h, tenant, now, due, all));
        }
        try {
            claimedOnceEachAndNoneEarly(now, due, all);
        } finally {
            // these subscriptions have no catalog: the other tests' runs (same database) must never see them due
            tenants.forEach(t -> TestNode.get().accrue().database().jdbi().useHandle(h -> h.createUpdate(
                    "UPDATE customers SET test_clock_id = :t || '_clock' WHERE tenant_id = :t").bind("t", t).execute()));
        }
    }

    private static void claimedOnceEachAndNoneEarly(Instant now, Set<String> due, Set<String> all) throws Exception {
        assertThat(due).hasSizeGreaterThan(20);
        assertThat(all.size() - due.size()).isGreaterThan(20);

        JdbiTransactions tx = TestNode.get().accrue().services().tx();
        Phaser turns = new Phaser(2);
        CountDownLatch bothDone = new CountDownLatch(2);
        List<String> a;
        List<String> b;
        try (ExecutorService claimers = Executors.newFixedThreadPool(2)) { // two threads whatever the cores: they wait for each other
            Future<List<String>> first = claimers.submit(() -> claimAll(tx, now, turns, bothDone));
            Future<List<String>> second = claimers.submit(() -> claimAll(tx, now, turns, bothDone));
            a = first.get(2, TimeUnit.MINUTES).stream().filter(all::contains).toList();
            b = second.get(2, TimeUnit.MINUTES).stream().filter(all::contains).toList();
        }

        assertThat(a).doesNotHaveDuplicates();
        assertThat(b).doesNotHaveDuplicates();
        assertThat(a).doesNotContainAnyElementsOf(b); // SKIP LOCKED: a row held by one claimer is not the other's
        List<String> claimed = new ArrayList<>(a);
        claimed.addAll(b);
        assertThat(claimed).containsExactlyInAnyOrderElementsOf(due);
        assertThat(a).isNotEmpty();
        assertThat(b).isNotEmpty();
    }

    /**
     * One claimer: batches of 4 in one transaction (the rows it claimed stay locked to the end, as a batch's would), taking turns
     * with the other, until nothing is left for it; then it waits for the other before rolling back, so each claimer's locks
     * are held while the other claims.
     */
    private static List<String> claimAll(JdbiTransactions tx, Instant now, Phaser turns, CountDownLatch bothDone) {
        return tx.rolledBack(() -> {
            PostgresSubscriptions subscriptions = new PostgresSubscriptions(tx);
            List<String> mine = new ArrayList<>();
            Set<String> excluding = new HashSet<>(); // rows this transaction holds are not skipped by its own SKIP LOCKED
            try {
                while (true) {
                    turns.arriveAndAwaitAdvance();
                    List<DueSubscription> batch = subscriptions.claimDue(now, 4, excluding);
                    batch.forEach(d -> {
                        mine.add(d.subscriptionId());
                        excluding.add(d.subscriptionId());
                    });
                    if (batch.isEmpty()) {
                        break;
                    }
                }
            } finally {
                turns.arriveAndDeregister();
            }
            bothDone.countDown();
            try {
                assertThat(bothDone.await(2, TimeUnit.MINUTES)).isTrue();
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
            return mine;
        });
    }

    /** One customer per zone (and one on a test clock) with subscriptions due and not due in every way the rules know. */
    private static void seed(Handle h, String tenant, Instant now, Set<String> due, Set<String> all) {
        LocalDate utcToday = LocalDate.ofInstant(now, ZoneOffset.UTC);
        h.createUpdate("INSERT INTO test_clocks (tenant_id, id, name, frozen_time, created_at) VALUES (:t, :t || '_clock', 'clock', :at, now())")
                .bind("t", tenant).bind("at", now.minusSeconds(90L * 86_400).atOffset(ZoneOffset.UTC)).execute();
        int c = 0;
        for (String zone : ZONES) {
            String customer = customer(h, tenant, "c" + c++, zone, false);
            LocalDate today = LocalDate.ofInstant(now, ZoneId.of(zone));
            // by date: around today in the customer's zone (the day after UTC's today is already today at UTC+14)
            for (int offset = -3; offset <= 3; offset++) {
                LocalDate next = utcToday.plusDays(offset);
                subscription(h, tenant, customer, next, null, null, false, !next.isAfter(today), due, all);
            }
            // by usage date, the bill date far away
            subscription(h, tenant, customer, utcToday.plusDays(40), utcToday.minusDays(1), null, false, true, due, all);
            subscription(h, tenant, customer, utcToday.plusDays(40), utcToday.plusDays(2), null, false, false, due, all);
            // a dated action whose day has come, and one still ahead
            String acted = subscription(h, tenant, customer, utcToday.plusDays(40), null, null, false, true, due, all);
            action(h, tenant, acted, utcToday.minusDays(1));
            String later = subscription(h, tenant, customer, utcToday.plusDays(40), null, null, false, false, due, all);
            action(h, tenant, later, utcToday.plusDays(5));
            // a pause whose resume day has come
            String paused = subscription(h, tenant, customer, utcToday.plusDays(40), null, null, false, true, due, all);
            h.createUpdate("INSERT INTO subscription_pauses (tenant_id, id, subscription_id, paused_on, resume_on, created_at) "
                    + "VALUES (:t, :s || '_p', :s, :on, :resume, now())").bind("t", tenant).bind("s", paused)
                    .bind("on", utcToday.minusDays(20)).bind("resume", utcToday.minusDays(1)).execute();
            // ended: its final document owed (due), issued (not due), issued but its usage changed since (due)
            subscription(h, tenant, customer, utcToday.minusDays(10), null, utcToday.minusDays(2), false, true, due, all);
            subscription(h, tenant, customer, utcToday.minusDays(10), null, utcToday.minusDays(2), true, false, due, all);
            String dirty = subscription(h, tenant, customer, utcToday.minusDays(10), null, utcToday.minusDays(2), true, true, due, all);
            h.createUpdate("""
                    INSERT INTO billed_usage (tenant_id, subscription_id, charge_code, metric, cadence, window_start, window_end, seq, document_id,
                      quantity, amount, dirty, created_at)
                    VALUES (:t, :s, 'calls', 'calls', 'period', :start, :end, 1, 'inv_x', 1, 1, true, now())""")
                    .bind("t", tenant).bind("s", dirty).bind("start", utcToday.minusDays(40)).bind("end", utcToday.minusDays(10)).execute();
        }
        // a customer on a test clock moves only with its clock: long past dates are not due in real time
        String onClock = customer(h, tenant, "clocked", "UTC", true);
        for (int offset = -30; offset <= 0; offset += 3) {
            subscription(h, tenant, onClock, utcToday.plusDays(offset), null, null, false, false, due, all);
        }
    }

    private static String customer(Handle h, String tenant, String suffix, String zone, boolean onClock) {
        String id = "cus_" + tenant + "_" + suffix;
        h.createUpdate("""
                INSERT INTO customers (tenant_id, id, legal_name, billing_emails, billing_address, currency, time_zone, collection_method,
                  net_days, account_type, metadata, created_at, updated_at, version, test_clock_id)
                VALUES (:t, :id, 'Claim ' || :id, ARRAY['billing@claim.example'], '{"line1": "1 Main St", "city": "Springfield", "country": "US"}',
                  'USD', :zone, 'manual', 0, 'postpaid', '{}', now(), now(), 1, :clock)""")
                .bind("t", tenant).bind("id", id).bind("zone", zone).bind("clock", onClock ? tenant + "_clock" : null).execute();
        return id;
    }

    private static String subscription(Handle h, String tenant, String customer, LocalDate next, LocalDate nextUsage, LocalDate ended,
                                       boolean usageClosed, boolean isDue, Set<String> due, Set<String> all) {
        String id = "sub_" + customer + "_" + all.size();
        h.createUpdate("""
                INSERT INTO subscriptions (tenant_id, id, customer_id, catalog_version, plan_code, billing_interval, alignment, start_date,
                  anchor, next_bill_date, next_usage_date, ended_on, usage_closed, created_at, updated_at, version)
                VALUES (:t, :id, :c, 1, 'basic', 'month', 'anniversary', :start, :start, :next, :nextUsage, :ended, :closed, now(), now(), 1)""")
                .bind("t", tenant).bind("id", id).bind("c", customer).bind("start", next.minusMonths(1)).bind("next", next)
                .bind("nextUsage", nextUsage).bind("ended", ended).bind("closed", usageClosed).execute();
        all.add(id);
        if (isDue) {
            due.add(id);
        }
        return id;
    }

    private static void action(Handle h, String tenant, String subscription, LocalDate on) {
        h.createUpdate("""
                INSERT INTO subscription_scheduled_actions (tenant_id, id, subscription_id, action, effective_on, quantity, requested_on, status, created_at)
                VALUES (:t, :s || '_a', :s, 'change_quantity', :on, 2, :on, 'scheduled', now())""")
                .bind("t", tenant).bind("s", subscription).bind("on", on).execute();
    }
}
