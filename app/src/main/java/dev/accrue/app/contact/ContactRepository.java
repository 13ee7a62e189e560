package dev.accrue.app.contact;

import dev.accrue.core.contact.Contact;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Optional;

/**
 * A customer's contacts, the append-only history of its qualifying count, and the counted-charge renewals
 * (what each renewal counted and invoiced, which is the floor of the next one).
 */
public interface ContactRepository {
    /** Inserts or replaces contacts by the tenant's contact id; returns how many were written. */
    int upsert(String tenantId, String customerId, List<Contact> contacts, Instant at);

    /** Deletes contacts by id; unknown ids are ignored. Returns how many existed. */
    int delete(String tenantId, String customerId, List<String> contactIds);

    /** How many of the customer's synced contacts qualify. */
    long qualifyingCount(String tenantId, String customerId);

    /** Appends the customer's count as of {@code at}: {@code source} is {@code contacts} (synced) or {@code pushed}. */
    void appendCount(String tenantId, String customerId, long count, String source, Instant at);

    record CountEntry(long count, String source, Instant at) {
    }

    /** The latest count entry written, whatever its time. */
    Optional<CountEntry> latest(String tenantId, String customerId);

    /** The latest count entry at or before {@code at} (by time, then order of writing). */
    Optional<CountEntry> countAt(String tenantId, String customerId, Instant at);

    /** What one renewal of a counted charge counted and charged. {@code monthlyPrice} is the floor of the next. */
    record Renewal(String subscriptionId, String chargeCode, LocalDate periodStart, String planCode, long count, int band,
                   BigDecimal bandPrice, BigDecimal monthlyPrice, String currency) {
    }

    /** Records a renewal; a renewal already recorded for the same period is kept (billing reruns are idempotent). */
    void recordRenewal(String tenantId, Renewal renewal);

    /** Replaces the plan and prices of a recorded renewal (an immediate upgrade re-prices the running period). */
    void updateRenewal(String tenantId, Renewal renewal);

    /** The latest renewal of the charge on the subscription strictly before {@code periodStart}, on {@code planCode}. */
    Optional<Renewal> lastRenewal(String tenantId, String subscriptionId, String chargeCode, String planCode, LocalDate periodStart);

    /** The renewal that opened the period starting {@code periodStart}, if any. */
    Optional<Renewal> renewal(String tenantId, String subscriptionId, String chargeCode, LocalDate periodStart);
}
