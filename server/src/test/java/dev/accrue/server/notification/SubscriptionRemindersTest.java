package dev.accrue.server.notification;

import dev.accrue.app.event.DomainEvents;
import dev.accrue.app.event.EventTypes;
import dev.accrue.app.notification.SubscriptionReminders;
import dev.accrue.server.support.Fixtures;
import dev.accrue.server.support.Sandbox;
import dev.accrue.server.support.TestNode;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Renewal and trial-end reminders follow the customer's test clock and are recorded once each. */
class SubscriptionRemindersTest {
    private final DomainEvents events = TestNode.get().accrue().services().events();
    private final SubscriptionReminders reminders = TestNode.get().accrue().services().notifications().reminders(Clock.systemUTC());

    @Test
    void aRenewalAndATrialEndAreAnnouncedOnceTheNoticeDaysBefore() {
        Sandbox s = new Sandbox("reminders", Fixtures.CATALOG_V1, "2026-03-01T10:00:00Z");
        String tenant = s.tenant.id();
        assertThat(s.api.send("PUT", "/v1/notification_settings", Map.of("renewal_notice_days", 5)).json().get("trial_notice_days").asInt())
                .isEqualTo(3);
        assertThat(s.api.send("PUT", "/v1/notification_settings", Map.of("renewal_notice_days", 61)).code()).isEqualTo("validation_failed");
        String customer = s.customer("Reminded", "USD", "UTC");
        String paid = s.subscribe(Map.of("customer_id", customer, "plan", "basic")).get("id").asText();
        String trial = s.subscribe(Map.of("customer_id", s.customer("Trying", "USD", "UTC"), "plan", "basic", "trial_days", 14)).get("id").asText();

        s.advanceTo("2026-03-13T10:00:00Z");
        reminders.scan(1000);
        assertThat(events.list(tenant, EventTypes.SUBSCRIPTION_RENEWING, null, 10)).isEmpty();
        assertThat(events.list(tenant, EventTypes.SUBSCRIPTION_TRIAL_ENDING, null, 10)).extracting(r -> r.event().objectId()).containsExactly(trial);
        assertThat(events.list(tenant, EventTypes.SUBSCRIPTION_TRIAL_ENDING, null, 10).getFirst().event().data())
                .containsEntry("trial_ends_on", "2026-03-15");

        s.advanceTo("2026-03-27T10:00:00Z");
        reminders.scan(1000);
        reminders.scan(1000);
        var renewing = events.list(tenant, EventTypes.SUBSCRIPTION_RENEWING, null, 10);
        // the trial ended on the 15th: both now renew on April 1st, each announced once however often the scan runs
        assertThat(renewing).extracting(r -> r.event().objectId()).containsExactlyInAnyOrder(paid, trial);
        assertThat(renewing.getFirst().event().data()).containsEntry("renews_on", "2026-04-01");
        assertThat(events.list(tenant, EventTypes.SUBSCRIPTION_TRIAL_ENDING, null, 10)).hasSize(1);
    }
}
