package dev.accrue.app.pricechange;

import java.time.LocalDate;

/** What a tenant asks: for {@code plan} of catalog version {@code catalogVersion}, grandfather or migrate (on a date, with notice). */
public record PriceMigrationRequest(String plan, Integer catalogVersion, String policy, LocalDate effectiveDate, Integer noticeDays) {
}
