package dev.accrue.server.payment;

import dev.accrue.server.support.Fixtures;
import dev.accrue.server.support.Mails;
import jakarta.mail.MessagingException;
import dev.accrue.server.support.Sandbox;
import dev.accrue.server.support.TestNode;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static dev.accrue.server.payment.PaymentFixtures.attempts;
import static dev.accrue.server.payment.PaymentFixtures.invoiceOf;
import static dev.accrue.server.payment.PaymentFixtures.subscriptionStatus;
import static org.assertj.core.api.Assertions.assertThat;

/** Issue 13: collection and dunning over a test clock, through the API and the sandbox gateway. */
class DunningScenarioTest {

    @Test
    void aDeclineThenSuccessOnTheSecondRetryPaysTheInvoiceAndNeverSuspends() {
        Sandbox s = new Sandbox("dunning-retry", Fixtures.CATALOG_V1, "2026-06-01T08:00:00Z");
        String customer = s.customer("Retry Co", "USD", "UTC");
        String card = PaymentFixtures.token(s.api, PaymentFixtures.INSUFFICIENT_FUNDS);
        assertThat(s.api.post("/v1/customers/" + customer + "/payment_methods", Map.of("token", card)).status()).isEqualTo(201);
        String sub = s.subscribe(Map.of("customer_id", customer, "plan", "basic")).get("id").asText();
        String invoice = invoiceOf(s, sub).get("id").asText();

        s.advanceTo("2026-06-01T09:00:00Z"); // the first try, after the invoice's transaction committed
        assertThat(attempts(s.api, invoice)).containsExactly("failed insufficient_funds 30.00 visa ···· 9995");
        s.advanceTo("2026-06-02T10:00:00Z"); // retry 1, a day after the first failure
        assertThat(attempts(s.api, invoice)).hasSize(2);
        s.advanceTo("2026-06-03T10:00:00Z"); // nothing due: retry 2 is 3 days after the first failure
        assertThat(attempts(s.api, invoice)).hasSize(2);

        assertThat(s.api.post("/v1/sandbox/tokens/" + card + "/simulate", Map.of("behaviour", "succeed")).status()).isEqualTo(200);
        s.advanceTo("2026-06-04T10:00:00Z");
        assertThat(attempts(s.api, invoice)).containsExactly("failed insufficient_funds 30.00 visa ···· 9995",
                "failed insufficient_funds 30.00 visa ···· 9995", "succeeded null 30.00 visa ···· 9995");
        var paid = s.api.get("/v1/invoices/" + invoice).json();
        assertThat(paid.get("status").asText()).isEqualTo("paid");
        assertThat(paid.get("amount_due").asText()).isEqualTo("0.00");
        assertThat(paid.get("payment_status").asText()).isEqualTo("paid");
        assertThat(subscriptionStatus(s.api, sub)).isEqualTo("active");
        assertThat(PaymentFixtures.events(s.tenant.id(), null)).contains("invoice.payment_failed " + invoice, "invoice.paid " + invoice)
                .noneMatch(e -> e.startsWith("customer.suspended"));
        assertThat(PaymentFixtures.events(s.tenant.id(), "payment.failed")).hasSize(2);

        // the billing contact heard of each failure, with the reason and the fix, then got the receipt
        var emails = s.api.get("/v1/emails?customer_id=" + customer).json().get("data");
        assertThat(emails.toString()).contains("failed");
        TestNode.get().accrue().mail().dispatch(100);
        var received = Mails.to("accounts@brightside.example");
        assertThat(received.stream().map(m -> {
            try {
                return m.getSubject();
            } catch (MessagingException e) {
                throw new IllegalStateException(e);
            }
        })).anyMatch(subject -> subject.startsWith("Payment receipt PRC-"));
    }
}
