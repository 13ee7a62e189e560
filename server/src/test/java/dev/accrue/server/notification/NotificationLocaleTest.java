package dev.accrue.server.notification;

import dev.accrue.server.support.Unique;
import com.fasterxml.jackson.databind.JsonNode;
import dev.accrue.server.support.Fixtures;
import dev.accrue.server.support.Mails;
import dev.accrue.server.support.NotificationSupport;
import dev.accrue.server.support.PortalLinks;
import dev.accrue.server.support.Sandbox;
import dev.accrue.server.support.TestNode;
import dev.accrue.server.support.WebClient;
import jakarta.mail.internet.MimeMessage;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The second shipped language (German) chosen by the customer's locale: a notification and its email written from the
 * German templates, and an error page of the portal in German (issue 15 point 11).
 */
class NotificationLocaleTest {
    @Test
    void aGermanCustomerGetsTheNotificationAndItsEmailInGerman() throws Exception {
        NotificationSupport.skipEarlierEvents();
        Sandbox s = new Sandbox("notify de", Fixtures.CATALOG_V1, "2026-03-01T10:00:00Z");
        String billing = "rechnung-" + Unique.suffix() + "@notify.example";
        Map<String, Object> body = Fixtures.customer("Benachrichtigt GmbH");
        body.put("billing_emails", List.of(billing));
        body.put("test_clock_id", s.clockId);
        body.remove("alignment");
        String customer = s.api.post("/v1/customers", body).text("id");
        String path = "/v1/customers/" + customer + "/notification_preferences";

        // a malformed or over-long locale, or nothing to set: refused, nothing changed
        for (Object bad : List.of("deutsch!", "de-" + "x".repeat(40), "1234")) {
            var refused = s.api.send("PUT", path, Map.of("locale", bad));
            assertThat(refused.status()).as(bad.toString()).isEqualTo(400);
        }
        assertThat(s.api.send("PUT", path, Map.of()).status()).isEqualTo(400);
        assertThat(s.api.get(path).json().get("locale").isNull()).isTrue();

        var set = s.api.send("PUT", path, Map.of("locale", "de-DE"));
        assertThat(set.status()).as(set.toString()).isEqualTo(200);
        assertThat(set.json().get("locale").asText()).isEqualTo("de-DE");
        String sub = s.subscribe(Map.of("customer_id", customer, "plan", "basic")).get("id").asText();
        s.api.post("/v1/subscriptions/" + sub + "/suspend", null);
        TestNode.get().accrue().services().notifications().centre(Clock.systemUTC()).consume(1000);

        JsonNode feed = s.api.get("/v1/customers/" + customer + "/notifications").json().get("data");
        List<String> titles = new ArrayList<>();
        feed.forEach(n -> titles.add(n.get("title").asText()));
        assertThat(titles).contains("Ihr Dienst ist gesperrt");
        TestNode.get().accrue().mail().dispatch(100);
        List<MimeMessage> got = Mails.to(billing);
        assertThat(got).hasSize(1);
        assertThat(got.getFirst().getSubject()).isEqualTo("Ihr Dienst ist gesperrt");
        assertThat(Mails.text(got.getFirst())).contains("Sie erhalten diese Nachricht wegen Ihrer Benachrichtigungseinstellungen", "subscription_id: " + sub);
        assertThat(Mails.html(got.getFirst())).contains("<h2>Ihr Dienst ist gesperrt</h2>");

        // back to English: the next notification is English again
        assertThat(s.api.send("PUT", path, Map.of("locale", "")).json().get("locale").isNull()).isTrue();
        s.api.post("/v1/subscriptions/" + sub + "/reinstate", null);
        TestNode.get().accrue().services().notifications().centre(Clock.systemUTC()).consume(1000);
        List<String> after = new ArrayList<>();
        s.api.get("/v1/customers/" + customer + "/notifications").json().get("data").forEach(n -> after.add(n.get("title").asText()));
        assertThat(after).contains("Your service is restored");
    }

    @Test
    void anErrorPageOfTheGermanPortalIsGerman() {
        Sandbox s = new Sandbox("portal error de", Fixtures.CATALOG_V1, "2026-03-01T10:00:00Z");
        String customer = s.customer("Fehler GmbH", "USD", "UTC");
        // another customer's invoice: not reachable from this customer's portal (404)
        String other = s.customer("Andere GmbH", "USD", "UTC");
        String otherSub = s.subscribe(Map.of("customer_id", other, "plan", "basic")).get("id").asText();
        String foreign = s.api.get("/v1/invoices?subscription_id=" + otherSub).json().at("/data/0/id").asText();
        WebClient german = new WebClient(TestNode.get().baseUrl());
        german.get(PortalLinks.link(s.api, customer, "inhaber@example.com", "admin", "de-DE"));
        WebClient.Page missing = german.get("/portal/invoices/" + foreign);
        assertThat(missing.status()).isEqualTo(404);
        assertThat(missing.body()).contains("<html lang=\"de\">", "Diese Seite oder dieser Eintrag existiert nicht.").doesNotContain(foreign);
        WebClient english = new WebClient(TestNode.get().baseUrl());
        english.get(PortalLinks.link(s.api, customer, "owner@example.com", "admin", "en-US"));
        assertThat(english.get("/portal/invoices/" + foreign).body()).contains("<html lang=\"en\">").doesNotContain("Diese Seite");
    }
}
