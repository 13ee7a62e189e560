package dev.accrue.app.alert;

import java.time.Instant;
import java.time.LocalDate;
import java.util.Map;

/**
 * An alert that fired. {@code (kind, subject, windowStart, audience, threshold)} is unique: the database refuses a
 * second one, which is how an alert fires once per window however many threads or nodes see the crossing.
 */
public record FiredAlert(String id, String customerId, String kind, String subject, LocalDate windowStart, LocalDate windowEnd, String audience,
                         String threshold, String eventId, Map<String, Object> data, Instant firedAt) {
    public static final String USAGE_THRESHOLD = "usage_threshold";
    public static final String OVERAGE_PROJECTED = "overage_projected";
    public static final String BUDGET_THRESHOLD = "budget_threshold";
    public static final String PLAN = "plan";
    public static final String CUSTOMER = "customer";

    /** The unique key of a fired alert: it fires once per (kind, subject, window, audience, threshold). */
    public record Marker(String kind, String subject, LocalDate windowStart, String audience, String threshold) {
    }

    /** A subject's window, to ask which of its alerts fired. */
    public record Window(String subject, LocalDate windowStart) {
    }
}
