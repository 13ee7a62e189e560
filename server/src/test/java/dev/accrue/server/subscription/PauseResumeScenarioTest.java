package dev.accrue.server.subscription;

import com.fasterxml.jackson.databind.JsonNode;
import dev.accrue.server.support.Sandbox;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 16 point 10 on the real server over a test clock: a pause credits the unused part of the paid period, the periods
 * starting while paused bill no fees, and a resume (automatic on its date, or by hand) charges the rest of its period; the
 * credit is consumed by the next invoices. Billing dates never move.
 */
class PauseResumeScenarioTest {
    static final String CATALOG = """
            name: pauses
            version: 1
            effective_from: 2020-01-01
            currencies: [USD]
            products:
              - { code: crm, name: CRM }
            plans:
              - code: basic
                product: crm
                name: Basic
                alignment: calendar
                intervals: [{ interval: month }]
                charges:
                  - { type: recurring, code: base, name: Seat, monthly_price: { USD: "30.00" } }
            """;

    @Test
    void pausedPeriodsBillNothingAndResumingChargesTheRestOfItsPeriod() {
        Sandbox s = new Sandbox("pauses", CATALOG, "2026-06-01T08:00:00Z");
        String c = s.customer("Seasonal Co", "USD", "UTC");
        String sub = s.subscribe(Map.of("customer_id", c, "plan", "basic")).get("id").asText();
        String base = "/v1/subscriptions/" + sub;
        assertThat(status(s, sub)).isEqualTo("active");
        var notPaused = s.api.post(base + "/resume", Map.of());
        assertThat(notPaused.status()).isEqualTo(409);
        assertThat(notPaused.text("code")).isEqualTo("subscription_not_paused");

        s.advanceTo("2026-06-11T08:00:00Z");
        var pastResume = s.api.post(base + "/pause", Map.of("resume_on", "2026-06-11"));
        assertThat(pastResume.text("code")).isEqualTo("validation_failed");
        assertThat(pastResume.text("field")).isEqualTo("resume_on");
        var paused = s.api.post(base + "/pause", Map.of("resume_on", "2026-07-16"));
        assertThat(paused.status()).isEqualTo(201);
        assertThat(paused.text("paused_on")).isEqualTo("2026-06-11");
        assertThat(s.api.post(base + "/pause", Map.of()).text("code")).isEqualTo("subscription_paused");
        assertThat(status(s, sub)).isEqualTo("paused");
        assertThat(s.api.get("/v1/subscriptions?customer_id=" + c).json().at("/data/0/status").asText()).isEqualTo("paused");
        // June 11-30 unused: 30.00 × 20/30
        assertThat(s.api.get("/v1/customers/" + c + "/credit").text("balance")).isEqualTo("20.00");
        // the day before the automatic resume it is still paused; on the resume day it is running again
        s.advanceTo("2026-07-15T08:00:00Z");
        assertThat(status(s, sub)).isEqualTo("paused");
        s.advanceTo("2026-07-16T08:00:00Z");
        assertThat(status(s, sub)).isEqualTo("active");

        s.advanceTo("2026-08-02T08:00:00Z");
        assertThat(s.api.get(base + "/pauses").json().at("/data/0/resumed_on").asText()).isEqualTo("2026-07-16");

        // paused again by hand on August 10, resumed by hand on September 2
        s.advanceTo("2026-08-10T08:00:00Z");
        assertThat(s.api.post(base + "/pause", Map.of()).status()).isEqualTo(201);
        assertThat(status(s, sub)).isEqualTo("paused");
        s.advanceTo("2026-09-02T08:00:00Z");
        assertThat(status(s, sub)).isEqualTo("paused");
        var resumed = s.api.post(base + "/resume", Map.of());
        assertThat(resumed.status()).isEqualTo(200);
        assertThat(resumed.text("resumed_on")).isEqualTo("2026-09-02");
        assertThat(status(s, sub)).isEqualTo("active");
        s.advanceTo("2026-10-02T08:00:00Z");

        assertThat(invoices(s, sub)).containsExactly(
                "2026-06-01 30.00 [recurring 30.00]",
                // no July invoice: the July 1 boundary fell in the pause. Resumed July 16: 30.00 × 16/31 = 15.48, paid by the credit
                "2026-07-16 0.00 [recurring 15.48, credit -15.48]",
                "2026-08-01 25.48 [recurring 30.00, credit -4.52]",
                // paused August 10: 30.00 × 22/31 = 21.29 of credit; September 1 fell in the pause; resumed September 2: 30.00 × 29/30
                "2026-09-02 7.71 [recurring 29.00, credit -21.29]",
                "2026-10-01 30.00 [recurring 30.00]");
        assertThat(s.api.get("/v1/customers/" + c + "/credit").text("balance")).isEqualTo("0.00");
    }

    @Test
    void pausedWhilePausedSuspendedWinsAndTheResumeShowsWhatItWasBefore() {
        Sandbox s = new Sandbox("pause-status", CATALOG, "2026-06-01T08:00:00Z");
        String c = s.customer("Status Co", "USD", "UTC");
        String sub = s.subscribe(Map.of("customer_id", c, "plan", "basic")).get("id").asText();
        String base = "/v1/subscriptions/" + sub;
        s.advanceTo("2026-06-05T08:00:00Z");
        assertThat(s.api.post(base + "/pause", Map.of()).status()).isEqualTo(201);
        assertThat(status(s, sub)).isEqualTo("paused");
        // suspension for non-payment says more than a pause, and lifting it shows the pause again
        assertThat(s.api.post(base + "/suspend", null).text("status")).isEqualTo("suspended");
        assertThat(s.api.post(base + "/reinstate", null).text("status")).isEqualTo("paused");
        // a cancellation at period end made while paused: paused until resumed, then what it is without the pause
        assertThat(s.api.post(base + "/cancel", Map.of("reason", "season over")).text("status")).isEqualTo("paused");
        s.advanceTo("2026-06-10T08:00:00Z");
        assertThat(s.api.post(base + "/resume", Map.of()).status()).isEqualTo(200);
        assertThat(status(s, sub)).isEqualTo("canceled_at_period_end");
        s.advanceTo("2026-07-02T08:00:00Z");
        assertThat(status(s, sub)).isEqualTo("ended");
    }

    private static String status(Sandbox s, String sub) {
        return s.api.get("/v1/subscriptions/" + sub).text("status");
    }

    private static List<String> invoices(Sandbox s, String sub) {
        List<String> out = new ArrayList<>();
        for (JsonNode i : s.api.get("/v1/invoices?limit=100&subscription_id=" + sub).json().get("data")) {
            List<String> lines = new ArrayList<>();
            i.get("lines").forEach(l -> lines.add(l.get("kind").asText() + " " + l.get("amount").asText()));
            out.addFirst(i.get("issue_date").asText() + " " + i.get("total").asText() + " " + lines);
        }
        return out;
    }
}
