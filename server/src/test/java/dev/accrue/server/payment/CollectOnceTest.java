package dev.accrue.server.payment;

import dev.accrue.app.auth.Caller;
import dev.accrue.app.page.PageRequest;
import dev.accrue.app.payment.CollectionRunner;
import dev.accrue.app.payment.gateway.GatewayOutcome;
import dev.accrue.server.support.Fixtures;
import dev.accrue.server.support.Sandbox;
import dev.accrue.server.support.TestNode;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 13: an invoice is charged once however collection is raced or interrupted. Counts what the sandbox gateway
 * really moved (its own books), not what Accrue believes.
 */
class CollectOnceTest {
    private static final CollectionRunner RUNNER = TestNode.get().accrue().services().collections();

    /** A customer with a card and a finalized, unpaid, due invoice; answers the card's token and the invoice. */
    private static String[] dueInvoice(String label) {
        Sandbox s = new Sandbox(label, Fixtures.CATALOG_V1, "2026-06-01T08:00:00Z");
        String c = s.customer(label + " Co", "USD", "UTC");
        String token = PaymentFixtures.token(s.api, PaymentFixtures.VISA_OK);
        assertThat(s.api.post("/v1/customers/" + c + "/payment_methods", Map.of("token", token)).status()).isEqualTo(201);
        String sub = s.subscribe(Map.of("customer_id", c, "plan", "basic")).get("id").asText();
        return new String[] {token, PaymentFixtures.invoiceOf(s, sub).get("id").asText(), s.tenant.id()};
    }

    @Test
    void eightNodesCollectingTheSameInvoiceAtOnceChargeItOnce() throws Exception {
        String[] due = dueInvoice("race");
        int nodes = 8;
        ExecutorService pool = Executors.newFixedThreadPool(nodes);
        CountDownLatch start = new CountDownLatch(1);
        List<Future<?>> runs = new ArrayList<>();
        for (int i = 0; i < nodes; i++) {
            // each thread is a node: its own connection, claiming with SKIP LOCKED, or working the invoice directly
            boolean direct = i % 2 == 0;
            runs.add(pool.submit(() -> {
                start.await();
                if (direct) {
                    RUNNER.collect(due[2], due[1]);
                } else {
                    RUNNER.runDue(100, Duration.ZERO);
                }
                return null;
            }));
        }
        start.countDown();
        for (Future<?> f : runs) {
            f.get();
        }
        pool.shutdown();
        assertThat(TestNode.get().accrue().services().sandbox().chargesOf(due[0])).isEqualTo(1);
        var invoice = TestNode.get().accrue().services().invoices().get(Caller.system(due[2]), due[1]);
        assertThat(invoice.status().name()).isEqualTo("PAID");
        assertThat(invoice.paid().toPlainMinorString()).isEqualTo("30.00");
    }

    @Test
    void fourNodesRunningWholeBatchesAtOnceChargeEveryInvoiceOnceAndNumberReceiptsWithoutGaps() throws Exception {
        // more invoices than one chunk, so attempts are stored together, charged concurrently and settled together;
        // a stale-at-once lease lets every node claim every collection, the worst case for double charging
        Sandbox s = new Sandbox("batch race", Fixtures.CATALOG_V1, "2026-06-01T08:00:00Z");
        int n = 70;
        List<String> tokens = new ArrayList<>();
        List<String> invoices = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            String c = s.customer("Batch " + i, "USD", "UTC");
            String token = PaymentFixtures.token(s.api, PaymentFixtures.VISA_OK);
            assertThat(s.api.post("/v1/customers/" + c + "/payment_methods", Map.of("token", token)).status()).isEqualTo(201);
            String sub = s.subscribe(Map.of("customer_id", c, "plan", "basic")).get("id").asText();
            tokens.add(token);
            invoices.add(PaymentFixtures.invoiceOf(s, sub).get("id").asText());
        }
        ExecutorService pool = Executors.newFixedThreadPool(4);
        CountDownLatch start = new CountDownLatch(1);
        List<Future<?>> runs = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            runs.add(pool.submit(() -> {
                start.await();
                RUNNER.runDue(500, Duration.ZERO);
                return null;
            }));
        }
        start.countDown();
        for (Future<?> f : runs) {
            f.get();
        }
        pool.shutdown();
        for (int i = 0; i < n; i++) {
            assertThat(TestNode.get().accrue().services().sandbox().chargesOf(tokens.get(i))).as(invoices.get(i)).isEqualTo(1);
            assertThat(s.api.get("/v1/invoices/" + invoices.get(i)).text("status")).isEqualTo("paid");
        }
        List<String> receipts = new ArrayList<>();
        s.api.get("/v1/payments?limit=100").json().get("data").forEach(p -> receipts.add(p.get("receipt_number").asText()));
        assertThat(receipts).hasSize(n).doesNotHaveDuplicates()
                .containsExactlyInAnyOrderElementsOf(java.util.stream.IntStream.rangeClosed(1, n).mapToObj("PRC-%06d"::formatted).toList());
    }

    @Test
    void aCrashBetweenTheGatewayCallAndTheCommitChargesOnceWhenAnotherNodeTakesOver() {
        String[] due = dueInvoice("crash");
        // node A stores the attempt and calls the gateway, then dies before recording the outcome
        CollectionRunner.Attempt attempt = RUNNER.begin(due[2], due[1]);
        assertThat(attempt).isNotNull();
        assertThat(RUNNER.call(attempt)).isInstanceOf(GatewayOutcome.Approved.class);
        assertThat(TestNode.get().accrue().services().sandbox().chargesOf(due[0])).isEqualTo(1);
        // while A's lease is fresh nobody touches it
        RUNNER.runDue(100, Duration.ofMinutes(2));
        assertThat(TestNode.get().accrue().services().payments().get(Caller.system(due[2]), attempt.paymentId()).status())
                .isEqualTo("pending");
        // node B, once the lease is stale, sends the same attempt again: same idempotency key, the gateway's first answer, no new charge
        RUNNER.runDue(100, Duration.ZERO);
        assertThat(TestNode.get().accrue().services().sandbox().chargesOf(due[0])).isEqualTo(1);
        var payment = TestNode.get().accrue().services().payments().get(Caller.system(due[2]), attempt.paymentId());
        assertThat(payment.status()).isEqualTo("succeeded");
        var invoice = TestNode.get().accrue().services().invoices().get(Caller.system(due[2]), due[1]);
        assertThat(invoice.status().name()).isEqualTo("PAID");
        // and A's late outcome, should it come back to life, changes nothing
        assertThat(RUNNER.settle(attempt, new GatewayOutcome.Approved("ch_late"))).isFalse();
        assertThat(TestNode.get().accrue().services().payments().list(Caller.system(due[2]), null, due[1],
                new PageRequest(100, null)).items()).hasSize(1);
    }
}
