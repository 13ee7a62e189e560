package dev.accrue.server.notification;

import dev.accrue.app.event.DomainEvent;
import dev.accrue.app.event.EventTypes;
import dev.accrue.app.id.Ids;
import dev.accrue.app.notification.NotificationCentre;
import dev.accrue.server.Services;
import dev.accrue.server.support.Fixtures;
import dev.accrue.server.support.NotificationSupport;
import dev.accrue.server.support.Sandbox;
import dev.accrue.server.support.TestNode;
import dev.accrue.server.support.Unique;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A burst of fired usage alerts (customers crossing their 50/75/90/100 % thresholds together, as the evaluator fires a
 * pass) is delivered exactly once whatever happens to the consumer: the notification consumer writes a batch's in-app
 * notifications, emails, pacing rows and digest items with a statement per kind, and a batch that fails after some of
 * them (here the pacing upsert, refused by a trigger, as a crash between the steps would leave it) writes none; two
 * nodes consuming the same outbox at once deliver each alert once: per customer one in-app notification per alert, one
 * email (the first threshold) and the other three as digest items.
 */
class AlertDeliveriesOnceTest {
    private static final int CUSTOMERS = 12;
    private static final String[] THRESHOLDS = {"50%", "75%", "90%", "100%"};
    private final Services services = TestNode.get().accrue().services();

    @Test
    void aBurstOfFiredAlertsIsDeliveredOnceAfterAFailedBatchAndWithTwoConsumersAtOnce() throws Exception {
        NotificationSupport.skipEarlierEvents();
        Sandbox s = new Sandbox("alertsonce", Fixtures.CATALOG_V1, "2026-03-01T10:00:00Z");
        String suffix = Unique.suffix();
        List<String> customers = new ArrayList<>();
        for (int c = 0; c < CUSTOMERS; c++) {
            Map<String, Object> body = Fixtures.customer("Alerted " + c);
            body.put("billing_emails", List.of("billing-" + c + "-" + suffix + "@alerts.example"));
            body.remove("alignment");
            customers.add(s.api.post("/v1/customers", body).text("id"));
        }
        NotificationSupport.skipEarlierEvents(); // the customers' own events (customer.created) are not what is counted
        // the pass fires every customer's four thresholds in one transaction, as the evaluator does
        List<DomainEvent> fired = new ArrayList<>();
        for (String threshold : THRESHOLDS) {
            for (String c : customers) {
                fired.add(new DomainEvent(Ids.next("evt"), EventTypes.USAGE_THRESHOLD_REACHED, "subscription", "sub_" + c, c,
                        content(c, threshold), Instant.now()));
            }
        }
        services.tx().run(() -> services.events().recordAll(s.tenant.id(), fired));
        Clock at = Clock.fixed(Instant.now(), ZoneOffset.UTC);

        // a batch that fails after its notifications and emails went in (the pacing upsert refused) leaves nothing behind
        var db = TestNode.get().accrue().database().jdbi();
        db.useHandle(h -> h.execute("""
                CREATE FUNCTION alerts_once_refuse() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN RAISE EXCEPTION 'refused for the test'; END $$;
                CREATE TRIGGER alerts_once_refuse BEFORE INSERT ON notification_email_pacing FOR EACH ROW EXECUTE FUNCTION alerts_once_refuse();"""));
        try {
            assertThatThrownBy(() -> services.notifications().centre(at).consume(1000)).hasStackTraceContaining("refused for the test");
        } finally {
            db.useHandle(h -> h.execute("DROP TRIGGER alerts_once_refuse ON notification_email_pacing; DROP FUNCTION alerts_once_refuse();"));
        }
        assertThat(counts(s.tenant.id(), customers)).as("nothing of the failed batch").isEqualTo(List.of(0L, 0L, 0L, 0L));

        // two nodes at once, in small batches, until the outbox is drained
        ExecutorService nodes = Executors.newFixedThreadPool(2);
        try {
            List<Future<Integer>> runs = new ArrayList<>();
            for (int n = 0; n < 2; n++) {
                NotificationCentre centre = services.notifications().centre(at);
                Callable<Integer> drain = () -> {
                    int total = 0;
                    for (int got = centre.consume(7); got > 0; got = centre.consume(7)) {
                        total += got;
                    }
                    return total;
                };
                runs.add(nodes.submit(drain));
            }
            int consumed = 0;
            for (Future<Integer> r : runs) {
                consumed += r.get();
            }
            assertThat(consumed).as("each event consumed by one of the two").isEqualTo(fired.size());
        } finally {
            nodes.shutdownNow();
        }
        assertThat(counts(s.tenant.id(), customers)).as("in-app notifications, emails, digest items, pacing rows")
                .isEqualTo(List.of((long) fired.size(), (long) CUSTOMERS, (long) CUSTOMERS * (THRESHOLDS.length - 1), (long) CUSTOMERS));
        for (String c : customers) {
            long emails = db.withHandle(h -> h.createQuery("SELECT count(*) FROM outbound_emails WHERE tenant_id = :t AND customer_id = :c")
                    .bind("t", s.tenant.id()).bind("c", c).mapTo(Long.class).one());
            assertThat(emails).as("one email per customer").isEqualTo(1);
            List<String> digested = db.withHandle(h -> h.createQuery("""
                            SELECT event_id FROM notification_digest_items WHERE tenant_id = :t AND customer_id = :c""")
                    .bind("t", s.tenant.id()).bind("c", c).mapTo(String.class).list());
            // the first threshold went by email; the later ones wait for the digest, each once
            assertThat(digested).containsExactlyInAnyOrderElementsOf(fired.stream()
                    .filter(e -> e.customerId().equals(c) && !"50%".equals(e.data().get("threshold"))).map(DomainEvent::id).toList());
            List<String> inApp = db.withHandle(h -> h.createQuery("SELECT event_id FROM notifications WHERE tenant_id = :t AND customer_id = :c")
                    .bind("t", s.tenant.id()).bind("c", c).mapTo(String.class).list());
            assertThat(inApp).containsExactlyInAnyOrderElementsOf(fired.stream().filter(e -> e.customerId().equals(c)).map(DomainEvent::id).toList());
        }
        // the suite shares the digest queue: these digests are not for the later tests' flushes to count
        db.useHandle(h -> h.createUpdate("UPDATE notification_digest_items SET sent_at = now() WHERE tenant_id = :t AND sent_at IS NULL")
                .bind("t", s.tenant.id()).execute());
    }

    /** In-app notifications, outbound emails, digest items and pacing rows of these customers. */
    private static List<Long> counts(String tenantId, List<String> customers) {
        return TestNode.get().accrue().database().jdbi().withHandle(h -> h.createQuery("""
                        SELECT (SELECT count(*) FROM notifications WHERE tenant_id = :t AND customer_id = ANY(CAST(:c AS text[]))),
                               (SELECT count(*) FROM outbound_emails WHERE tenant_id = :t AND customer_id = ANY(CAST(:c AS text[]))),
                               (SELECT count(*) FROM notification_digest_items WHERE tenant_id = :t AND customer_id = ANY(CAST(:c AS text[]))),
                               (SELECT count(*) FROM notification_email_pacing WHERE tenant_id = :t AND customer_id = ANY(CAST(:c AS text[])))""")
                .bind("t", tenantId).bindArray("c", String.class, customers)
                .map((rs, ctx) -> List.of(rs.getLong(1), rs.getLong(2), rs.getLong(3), rs.getLong(4))).one());
    }

    /** What the evaluator's event says (UsageAlertContent), for a plan threshold of 1,000 call seconds included. */
    private static Map<String, Object> content(String customer, String threshold) {
        String percent = threshold.replace("%", "");
        return Map.ofEntries(Map.entry("resource", "Call seconds"), Map.entry("metric", "call_seconds"), Map.entry("unit", "second"),
                Map.entry("charge", "minutes"), Map.entry("usage", String.valueOf(10 * Integer.parseInt(percent))), Map.entry("included", "1000"),
                Map.entry("limit", "1000"), Map.entry("percent_used", percent), Map.entry("threshold", threshold),
                Map.entry("threshold_usage", String.valueOf(10 * Integer.parseInt(percent))), Map.entry("window_start", "2026-03-01"),
                Map.entry("window_end", "2026-04-01"), Map.entry("audience", "plan"), Map.entry("customer_id", customer),
                Map.entry("subscription_id", "sub_" + customer));
    }
}
