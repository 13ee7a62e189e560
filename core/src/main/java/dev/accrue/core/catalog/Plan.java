package dev.accrue.core.catalog;

import dev.accrue.core.time.Alignment;
import dev.accrue.core.time.BillingInterval;

import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A purchasable plan. {@code tier} ranks plans within a product (higher = upgrade). {@code intervals} are the
 * billing intervals offered, each with its discount; {@code alignment} is the default cycle alignment;
 * {@code trialDays} 0 means no trial; {@code invoicing} says whether periods are invoiced directly or proforma first;
 * {@code trialUsage} whether usage during the trial is free or billed on the first invoice; {@code progressiveBilling}
 * (null: none) the usage amounts that issue an invoice before the period ends.
 */
public record Plan(
        String code,
        String product,
        String name,
        int tier,
        String description,
        List<IntervalOption> intervals,
        Alignment alignment,
        int trialDays,
        List<Charge> charges,
        Entitlements entitlements,
        ChangePolicy changePolicy,
        LockIn lockIn,
        CancellationPolicy cancellation,
        Invoicing invoicing,
        TrialUsage trialUsage,
        List<UsageAlertSpec> usageAlerts,
        Map<String, BigDecimal> minimumCommitment,
        Introductory introductory,
        FixedTerm term,
        List<OneTimeFee> oneTimeFees,
        ProgressiveBilling progressiveBilling) {

    public Plan {
        intervals = Lists.orEmpty("intervals", intervals);
        charges = Lists.orEmpty("charges", charges);
        alignment = alignment == null ? Alignment.ANNIVERSARY : alignment;
        entitlements = entitlements == null ? Entitlements.NONE : entitlements;
        changePolicy = changePolicy == null ? ChangePolicy.DEFAULT : changePolicy;
        cancellation = cancellation == null ? CancellationPolicy.DEFAULT : cancellation;
        invoicing = invoicing == null ? Invoicing.STANDARD : invoicing;
        trialUsage = trialUsage == null ? TrialUsage.FREE : trialUsage;
        usageAlerts = Lists.orEmpty("usage_alerts", usageAlerts);
        minimumCommitment = Lists.orEmpty("minimum_commitment", minimumCommitment);
        oneTimeFees = Lists.orEmpty("one_time_fees", oneTimeFees);
    }

    /** A plan without phases (no introductory price, no fixed term, no one-time fees). */
    public Plan(String code, String product, String name, int tier, String description, List<IntervalOption> intervals,
                Alignment alignment, int trialDays, List<Charge> charges, Entitlements entitlements, ChangePolicy changePolicy,
                LockIn lockIn, CancellationPolicy cancellation, Invoicing invoicing, TrialUsage trialUsage, List<UsageAlertSpec> usageAlerts,
                Map<String, BigDecimal> minimumCommitment) {
        this(code, product, name, tier, description, intervals, alignment, trialDays, charges, entitlements, changePolicy, lockIn,
                cancellation, invoicing, trialUsage, usageAlerts, minimumCommitment, null, null, List.of(), null);
    }

    /** Whether a subscription starting on this plan goes through phases (an introductory price, a term, one-time fees). */
    public boolean hasPhases() {
        return introductory != null || term != null || !oneTimeFees.isEmpty();
    }

    /** A plan without phases, with progressive billing thresholds. */
    public Plan(String code, String product, String name, int tier, String description, List<IntervalOption> intervals,
                Alignment alignment, int trialDays, List<Charge> charges, Entitlements entitlements, ChangePolicy changePolicy,
                LockIn lockIn, CancellationPolicy cancellation, Invoicing invoicing, TrialUsage trialUsage, List<UsageAlertSpec> usageAlerts,
                Map<String, BigDecimal> minimumCommitment, ProgressiveBilling progressiveBilling) {
        this(code, product, name, tier, description, intervals, alignment, trialDays, charges, entitlements, changePolicy, lockIn,
                cancellation, invoicing, trialUsage, usageAlerts, minimumCommitment, null, null, List.of(), progressiveBilling);
    }

    /** A plan with phases and without progressive billing. */
    public Plan(String code, String product, String name, int tier, String description, List<IntervalOption> intervals,
                Alignment alignment, int trialDays, List<Charge> charges, Entitlements entitlements, ChangePolicy changePolicy,
                LockIn lockIn, CancellationPolicy cancellation, Invoicing invoicing, TrialUsage trialUsage, List<UsageAlertSpec> usageAlerts,
                Map<String, BigDecimal> minimumCommitment, Introductory introductory, FixedTerm term, List<OneTimeFee> oneTimeFees) {
        this(code, product, name, tier, description, intervals, alignment, trialDays, charges, entitlements, changePolicy, lockIn,
                cancellation, invoicing, trialUsage, usageAlerts, minimumCommitment, introductory, term, oneTimeFees, null);
    }

    /** A plan without a minimum commitment. */
    public Plan(String code, String product, String name, int tier, String description, List<IntervalOption> intervals,
                Alignment alignment, int trialDays, List<Charge> charges, Entitlements entitlements, ChangePolicy changePolicy,
                LockIn lockIn, CancellationPolicy cancellation, Invoicing invoicing, TrialUsage trialUsage, List<UsageAlertSpec> usageAlerts) {
        this(code, product, name, tier, description, intervals, alignment, trialDays, charges, entitlements, changePolicy, lockIn,
                cancellation, invoicing, trialUsage, usageAlerts, Map.of());
    }

    /** A plan without alert thresholds of its own. */
    public Plan(String code, String product, String name, int tier, String description, List<IntervalOption> intervals,
                Alignment alignment, int trialDays, List<Charge> charges, Entitlements entitlements, ChangePolicy changePolicy,
                LockIn lockIn, CancellationPolicy cancellation, Invoicing invoicing, TrialUsage trialUsage, Map<String, BigDecimal> minimumCommitment) {
        this(code, product, name, tier, description, intervals, alignment, trialDays, charges, entitlements, changePolicy, lockIn,
                cancellation, invoicing, trialUsage, List.of(), minimumCommitment);
    }

    public Plan(String code, String product, String name, int tier, String description, List<IntervalOption> intervals,
                Alignment alignment, int trialDays, List<Charge> charges, Entitlements entitlements, ChangePolicy changePolicy,
                LockIn lockIn, CancellationPolicy cancellation, Invoicing invoicing, TrialUsage trialUsage) {
        this(code, product, name, tier, description, intervals, alignment, trialDays, charges, entitlements, changePolicy, lockIn,
                cancellation, invoicing, trialUsage, List.of(), Map.of());
    }

    /** The plan's own alert thresholds for {@code metric}, if it lists any. */
    public Optional<UsageAlertSpec> usageAlerts(String metric) {
        return usageAlerts.stream().filter(a -> metric.equals(a.metric())).findFirst();
    }

    public Plan(String code, String product, String name, int tier, String description, List<IntervalOption> intervals,
                Alignment alignment, int trialDays, List<Charge> charges, Entitlements entitlements, ChangePolicy changePolicy,
                LockIn lockIn, CancellationPolicy cancellation, Invoicing invoicing) {
        this(code, product, name, tier, description, intervals, alignment, trialDays, charges, entitlements, changePolicy, lockIn,
                cancellation, invoicing, TrialUsage.FREE);
    }

    /** A plan invoiced the standard way (finalized invoices, no proforma). */
    public Plan(String code, String product, String name, int tier, String description, List<IntervalOption> intervals,
                Alignment alignment, int trialDays, List<Charge> charges, Entitlements entitlements, ChangePolicy changePolicy,
                LockIn lockIn, CancellationPolicy cancellation) {
        this(code, product, name, tier, description, intervals, alignment, trialDays, charges, entitlements, changePolicy, lockIn,
                cancellation, Invoicing.STANDARD, TrialUsage.FREE);
    }

    public Optional<Charge> charge(String code) {
        return charges.stream().filter(c -> c.code().equals(code)).findFirst();
    }

    public Optional<IntervalOption> interval(BillingInterval interval) {
        return intervals.stream().filter(i -> i.interval() == interval).findFirst();
    }

    public Plan withCharges(List<Charge> newCharges) {
        return new Plan(code, product, name, tier, description, intervals, alignment, trialDays, newCharges,
                entitlements, changePolicy, lockIn, cancellation, invoicing, trialUsage, usageAlerts, minimumCommitment, introductory, term, oneTimeFees,
                progressiveBilling);
    }

    public Plan withEntitlements(Entitlements newEntitlements) {
        return new Plan(code, product, name, tier, description, intervals, alignment, trialDays, charges,
                newEntitlements, changePolicy, lockIn, cancellation, invoicing, trialUsage, usageAlerts, minimumCommitment, introductory, term, oneTimeFees,
                progressiveBilling);
    }

    /** The plan with these progressive billing thresholds (a subscription's own, from its overrides). */
    public Plan withProgressiveBilling(ProgressiveBilling thresholds) {
        return new Plan(code, product, name, tier, description, intervals, alignment, trialDays, charges,
                entitlements, changePolicy, lockIn, cancellation, invoicing, trialUsage, usageAlerts, minimumCommitment, introductory, term, oneTimeFees,
                thresholds);
    }
}
