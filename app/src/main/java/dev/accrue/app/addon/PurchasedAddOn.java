package dev.accrue.app.addon;

import java.time.Instant;
import java.time.LocalDate;

/**
 * An add-on bought on a subscription, in force over [startDate, endDate) (endDate null = until changed).
 * For a package, {@code billedThrough} is the first calendar month start not yet invoiced; for a bundle the
 * end date is when its unused units lapse.
 */
public record PurchasedAddOn(String id, String subscriptionId, String addOnCode, String type, LocalDate startDate, LocalDate endDate,
                             LocalDate billedThrough, String replacesId, String invoiceId, Instant createdAt) {
    public static final String PACKAGE = "package";
    public static final String BUNDLE = "bundle";

    public boolean inForceOn(LocalDate day) {
        return !day.isBefore(startDate) && (endDate == null || day.isBefore(endDate));
    }

    public boolean overlaps(LocalDate from, LocalDate to) {
        return startDate.isBefore(to) && (endDate == null || endDate.isAfter(from));
    }

    public String status(LocalDate today) {
        return today.isBefore(startDate) ? "scheduled" : inForceOn(today) ? "active" : "ended";
    }
}
