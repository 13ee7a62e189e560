package dev.accrue.app.quota;

/** "3 of 5 used": a quota's active items against the plan's limit, and the cheapest plan with more room (if any). */
public record QuotaUsage(String quota, long used, Long limit, String upgradePlan) {
    public String display() {
        return limit == null ? used + " used (no limit)" : used + " of " + limit + " used";
    }
}
