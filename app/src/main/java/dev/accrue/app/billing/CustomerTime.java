package dev.accrue.app.billing;

import dev.accrue.app.testclock.TestClockRepository;
import dev.accrue.core.customer.Customer;

import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;

/**
 * The present as one customer experiences it: the system clock, or the frozen time of the customer's test
 * clock. Billing dates are that instant's date in the customer's time zone.
 */
public final class CustomerTime {
    private final Clock clock;
    private final TestClockRepository testClocks;

    public CustomerTime(Clock clock, TestClockRepository testClocks) {
        this.clock = clock;
        this.testClocks = testClocks;
    }

    /** Must run inside a transaction when the customer is on a test clock. */
    public Instant now(String tenantId, Customer customer) {
        if (customer.testClockId() == null) {
            return clock.instant();
        }
        return testClocks.find(tenantId, customer.testClockId()).orElseThrow().frozenTime();
    }

    /** The same for the light form the ingestion path reads in bulk. */
    public Instant now(String tenantId, CustomerClock customer) {
        if (customer.testClockId() == null) {
            return clock.instant();
        }
        return testClocks.find(tenantId, customer.testClockId()).orElseThrow().frozenTime();
    }

    /**
     * For a write that starts something at the customer's present (a new subscription): holds the customer's test
     * clock, if any, until the transaction ends. An advance in flight commits first and this write sees its new
     * time; an advance that comes later waits and then finds what this write created. Without it, a subscription
     * created during an advance starts at the old time and misses the periods that advance billed. Take it before
     * any customer or subscription lock: an advance holds its clock and then locks subscriptions.
     */
    public void holdTestClock(String tenantId, String testClockId) {
        if (testClockId != null) {
            testClocks.findForShare(tenantId, testClockId);
        }
    }

    public LocalDate today(String tenantId, Customer customer) {
        return LocalDate.ofInstant(now(tenantId, customer), customer.timeZone());
    }

    public Instant systemNow() {
        return clock.instant();
    }
}
