package dev.accrue.core.subscription;

import dev.accrue.core.error.AccrueException;
import dev.accrue.core.error.ErrorCode;


/**
 * The one rule for what a suspended subscription may not do besides using its balance (usage authorization
 * answers {@code subscription_suspended} itself): take new resources — numbers, add-ons, quota items. Whatever
 * suspended it (an operator, or dunning after unpaid invoices), paying or reinstating lifts it.
 */
public final class SuspendedService {
    private SuspendedService() {
    }

    public static void refuseNewResources(Subscription sub, String what) {
        if (sub.suspendedOn() != null) {
            throw new AccrueException(ErrorCode.SUBSCRIPTION_SUSPENDED, "subscription", "Subscription " + sub.id() + " is suspended since "
                    + sub.suspendedOn() + " (unpaid invoices, or by the operator): no new " + what + " until it is reinstated");
        }
    }
}
