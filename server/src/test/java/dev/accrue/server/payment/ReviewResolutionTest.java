package dev.accrue.server.payment;

import dev.accrue.server.support.Unique;
import dev.accrue.adapters.payment.sandbox.SandboxGateway;
import dev.accrue.app.auth.Caller;
import dev.accrue.app.payment.CollectionRunner;
import dev.accrue.server.support.Fixtures;
import dev.accrue.server.support.Sandbox;
import dev.accrue.server.support.TestNode;
import dev.accrue.server.support.WebClient;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 13: an attempt whose outcome the gateway could not tell (needs_review) is settled by an operator — succeeded with
 * the gateway's reference (the invoice paid as by any payment), or failed with a reason (collection goes on with the
 * backup) — through the one settle path; anything not awaiting review is refused and changes nothing. Over test clocks,
 * against the sandbox's books, through the API and the console.
 */
class ReviewResolutionTest {
    private static final CollectionRunner RUNNER = TestNode.get().accrue().services().collections();
    private static final SandboxGateway GATEWAY = TestNode.get().accrue().services().sandbox();
    private static final AtomicInteger STAFF = new AtomicInteger();

    private record Parked(Sandbox s, String customer, String token, String backup, String invoice, String payment) {
    }

    /** An invoice whose first attempt was stored, never sent (its node died), and found a day later: marked for review. */
    private static Parked parked(String label, boolean withBackup) {
        Sandbox s = new Sandbox(label, Fixtures.CATALOG_V1, "2026-06-01T08:00:00Z");
        String c = s.customer(label + " Co", "USD", "UTC");
        String token = PaymentFixtures.token(s.api, PaymentFixtures.VISA_OK);
        assertThat(s.api.post("/v1/customers/" + c + "/payment_methods", Map.of("token", token)).status()).isEqualTo(201);
        String backup = withBackup ? PaymentFixtures.token(s.api, "5555555555554444") : null;
        if (backup != null) {
            assertThat(s.api.post("/v1/customers/" + c + "/payment_methods", Map.of("token", backup)).status()).isEqualTo(201);
        }
        String sub = s.subscribe(Map.of("customer_id", c, "plan", "basic")).get("id").asText();
        String invoice = PaymentFixtures.invoiceOf(s, sub).get("id").asText();
        CollectionRunner.Attempt attempt = RUNNER.begin(s.tenant.id(), invoice);
        s.advanceTo("2026-06-02T08:00:00Z");
        RUNNER.runDue(100, Duration.ZERO);
        assertThat(s.api.get("/v1/payments/" + attempt.paymentId()).json().get("needs_review").asBoolean()).isTrue();
        return new Parked(s, c, token, backup, invoice, attempt.paymentId());
    }

    @Test
    void anOperatorResolvesAnAttemptAsSucceededAndTheInvoiceIsPaidOnceWithItsReceipt() {
        Parked p = parked("resolve ok", false);
        String path = "/v1/payments/" + p.payment() + "/resolve";

        // refusals change nothing: a read-only key, a missing reference, an unknown outcome, another tenant's payment
        assertThat(p.s().tenant.readOnlyApi().post(path, Map.of("outcome", "succeeded", "reference", "py_x")).status()).isEqualTo(403);
        var missing = p.s().api.post(path, Map.of("outcome", "succeeded"));
        assertThat(missing.status()).isEqualTo(400);
        assertThat(missing.code()).isEqualTo("missing_field");
        assertThat(p.s().api.post(path, Map.of("outcome", "maybe", "reference", "py_x")).code()).isEqualTo("validation_failed");
        assertThat(TestNode.get().newTenant("resolve stranger").api().post(path, Map.of("outcome", "succeeded", "reference", "py_x")).status())
                .isEqualTo(404);
        assertThat(p.s().api.get("/v1/payments/" + p.payment()).json().get("needs_review").asBoolean()).isTrue();

        var resolved = p.s().api.post(path, Map.of("outcome", "succeeded", "reference", "py_found_in_dashboard"));
        assertThat(resolved.status()).as(resolved.toString()).isEqualTo(200);
        assertThat(resolved.text("status")).isEqualTo("succeeded");
        assertThat(resolved.text("gateway_reference")).isEqualTo("py_found_in_dashboard");
        assertThat(resolved.json().get("needs_review").asBoolean()).isFalse();
        assertThat(resolved.text("receipt_number")).startsWith("PRC-");
        var invoice = p.s().api.get("/v1/invoices/" + p.invoice());
        assertThat(invoice.text("status")).isEqualTo("paid");
        assertThat(invoice.text("amount_due")).isEqualTo("0.00");
        assertThat(p.s().api.get("/v1/audit_events?object_id=" + p.payment()).body()).contains("payment.review_resolved").contains("payment.succeeded");
        assertThat(PaymentFixtures.events(p.s().tenant.id(), "invoice.paid")).hasSize(1);

        // resolving again (a retried request), or resolving a payment never marked, is refused precisely
        var again = p.s().api.post(path, Map.of("outcome", "failed", "reason", "changed my mind"));
        assertThat(again.status()).isEqualTo(409);
        assertThat(again.code()).isEqualTo("payment_not_awaiting_review");
        assertThat(again.text("payment_status")).isEqualTo("succeeded");
        // the collection job sends nothing: the sandbox never saw a charge for it, and nothing is charged now
        RUNNER.runDue(100, Duration.ZERO);
        assertThat(GATEWAY.chargesOf(p.token())).isZero();
        assertThat(PaymentFixtures.payments(p.s().api, p.invoice())).hasSize(1);
        assertThat(TestNode.get().accrue().services().invoices().get(Caller.system(p.s().tenant.id()), p.invoice()).paid().toPlainMinorString())
                .isEqualTo("30.00");
    }

    @Test
    void resolvedAsFailedTheCollectionGoesOnWithTheBackupMethodAndChargesItOnce() {
        Parked p = parked("resolve failed", true);
        String backup = p.backup();

        var resolved = p.s().api.post("/v1/payments/" + p.payment() + "/resolve", Map.of("outcome", "failed", "reason", "no charge in the dashboard"));
        assertThat(resolved.status()).as(resolved.toString()).isEqualTo(200);
        assertThat(resolved.text("status")).isEqualTo("failed");
        assertThat(resolved.text("failure_code")).isEqualTo("resolved_failed");
        assertThat(resolved.text("failure_message")).isEqualTo("no charge in the dashboard");
        assertThat(p.s().api.get("/v1/invoices/" + p.invoice()).text("status")).isEqualTo("finalized");

        // the collection is due again at once: the next pass tries the backup (the default was this round's failed try)
        RUNNER.runDue(100, Duration.ZERO);
        RUNNER.runDue(100, Duration.ZERO);
        assertThat(GATEWAY.chargesOf(backup)).isEqualTo(1);
        assertThat(GATEWAY.chargesOf(p.token())).isZero();
        assertThat(p.s().api.get("/v1/invoices/" + p.invoice()).text("status")).isEqualTo("paid");
        assertThat(PaymentFixtures.attempts(p.s().api, p.invoice())).hasSize(2);
    }

    @Test
    void financeStaffResolveFromTheConsoleCustomerPage() {
        Parked p = parked("resolve console", false);
        String email = "finance-review-" + STAFF.incrementAndGet() + "-" + Unique.suffix() + "@staff.example";
        TestNode.get().accrue().services().staff().create(Caller.operator(p.s().tenant.id()), email, "Finance", "finance", "correct horse battery staple");
        WebClient web = new WebClient(TestNode.get().baseUrl());
        assertThat(web.signInToConsole(email, "correct horse battery staple").status()).isEqualTo(302);

        WebClient.Page page = web.get("/console/customers/" + p.customer());
        assertThat(page.body()).contains("data-testid=\"resolve-" + p.payment() + "\"").contains("outcome_unknown");
        String path = "/console/payments/" + p.payment() + "/resolve";
        assertThat(web.post(path, Map.of("csrf", page.csrf(), "outcome", "succeeded")).location()).endsWith("?refused=resolve_missing_field");
        assertThat(web.post(path, Map.of("csrf", page.csrf(), "outcome", "succeeded", "reference", "py_console")).location())
                .endsWith("?notice=payment_resolved");
        assertThat(p.s().api.get("/v1/invoices/" + p.invoice()).text("status")).isEqualTo("paid");
        assertThat(web.get("/console/customers/" + p.customer()).body()).doesNotContain("data-testid=\"resolve-" + p.payment() + "\"");
        assertThat(web.post(path, Map.of("csrf", page.csrf(), "outcome", "succeeded", "reference", "py_console")).location())
                .endsWith("?refused=resolve_payment_not_awaiting_review");
        assertThat(p.s().api.get("/v1/audit_events?object_id=" + p.payment()).body()).contains("staff:" + email);
    }
}
