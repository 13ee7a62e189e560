package dev.accrue.server.mail;

import com.fasterxml.jackson.databind.JsonNode;
import dev.accrue.server.support.Mails;
import dev.accrue.server.support.Sandbox;
import dev.accrue.server.support.TestNode;
import jakarta.mail.internet.MimeMessage;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A tenant's own subject line and intro of a document email (issue 12, bad input "a template with an unknown
 * placeholder"): refused precisely with nothing stored, used by the email actually sent, the intro escaped in HTML.
 */
class EmailTemplatesTest {

    private static Map<String, Object> wording(String subject, String intro) {
        Map<String, Object> m = new HashMap<>();
        m.put("subject", subject);
        m.put("intro", intro);
        return m;
    }

    @Test
    void aTenantsWordingIsCheckedStoredAndUsedByTheEmailSent() throws Exception {
        Sandbox s = new Sandbox("email templates", EmailTest.CATALOG, "2026-05-01T08:00:00Z");
        assertThat(s.api.send("PUT", "/v1/seller", EmailTest.seller(true)).status()).isEqualTo(200);
        JsonNode builtIn = s.api.get("/v1/tenant/email_templates/invoice").json();
        assertThat(builtIn.get("subject").isNull() && builtIn.get("intro").isNull()).isTrue();

        // an unknown placeholder, and broken syntax: invalid_template naming it, nothing stored
        var unknown = s.api.send("PUT", "/v1/tenant/email_templates/invoice", wording("Invoice {{ invoice.numbr }}", "Hello"));
        assertThat(unknown.status()).isEqualTo(400);
        assertThat(unknown.code()).isEqualTo("invalid_template");
        assertThat(unknown.toString()).contains("numbr");
        var broken = s.api.send("PUT", "/v1/tenant/email_templates/invoice", wording("Invoice", "Hello {% if %}"));
        assertThat(broken.code()).isEqualTo("invalid_template");
        assertThat(broken.toString()).contains("intro");
        assertThat(s.api.get("/v1/tenant/email_templates/invoice").json().get("subject").isNull()).isTrue();
        assertThat(s.api.get("/v1/tenant/email_templates/quote").status()).isEqualTo(404);

        var put = s.api.send("PUT", "/v1/tenant/email_templates/invoice", wording("Rechnung {{ invoice.number }} für {{ customer.name }}: {{ amount_due }} {{ currency }}",
                "Thanks <b>{{ customer.name }}</b> & co — see you soon."));
        assertThat(put.status()).as(put.toString()).isEqualTo(200);
        assertThat(s.api.get("/v1/tenant/email_templates/invoice").json().get("intro").asText()).startsWith("Thanks <b>");

        String to = EmailTest.unique("tpl");
        String c = EmailTest.customer(s, to, "postpaid");
        String sub = s.subscribe(Map.of("customer_id", c, "plan", "pro")).get("id").asText();
        JsonNode invoice = s.api.get("/v1/invoices?subscription_id=" + sub).json().get("data").get(0);
        TestNode.get().accrue().mail().dispatch(100);
        List<MimeMessage> received = Mails.to(to);
        assertThat(received).hasSize(1);
        MimeMessage m = received.getFirst();
        String name = s.api.get("/v1/customers/" + c).json().get("legal_name").asText();
        assertThat(m.getSubject()).isEqualTo("Rechnung " + invoice.get("number").asText() + " für " + name + ": 49.00 EUR");
        assertThat(Mails.text(m)).contains("Thanks <b>" + name + "</b> & co — see you soon.");
        // user-supplied text never becomes markup
        assertThat(Mails.html(m)).contains("Thanks &lt;b&gt;" + name + "&lt;/b&gt; &amp; co").doesNotContain("<b>" + name);
    }
}
