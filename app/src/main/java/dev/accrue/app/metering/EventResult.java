package dev.accrue.app.metering;

/** The outcome of one event of a batch: accepted (now durable), duplicate (seen before, not counted again) or rejected. */
public record EventResult(int index, String eventId, String status, String code, String field, String message) {
    public static final String ACCEPTED = "accepted";
    public static final String DUPLICATE = "duplicate";
    public static final String REJECTED = "rejected";
}
