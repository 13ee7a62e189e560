package dev.accrue.app.billing;

import dev.accrue.app.subscription.SubscriptionRepository.DueSubscription;

/**
 * What a billing run tells as it goes, one subscription at a time and only after that subscription's work is
 * committed (a batch that rolls back tells nothing of it): so whoever counts never counts work that was undone.
 */
public interface RunProgress {
    RunProgress NONE = new RunProgress() {
        @Override
        public void billed(DueSubscription subscription, int invoices) {
        }

        @Override
        public void failed(DueSubscription subscription, RuntimeException error) {
        }
    };

    /** The subscription was billed up to today, issuing {@code invoices} documents (possibly none). */
    void billed(DueSubscription subscription, int invoices);

    /** Billing the subscription failed on its own; it stays due for the next run. */
    void failed(DueSubscription subscription, RuntimeException error);
}
