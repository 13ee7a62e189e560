package dev.accrue.app.pricechange;

import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Locale;

/**
 * A tenant's decision, for one plan of one catalog version, about the subscriptions still on an older version of the plan:
 * {@code grandfather} leaves them on their version; {@code migrate} moves them to this version at the first period boundary
 * on or after {@code effectiveDate}, never before {@code noticeDays} after each customer was notified.
 */
public record PriceMigration(String id, String planCode, int catalogVersion, Policy policy, LocalDate effectiveDate, Integer noticeDays,
                             Instant createdAt, List<Move> moves) {

    public enum Policy {
        GRANDFATHER, MIGRATE;

        public String wire() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /**
     * One subscription a migration concerns. {@code movesOn} is the boundary it moves at as its schedule stands today
     * (null when grandfathered); {@code perPeriodBefore}/{@code perPeriodAfter} what its recurring charges cost for that
     * period on its version and on the new one.
     */
    public record Move(String subscriptionId, String customerId, int fromVersion, LocalDate noticeOn, LocalDate earliestOn, LocalDate movesOn,
                       String status, LocalDate movedOn, String currency, String interval, int quantity, String perPeriodBefore,
                       String perPeriodAfter) {
    }
}
