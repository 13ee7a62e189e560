package dev.accrue.core.error;

import java.util.Locale;

/**
 * Stable error codes. The wire form is the lower-case name ({@link #wire()}); never rename a constant
 * once released, add a new one instead. The {@link Kind} tells the HTTP adapter which status family applies.
 */
public enum ErrorCode {
    // 400: the request itself is wrong
    MALFORMED_JSON(Kind.BAD_REQUEST),
    UNKNOWN_FIELD(Kind.BAD_REQUEST),
    WRONG_TYPE(Kind.BAD_REQUEST),
    MISSING_FIELD(Kind.BAD_REQUEST),
    VALIDATION_FAILED(Kind.BAD_REQUEST),
    INVALID_CURRENCY(Kind.BAD_REQUEST),
    INVALID_TIME_ZONE(Kind.BAD_REQUEST),
    INVALID_CURSOR(Kind.BAD_REQUEST),
    // text that is not valid UTF-8 or holds NUL / control characters (body fields, query parameters, paths)
    INVALID_TEXT(Kind.BAD_REQUEST),
    INVALID_CATALOG(Kind.BAD_REQUEST),
    CURRENCY_MISMATCH(Kind.BAD_REQUEST),
    // usage events (the same codes a batch reports per event)
    UNKNOWN_METRIC(Kind.BAD_REQUEST),
    UNKNOWN_CUSTOMER(Kind.BAD_REQUEST),
    NO_ACTIVE_SUBSCRIPTION(Kind.BAD_REQUEST),
    NO_CHARGE_FOR_METRIC(Kind.BAD_REQUEST),
    INVALID_TIMESTAMP(Kind.BAD_REQUEST),
    EVENT_TOO_LATE(Kind.BAD_REQUEST),
    EVENT_IN_FUTURE(Kind.BAD_REQUEST),
    INVALID_QUANTITY(Kind.BAD_REQUEST),
    QUANTITY_TOO_LARGE(Kind.BAD_REQUEST),
    INVALID_EVENT_ID(Kind.BAD_REQUEST),
    INVALID_PHONE_NUMBER(Kind.BAD_REQUEST),
    // a customer's tax id that is not a well-formed VAT id of its EU member state
    INVALID_TAX_ID(Kind.BAD_REQUEST),
    // the VAT registry (VIES), when a deployment turns its check on, says this well-formed VAT id is not registered
    VAT_ID_NOT_REGISTERED(Kind.BAD_REQUEST),
    DUPLICATE_IN_BATCH(Kind.BAD_REQUEST),
    INVALID_PERIOD(Kind.BAD_REQUEST),
    INVALID_AMOUNT(Kind.BAD_REQUEST),
    // contacts: a count of contacts below zero
    NEGATIVE_COUNT(Kind.BAD_REQUEST),
    // webhooks and notifications: an event type Accrue does not record; an endpoint URL that is not an absolute
    // http(s) URL with a resolvable host; one whose host resolves to a loopback, private, link-local or metadata address
    UNKNOWN_EVENT_TYPE(Kind.BAD_REQUEST),
    INVALID_WEBHOOK_URL(Kind.BAD_REQUEST),
    WEBHOOK_URL_NOT_ALLOWED(Kind.BAD_REQUEST),
    // 401 / 403
    UNAUTHENTICATED(Kind.UNAUTHENTICATED),
    FORBIDDEN(Kind.FORBIDDEN),
    // 404
    NOT_FOUND(Kind.NOT_FOUND),
    ROUTE_NOT_FOUND(Kind.NOT_FOUND),
    UNKNOWN_FEATURE(Kind.NOT_FOUND),
    // 409: the request is fine but conflicts with current state
    IDEMPOTENCY_KEY_REUSED(Kind.CONFLICT),
    IDEMPOTENCY_KEY_IN_USE(Kind.CONFLICT),
    ALREADY_EXISTS(Kind.CONFLICT),
    CUSTOMER_HAS_BILLING_HISTORY(Kind.CONFLICT),
    CATALOG_VERSION_EXISTS(Kind.CONFLICT),
    CATALOG_NAME_MISMATCH(Kind.CONFLICT),
    SUBSCRIPTION_ENDED(Kind.CONFLICT),
    INVOICE_NOT_OPEN(Kind.CONFLICT),
    NOT_AN_INVOICE(Kind.CONFLICT),
    INVALID_TEMPLATE(Kind.BAD_REQUEST),
    AUTHORIZATION_SETTLED(Kind.CONFLICT),
    QUOTA_EXCEEDED(Kind.CONFLICT),
    EVENT_CANCELLED(Kind.CONFLICT),
    PERIOD_INVOICED(Kind.CONFLICT),
    LOCK_IN_ACTIVE(Kind.CONFLICT),
    TEST_CLOCK_REQUIRES_SANDBOX(Kind.CONFLICT),
    ADD_ON_NOT_AVAILABLE(Kind.CONFLICT),
    ADD_ON_ALREADY_ACTIVE(Kind.CONFLICT),
    NUMBER_NOT_ACTIVE(Kind.CONFLICT),
    INSUFFICIENT_FUNDS(Kind.CONFLICT),
    NOT_PREPAID(Kind.CONFLICT),
    // credit wallets (issue 16 point 14)
    INVALID_CREDITS(Kind.BAD_REQUEST),
    INVALID_RATE(Kind.BAD_REQUEST),
    INVALID_TOP_UP_RULE(Kind.BAD_REQUEST),
    EXPIRY_NOT_IN_FUTURE(Kind.BAD_REQUEST),
    ALREADY_SUBSCRIBED(Kind.CONFLICT),
    SUBSCRIPTIONS_LIVE(Kind.CONFLICT),
    // credit notes: more than the invoice (or line) can still be credited; an invoice that cannot be credited (draft, proforma, void)
    CREDIT_EXCEEDS_REMAINING(Kind.CONFLICT),
    INVOICE_NOT_CREDITABLE(Kind.CONFLICT),
    // void: an invoice already corrected by credit notes, or partly paid from the prepaid wallet, is not voided
    INVOICE_CREDITED(Kind.CONFLICT),
    INVOICE_PARTLY_PAID(Kind.CONFLICT),
    // coupons: redeemed after their expiry date, or past their redemption limit
    COUPON_EXPIRED(Kind.CONFLICT),
    COUPON_LIMIT_REACHED(Kind.CONFLICT),
    COUPON_ARCHIVED(Kind.CONFLICT),
    TEST_CLOCK_BACKWARDS(Kind.BAD_REQUEST),
    // payments: a card number sent anywhere but the sandbox's tokenization; a token the gateway does not know; a card brand
    // the tenant does not accept
    RAW_CARD_NUMBER_REFUSED(Kind.BAD_REQUEST),
    INVALID_TOKEN(Kind.BAD_REQUEST),
    CARD_BRAND_NOT_ACCEPTED(Kind.BAD_REQUEST),
    // payments: the gateway declined verifying a method; removing the last method while a paid subscription is live; a refund
    // above what the payment has left; a payment or refund of an invoice that cannot take it
    PAYMENT_METHOD_DECLINED(Kind.CONFLICT),
    LAST_PAYMENT_METHOD(Kind.CONFLICT),
    REFUND_EXCEEDS_PAID(Kind.CONFLICT),
    // resolving by hand a payment that is not a pending attempt marked needs_review (docs/payments.md#unknown-outcomes)
    PAYMENT_NOT_AWAITING_REVIEW(Kind.CONFLICT),
    // a suspended subscription (non-payment, or the operator) takes no new resources: numbers, add-ons, quota items
    SUBSCRIPTION_SUSPENDED(Kind.CONFLICT),
    // console staff: the tenant's last active admin cannot be demoted or deactivated
    LAST_ADMIN(Kind.CONFLICT),
    // revoking a dated action (or a period-end change) that has already applied, failed or been revoked, or does not exist
    ACTION_NOT_SCHEDULED(Kind.CONFLICT),
    // pausing a subscription that is paused; resuming one that is not
    SUBSCRIPTION_PAUSED(Kind.CONFLICT),
    SUBSCRIPTION_NOT_PAUSED(Kind.CONFLICT),
    // a billing cycle day (a day of the month) asked for a subscription billed weekly
    BILLING_CYCLE_DAY_ON_WEEKLY_INTERVAL(Kind.BAD_REQUEST),
    // account hierarchies: a parent chain that would come back to the child; a parent that still has children
    CUSTOMER_HIERARCHY_CYCLE(Kind.CONFLICT),
    CUSTOMER_HAS_CHILDREN(Kind.CONFLICT),
    API_KEY_REVOKED(Kind.UNAUTHENTICATED),
    // the HTTP request itself cannot be read: a malformed URI or path segment (400), a URI (414) or headers (431) too long
    MALFORMED_REQUEST(Kind.BAD_REQUEST),
    URI_TOO_LONG(Kind.URI_TOO_LONG),
    HEADERS_TOO_LARGE(Kind.HEADERS_TOO_LARGE),
    // 429: over the request or failed-authentication budget
    RATE_LIMITED(Kind.TOO_MANY_REQUESTS),
    // 405 / 415 / 413
    METHOD_NOT_ALLOWED(Kind.METHOD_NOT_ALLOWED),
    UNSUPPORTED_MEDIA_TYPE(Kind.UNSUPPORTED_MEDIA_TYPE),
    PAYLOAD_TOO_LARGE(Kind.PAYLOAD_TOO_LARGE),
    BATCH_TOO_LARGE(Kind.PAYLOAD_TOO_LARGE),
    // 500
    INTERNAL_ERROR(Kind.INTERNAL),
    // 503: the database cannot be reached now; the same request may succeed later
    DATABASE_UNAVAILABLE(Kind.UNAVAILABLE),
    // 503: Kafka mode, the intake log did not confirm a usage batch in time; resend it with the same event ids
    INTAKE_UNAVAILABLE(Kind.UNAVAILABLE),
    // finalizing on request what is not (any more) a draft
    INVOICE_NOT_DRAFT(Kind.CONFLICT),
    // regenerating a draft whose recomputation cannot be exact: not a subscription's period invoice, a later period already
    // billed, or money drawn from a prepaid or credit wallet that this draft would have to give back first
    INVOICE_NOT_REGENERABLE(Kind.CONFLICT);

    public enum Kind {
        BAD_REQUEST, UNAUTHENTICATED, FORBIDDEN, NOT_FOUND, CONFLICT, METHOD_NOT_ALLOWED,
        UNSUPPORTED_MEDIA_TYPE, PAYLOAD_TOO_LARGE, URI_TOO_LONG, HEADERS_TOO_LARGE, TOO_MANY_REQUESTS, INTERNAL, UNAVAILABLE
    }

    private final Kind kind;

    ErrorCode(Kind kind) {
        this.kind = kind;
    }

    public Kind kind() {
        return kind;
    }

    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }
}
