package dev.accrue.app.rental;

import java.time.Instant;
import java.time.LocalDate;

/**
 * A rented phone number. {@code billedThrough}: the first month start not yet charged. {@code trialEndsOn}:
 * exclusive end of the free trial (first number only). On hold since {@code onHoldSince}, it is released on
 * {@code holdReleaseOn} unless renewed.
 */
public record PhoneNumber(String id, String subscriptionId, String customerId, String number, String country, String type, String addOnCode,
                          String status, boolean autoPay, LocalDate provisionedOn, LocalDate trialEndsOn, LocalDate billedThrough,
                          LocalDate onHoldSince, LocalDate holdReleaseOn, LocalDate releasedOn, Instant createdAt) {
    public static final String ACTIVE = "active";
    public static final String ON_HOLD = "on_hold";
    public static final String RELEASED = "released";
}
