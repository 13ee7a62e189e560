package dev.accrue.core.metering;

/** Why one event of a batch was refused: a stable snake_case code, the offending field and a message. */
public record EventRejection(String code, String field, String message) {
    public static final String MISSING_FIELD = "missing_field";
    public static final String VALIDATION_FAILED = "validation_failed";
    public static final String UNKNOWN_METRIC = "unknown_metric";
    public static final String UNKNOWN_CUSTOMER = "unknown_customer";
    public static final String NO_ACTIVE_SUBSCRIPTION = "no_active_subscription";
    public static final String INVALID_TIMESTAMP = "invalid_timestamp";
    public static final String TOO_LATE = "event_too_late";
    public static final String IN_FUTURE = "event_in_future";
    public static final String INVALID_QUANTITY = "invalid_quantity";
    public static final String QUANTITY_TOO_LARGE = "quantity_too_large";
    public static final String INVALID_ID = "invalid_event_id";
    public static final String DUPLICATE_IN_BATCH = "duplicate_in_batch";
    public static final String PERIOD_INVOICED = "period_invoiced";
    public static final String NO_CHARGE_FOR_METRIC = "no_charge_for_metric";
    public static final String INVALID_PHONE_NUMBER = "invalid_phone_number";
}
