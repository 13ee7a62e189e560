package dev.accrue.app.billing;

import dev.accrue.core.subscription.Subscription;
import dev.accrue.core.time.BillingInterval;

import java.util.Optional;

/**
 * The subscription terms a period's draft invoice was written on, kept while it is a draft: {@link DraftRegeneration}
 * recomputes a draft only while its subscription still has them.
 */
public interface DraftTermsRepository {
    /** Plan, catalog version, interval and quantity — what a change during the period charges on its own (a proration). */
    record Terms(int catalogVersion, String planCode, BillingInterval interval, int quantity) {
        public static Terms of(Subscription sub) {
            return new Terms(sub.catalogVersion(), sub.planCode(), sub.interval(), sub.quantity());
        }
    }

    void record(String tenantId, String invoiceId, Terms terms);

    /** Empty for anything but a subscription's period draft. */
    Optional<Terms> find(String tenantId, String invoiceId);
}
