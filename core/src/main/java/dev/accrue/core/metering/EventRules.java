package dev.accrue.core.metering;

import dev.accrue.core.catalog.Aggregation;
import dev.accrue.core.catalog.Metric;

import java.math.BigDecimal;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Validates one event against its metric, pure and in memory, so a batch is checked before any database
 * work. Events older than the lateness window or more than {@link #MAX_FUTURE} ahead are refused; the
 * measured value must be a non-negative number no larger than the tenant's maximum.
 */
public final class EventRules {
    /** The property that says whether an event of a PERSISTENT metric adds or removes its unit. */
    public static final String UNIT_OPERATION = "operation";
    public static final String UNIT_ADD = "add";
    public static final String UNIT_REMOVE = "remove";

    public static final Duration MAX_FUTURE = Duration.ofMinutes(5);
    private static final int MAX_ID_LENGTH = 200;

    private EventRules() {
    }

    /** Either the metered event or why it was refused. */
    public sealed interface Outcome permits Accepted, Rejected {
    }

    public record Accepted(MeteredEvent event) implements Outcome {
    }

    public record Rejected(EventRejection rejection) implements Outcome {
    }

    /**
     * The checks that need no catalog, made on the event as the client sent it: the id and the timestamp
     * (parseable, inside the lateness window, not in the future). Null when they pass.
     */
    public static EventRejection checkEnvelope(RawEvent raw, Instant now, Duration lateness) {
        return check(raw, null, null, null, now, lateness, null) instanceof Rejected r ? r.rejection() : null;
    }

    /** Checks one event (or leg) against its metric; its id was checked by {@link #checkEnvelope} when it was sent. */
    public static Outcome check(RawEvent raw, Metric metric, String subscriptionId, ZoneId zone, Instant now, Duration lateness,
                                BigDecimal maxQuantity) {
        if (raw.eventId() == null || raw.eventId().isBlank()) {
            return reject(EventRejection.MISSING_FIELD, "event_id", "event_id is required (your unique id of this event)");
        }
        // the id is the client's, checked with the envelope; a checked event's legs carry ids derived from it that
        // the client cannot send (a forwarded call's outbound leg), so they are not held to the client's rule
        if (metric == null && !validId(raw.eventId())) {
            return reject(EventRejection.INVALID_ID, "event_id", "event_id must be 1-200 characters of letters, digits and _ . : @ / + = -");
        }
        if (raw.timestamp() == null) {
            return reject(EventRejection.MISSING_FIELD, "timestamp", "timestamp is required (ISO-8601, e.g. 2026-06-01T12:00:00Z)");
        }
        Instant at;
        try {
            at = parseInstant(raw.timestamp());
        } catch (DateTimeException e) {
            return reject(EventRejection.INVALID_TIMESTAMP, "timestamp", "timestamp must be an ISO-8601 instant such as 2026-06-01T12:00:00Z, got '" + raw.timestamp() + "'");
        }
        if (at.isAfter(now.plus(MAX_FUTURE))) {
            return reject(EventRejection.IN_FUTURE, "timestamp", "timestamp " + at + " is more than " + MAX_FUTURE.toMinutes() + " minutes in the future");
        }
        if (at.isBefore(now.minus(lateness))) {
            return reject(EventRejection.TOO_LATE, "timestamp", "timestamp " + at + " is older than the lateness window of " + lateness.toDays() + " days");
        }
        if (metric == null) {
            return new Accepted(null); // envelope only
        }
        Map<String, Object> props = raw.properties() == null ? Map.of() : raw.properties();
        for (var filter : metric.filters().entrySet()) {
            // a filtered metric needs the property on every event: a send without "smtp" is refused rather than
            // silently left uncounted (lost revenue) or counted (charging custom-SMTP sends)
            Object v = props.get(filter.getKey());
            if (v == null || v.toString().isBlank()) {
                return reject(EventRejection.MISSING_FIELD, "properties." + filter.getKey(), "metric " + metric.code()
                        + " counts only events whose properties." + filter.getKey() + " is one of " + filter.getValue()
                        + "; send it on every event (another value is stored but not counted)");
            }
        }
        BigDecimal quantity;
        String uniqueValue = null;
        String unitOp = null;
        if (metric.aggregation() == Aggregation.COUNT) {
            quantity = BigDecimal.ONE;
        } else if (metric.aggregation() == Aggregation.UNIQUE_COUNT) {
            // the measured thing is an identity (a contact, a caller): each distinct value counts once per period
            Object value = props.get(metric.field());
            if (value == null || value.toString().isBlank() || value.toString().length() > 256) {
                return reject(EventRejection.MISSING_FIELD, "properties." + metric.field(),
                        "metric " + metric.code() + " counts distinct properties." + metric.field() + " (1-256 characters)");
            }
            quantity = BigDecimal.ONE;
            uniqueValue = value.toString();
        } else if (metric.aggregation() == Aggregation.PERSISTENT) {
            // a unit (a seat, a number) named by its id, added or removed; the unit is held from its add to its remove
            Object value = props.get(metric.field());
            if (value == null || value.toString().isBlank() || value.toString().length() > 256) {
                return reject(EventRejection.MISSING_FIELD, "properties." + metric.field(),
                        "metric " + metric.code() + " adds and removes units named by properties." + metric.field() + " (1-256 characters)");
            }
            Object op = props.get(UNIT_OPERATION);
            if (op == null) {
                return reject(EventRejection.MISSING_FIELD, "properties." + UNIT_OPERATION, "metric " + metric.code()
                        + " needs properties." + UNIT_OPERATION + ": add or remove");
            }
            if (!UNIT_ADD.equals(op) && !UNIT_REMOVE.equals(op)) {
                return reject(EventRejection.VALIDATION_FAILED, "properties." + UNIT_OPERATION, "properties." + UNIT_OPERATION
                        + " is add or remove, got '" + op + "'");
            }
            quantity = UNIT_ADD.equals(op) ? BigDecimal.ONE : BigDecimal.ZERO;
            uniqueValue = value.toString();
            unitOp = op.toString();
        } else {
            Object value = props.get(metric.field());
            if (value == null) {
                return reject(EventRejection.MISSING_FIELD, "properties." + metric.field(), "metric " + metric.code() + " needs properties." + metric.field());
            }
            quantity = number(value);
            if (quantity == null || (quantity.signum() < 0 && !(metric.allowNegative() && metric.aggregation() == Aggregation.SUM))) {
                return reject(EventRejection.INVALID_QUANTITY, "properties." + metric.field(),
                        "properties." + metric.field() + " must be a number of zero or more, got " + value);
            }
            if (quantity.abs().compareTo(maxQuantity) > 0) {
                return reject(EventRejection.QUANTITY_TOO_LARGE, "properties." + metric.field(),
                        "properties." + metric.field() + " = " + quantity.toPlainString() + " exceeds the maximum of " + maxQuantity.toPlainString());
            }
        }
        LocalDate day = LocalDate.ofInstant(at, zone);
        return new Accepted(new MeteredEvent(raw.eventId(), raw.customerId(), subscriptionId, metric.code(), at, day, quantity,
                dimensionKey(metric.groupBy(), props), passesFilters(metric, props), props, false, uniqueValue, false, unitOp));
    }

    /** 1-200 characters of letters, digits and {@code _ . : @ / + = -} (a hand-written loop: this runs per event). */
    static boolean validId(String id) {
        int n = id.length();
        if (n == 0 || n > MAX_ID_LENGTH) {
            return false;
        }
        for (int i = 0; i < n; i++) {
            char c = id.charAt(i);
            boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                    || c == '_' || c == '.' || c == ':' || c == '@' || c == '/' || c == '+' || c == '=' || c == '-';
            if (!ok) {
                return false;
            }
        }
        return true;
    }

    /**
     * {@link Instant#parse} with a fast path for the common {@code 2026-06-01T12:00:00[.fraction]Z} form (the
     * generic formatter costs microseconds per event); any other text goes to {@link Instant#parse}, so the
     * accepted forms and the errors are exactly its own.
     */
    public static Instant parseInstant(String text) {
        int n = text.length();
        if (n >= 20 && n <= 30 && text.charAt(n - 1) == 'Z' && text.charAt(4) == '-' && text.charAt(7) == '-' && text.charAt(10) == 'T'
                && text.charAt(13) == ':' && text.charAt(16) == ':') {
            int year = digits(text, 0, 4);
            int month = digits(text, 5, 2);
            int day = digits(text, 8, 2);
            int hour = digits(text, 11, 2);
            int minute = digits(text, 14, 2);
            int second = digits(text, 17, 2);
            int nanos = 0;
            boolean ok = year >= 0 && month >= 1 && month <= 12 && day >= 1 && day <= 31 && hour >= 0 && hour <= 23
                    && minute >= 0 && minute <= 59 && second >= 0 && second <= 59;
            if (ok && n > 20) {
                int fraction = n - 21; // digits between '.' and 'Z'
                ok = text.charAt(19) == '.' && fraction >= 1 && fraction <= 9;
                int value = ok ? digits(text, 20, fraction) : -1;
                ok = ok && value >= 0;
                if (ok) {
                    nanos = value;
                    for (int k = fraction; k < 9; k++) {
                        nanos *= 10;
                    }
                }
            }
            if (ok && (day <= 28 || day <= java.time.YearMonth.of(year, month).lengthOfMonth())) {
                long epochDay = LocalDate.of(year, month, day).toEpochDay();
                return Instant.ofEpochSecond(epochDay * 86_400 + hour * 3_600L + minute * 60L + second, nanos);
            }
        }
        return Instant.parse(text);
    }

    /** The non-negative number written by {@code length} ASCII digits at {@code from}, or -1. */
    private static int digits(String text, int from, int length) {
        int value = 0;
        for (int i = from; i < from + length; i++) {
            char c = text.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            value = value * 10 + (c - '0');
        }
        return value;
    }

    /** The group-by values in a canonical, sorted {@code name=value|…} form; absent values are empty. */
    public static String dimensionKey(List<String> groupBy, Map<String, Object> props) {
        if (groupBy.isEmpty()) {
            return "";
        }
        if (groupBy.size() == 1) {
            String dim = groupBy.getFirst();
            Object v = props.get(dim);
            return v == null ? dim + "=" : dim + "=" + v;
        }
        Map<String, String> sorted = new TreeMap<>();
        for (String dim : groupBy) {
            Object v = props.get(dim);
            sorted.put(dim, v == null ? "" : v.toString());
        }
        StringBuilder out = new StringBuilder();
        sorted.forEach((k, v) -> out.append(out.isEmpty() ? "" : "|").append(k).append('=').append(v));
        return out.toString();
    }

    static boolean passesFilters(Metric metric, Map<String, Object> props) {
        for (var filter : metric.filters().entrySet()) {
            Object v = props.get(filter.getKey());
            if (v == null || !filter.getValue().contains(v.toString())) {
                return false;
            }
        }
        return true;
    }

    private static BigDecimal number(Object value) {
        if (value instanceof BigDecimal b) {
            return b;
        }
        if (value instanceof Integer || value instanceof Long || value instanceof java.math.BigInteger) {
            return new BigDecimal(value.toString());
        }
        return null; // strings, booleans and floating point are not quantities
    }

    private static Rejected reject(String code, String field, String message) {
        return new Rejected(new EventRejection(code, field, message));
    }
}
