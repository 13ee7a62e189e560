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

    public LocalDate today(String tenantId, Customer customer) {
        return LocalDate.ofInstant(now(tenantId, customer), customer.timeZone());
    }

    public Instant systemNow() {
        return clock.instant();
    }
}
