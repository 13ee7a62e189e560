package dev.accrue.app.phase;

import dev.accrue.core.subscription.PlanPhases;

import java.util.Optional;

/** Where a subscription's phase dates are kept, fixed when it starts on a plan with phases. */
public interface SubscriptionPhases {
    /** The phases of a subscription, and the plan and catalog version they belong to. */
    record Stored(String planCode, int catalogVersion, PlanPhases.Dates dates) {
    }

    /** Writes (or replaces) the phases of a subscription. */
    void save(String tenantId, String subscriptionId, Stored phases);

    Optional<Stored> find(String tenantId, String subscriptionId);
}
