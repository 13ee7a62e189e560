package dev.accrue.server.notification;

import dev.accrue.server.support.Unique;
import com.fasterxml.jackson.databind.JsonNode;
import dev.accrue.app.event.DomainEvent;
import dev.accrue.app.event.EventTypes;
import dev.accrue.app.id.Ids;
import dev.accrue.app.notification.NotificationCentre;
import dev.accrue.server.Services;
import dev.accrue.server.support.Fixtures;
import dev.accrue.server.support.Mails;
import dev.accrue.server.support.NotificationSupport;
import dev.accrue.server.support.Sandbox;
import dev.accrue.server.support.TestNode;
import jakarta.mail.internet.MimeMessage;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The notification centre over the real outbox, API and SMTP server: in-app notifications with unread counts for a
 * customer and its users, channel preferences, emails (text and HTML), and a threshold that keeps firing batched
 * into one digest rather than an email each time.
 */
class NotificationCentreTest {
    private final Services services = TestNode.get().accrue().services();
    private Sandbox s;
    private String customer;
    private String billing;

    @BeforeEach
    void customer() {
        NotificationSupport.skipEarlierEvents();
        s = new Sandbox("notify", Fixtures.CATALOG_V1, "2026-03-01T10:00:00Z");
        billing = "billing-" + Unique.suffix() + "@notify.example";
        Map<String, Object> body = Fixtures.customer("Notified Ltd");
        body.put("billing_emails", List.of(billing));
        body.put("test_clock_id", s.clockId);
        body.remove("alignment");
        customer = s.api.post("/v1/customers", body).text("id");
    }

    @Test
    void aSuspensionReachesTheCustomerAndTheUsersWhoChoseItInTheAppAndByEmail() throws Exception {
        String user = "ana-" + Unique.suffix() + "@notify.example";
        var prefs = s.api.send("PUT", "/v1/customers/" + customer + "/notification_preferences",
                Map.of("user_email", user, "preferences", List.of(Map.of("event_type", "customer.suspended", "email", true, "in_app", true))));
        assertThat(prefs.status()).as(prefs.toString()).isEqualTo(200);
        String sub = s.subscribe(Map.of("customer_id", customer, "plan", "basic")).get("id").asText();
        s.api.post("/v1/subscriptions/" + sub + "/suspend", null);
        centre(Clock.systemUTC()).consume(1000);

        JsonNode own = s.api.get("/v1/customers/" + customer + "/notifications").json();
        assertThat(own.get("data")).extracting(n -> n.get("event_type").asText())
                .contains(EventTypes.CUSTOMER_SUSPENDED).doesNotContain(EventTypes.SUBSCRIPTION_CREATED);
        int customerWide = own.get("unread_count").asInt();
        JsonNode users = s.api.get("/v1/customers/" + customer + "/notifications?user_email=" + user).json();
        assertThat(users.get("unread_count").asInt()).isEqualTo(customerWide + 1);
        JsonNode mine = users.get("data").get(0);
        assertThat(mine.get("user_email").asText()).isEqualTo(user);
        assertThat(mine.get("title").asText()).isEqualTo("Your service is suspended");

        assertThat(s.api.post("/v1/customers/" + customer + "/notifications/" + mine.get("id").asText() + "/read", null).status()).isEqualTo(200);
        assertThat(s.api.get("/v1/customers/" + customer + "/notifications?user_email=" + user).json().get("unread_count").asInt())
                .isEqualTo(customerWide);
        assertThat(s.api.post("/v1/customers/" + customer + "/notifications/read_all", Map.of()).json().get("marked").asInt()).isEqualTo(customerWide);
        assertThat(s.api.get("/v1/customers/" + customer + "/notifications?unread=true").json().get("data")).isEmpty();

        TestNode.get().accrue().mail().dispatch(100);
        for (String to : List.of(billing, user)) {
            List<MimeMessage> got = Mails.to(to);
            assertThat(got).as(to).hasSize(1);
            assertThat(got.getFirst().getSubject()).isEqualTo("Your service is suspended");
            assertThat(Mails.text(got.getFirst())).contains("subscription_id: " + sub);
            assertThat(Mails.html(got.getFirst())).contains("<h2>Your service is suspended</h2>");
        }
    }

    @Test
    void aThresholdThatKeepsFiringIsOneEmailThenOneDigestPerHour() throws Exception {
        // two hours ago, so the emails it queues are due for the mail dispatcher's (system) clock
        Instant start = Instant.now().minus(Duration.ofHours(2));
        Clock[] now = {Clock.fixed(start, ZoneOffset.UTC)};
        Clock moving = new Clock() {
            public ZoneId getZone() {
                return ZoneOffset.UTC;
            }

            public Clock withZone(ZoneId zone) {
                return this;
            }

            public Instant instant() {
                return now[0].instant();
            }
        };
        NotificationCentre centre = centre(moving);
        for (int i = 0; i < 4; i++) {
            lowWallet(String.valueOf(9 - i));
            now[0] = Clock.fixed(start.plus(Duration.ofMinutes(10L * i)), ZoneOffset.UTC);
            centre.consume(1000);
        }
        assertThat(s.api.get("/v1/customers/" + customer + "/notifications").json().get("unread_count").asInt())
                .as("every one in the app").isEqualTo(4);
        TestNode.get().accrue().mail().dispatch(100);
        assertThat(Mails.to(billing)).as("the first by email, the rest wait for the digest").hasSize(1);

        assertThat(centre.flushDigests(100)).as("the hour is not over").isZero();
        now[0] = Clock.fixed(start.plus(Duration.ofMinutes(61)), ZoneOffset.UTC);
        assertThat(centre.flushDigests(100)).isEqualTo(1);
        assertThat(centre.flushDigests(100)).isZero();
        TestNode.get().accrue().mail().dispatch(100);
        List<MimeMessage> got = Mails.to(billing);
        assertThat(got).hasSize(2);
        assertThat(got.get(1).getSubject()).isEqualTo("3 notifications since the last email");
        assertThat(Mails.text(got.get(1))).contains("Your prepaid balance is low: 8.00 USD", "balance: 6.00");

        // one more within the new hour: a digest item again, not an email
        lowWallet("5");
        centre.consume(1000);
        TestNode.get().accrue().mail().dispatch(100);
        assertThat(Mails.to(billing)).hasSize(2);
    }

    /**
     * A batch holding several customers' events (as a burst of usage alerts does) notifies each as one event at a time
     * would: the consumer reads the batch's customers, preferences and languages once, and paces per recipient within
     * the batch — one email each, the rest digest items; each customer in its own language; a user's own channels.
     */
    @Test
    void oneBatchOfSeveralCustomersEventsNotifiesEachInItsLanguageAndPacesEachRecipient() throws Exception {
        String germanBilling = "rechnung-" + Unique.suffix() + "@notify.example";
        Map<String, Object> body = Fixtures.customer("Benachrichtigt GmbH");
        body.put("billing_emails", List.of(germanBilling));
        body.put("test_clock_id", s.clockId);
        body.remove("alignment");
        String german = s.api.post("/v1/customers", body).text("id");
        String user = "lea-" + Unique.suffix() + "@notify.example";
        String path = "/v1/customers/" + german + "/notification_preferences";
        assertThat(s.api.send("PUT", path, Map.of("locale", "de")).status()).isEqualTo(200);
        assertThat(s.api.send("PUT", path, Map.of("user_email", user, "preferences",
                List.of(Map.of("event_type", "wallet.low", "email", false, "in_app", true)))).status()).isEqualTo(200);
        NotificationSupport.skipEarlierEvents();
        for (int i = 0; i < 3; i++) {
            lowWallet(customer, String.valueOf(9 - i));
            if (i < 2) {
                lowWallet(german, String.valueOf(5 - i));
            }
        }
        Instant start = Instant.now().minus(Duration.ofHours(2)); // emails queued then are due for the dispatcher's clock
        NotificationCentre centre = centre(Clock.fixed(start, ZoneOffset.UTC));
        assertThat(centre.consume(1000)).isEqualTo(5);

        assertThat(s.api.get("/v1/customers/" + customer + "/notifications").json().get("unread_count").asInt()).isEqualTo(3);
        JsonNode germanFeed = s.api.get("/v1/customers/" + german + "/notifications").json();
        assertThat(germanFeed.get("unread_count").asInt()).isEqualTo(2);
        List<String> titles = new java.util.ArrayList<>();
        germanFeed.get("data").forEach(n -> titles.add(n.get("title").asText()));
        assertThat(titles).containsExactlyInAnyOrder("Ihr Guthaben ist niedrig: 5.00 USD", "Ihr Guthaben ist niedrig: 4.00 USD");
        assertThat(s.api.get("/v1/customers/" + german + "/notifications?user_email=" + user).json().get("unread_count").asInt())
                .as("the customer's two and the user's own two").isEqualTo(4);

        TestNode.get().accrue().mail().dispatch(100);
        assertThat(Mails.to(billing)).as("one email, two digest items").hasSize(1);
        List<MimeMessage> germanMail = Mails.to(germanBilling);
        assertThat(germanMail).hasSize(1);
        assertThat(germanMail.getFirst().getSubject()).isEqualTo("Ihr Guthaben ist niedrig: 5.00 USD");
        assertThat(Mails.to(user)).as("the user chose the app only").isEmpty();
        NotificationCentre later = centre(Clock.fixed(start.plus(Duration.ofMinutes(61)), ZoneOffset.UTC));
        assertThat(later.flushDigests(100)).as("one digest per recipient").isEqualTo(2);
        TestNode.get().accrue().mail().dispatch(100);
        assertThat(Mails.to(billing).get(1).getSubject()).isEqualTo("2 notifications since the last email");
        assertThat(Mails.to(germanBilling)).hasSize(2);
    }

    @Test
    void preferencesNamingAnUnknownEventTypeOrAMalformedUserAreRefusedAndChangeNothing() {
        String path = "/v1/customers/" + customer + "/notification_preferences";
        var before = s.api.get(path).json();
        var bad = s.api.send("PUT", path, Map.of("preferences", List.of(Map.of("event_type", "wallet.low", "email", false),
                Map.of("event_type", "wallet.exploded", "email", true))));
        assertThat(bad.code()).isEqualTo("unknown_event_type");
        assertThat(s.api.send("PUT", path, Map.of("user_email", "not-an-email", "preferences", List.of(Map.of("event_type", "wallet.low"))))
                .code()).isEqualTo("validation_failed");
        assertThat(s.api.get(path).json()).isEqualTo(before);
        JsonNode low = null;
        for (JsonNode p : before.get("preferences")) {
            if (p.get("event_type").asText().equals("wallet.low")) {
                low = p;
            }
        }
        assertThat(low.get("email").asBoolean()).isTrue();
        assertThat(low.get("chosen").asBoolean()).isFalse();
        assertThat(s.api.get("/v1/customers/cus_nope/notifications").status()).isEqualTo(404);
    }

    private void lowWallet(String balance) {
        lowWallet(customer, balance);
    }

    private void lowWallet(String of, String balance) {
        services.tx().run(() -> services.events().record(s.tenant.id(), new DomainEvent(Ids.next("evt"), EventTypes.WALLET_LOW, "wallet", of,
                of, Map.of("currency", "USD", "balance", balance + ".00", "threshold", "10.00"), Instant.now())));
    }

    private NotificationCentre centre(Clock clock) {
        return services.notifications().centre(clock);
    }
}
