package dev.accrue.app.metering;

import dev.accrue.app.billing.AddOnBilling;
import dev.accrue.app.catalog.CatalogService;
import dev.accrue.core.catalog.Charge;
import dev.accrue.core.catalog.CountedCharge;
import dev.accrue.core.catalog.MeteredCharge;
import dev.accrue.core.catalog.Plan;
import dev.accrue.core.subscription.Subscription;

import java.time.LocalDate;

/**
 * Whether usage of a metric on a day would be billed by anything: a charge of the subscription's plan that
 * meters it (or derives an allowance of it), or an add-on in force that day with a charge or a grant on it.
 * Usage nothing covers is refused at ingestion and authorization alike, rather than stored and never billed —
 * or silently counted against a package bought later.
 */
public final class UsageCoverage {
    private final CatalogService catalogs;
    private final AddOnBilling addOns;

    public UsageCoverage(CatalogService catalogs, AddOnBilling addOns) {
        this.catalogs = catalogs;
        this.addOns = addOns;
    }

    public boolean covers(String tenantId, Subscription sub, String metric, LocalDate day) {
        return planCovers(tenantId, sub, metric) || addOnCovers(tenantId, sub, metric, day);
    }

    /** Whether the subscription's plan itself bills the metric — whatever the day, so a batch asks it once per plan. */
    public boolean planCovers(String tenantId, Subscription sub, String metric) {
        Plan plan = catalogs.catalog(tenantId, sub.catalogVersion()).plan(sub.planCode()).orElseThrow();
        for (Charge c : plan.charges()) {
            if (c instanceof MeteredCharge m && m.metric().equals(metric)) {
                return true;
            }
            if (c instanceof CountedCharge k && (k.metric().equals(metric) || k.derivedAllowances().stream().anyMatch(d -> d.metric().equals(metric)))) {
                return true;
            }
        }
        return false;
    }

    /** Whether an add-on in force on {@code day} bills the metric (asked only when the plan does not). */
    public boolean addOnCovers(String tenantId, Subscription sub, String metric, LocalDate day) {
        return addOns.covers(tenantId, sub, metric, day);
    }
}
