package dev.accrue.core.catalog;

import dev.accrue.core.tax.TaxCategory;
import dev.accrue.core.time.Alignment;
import dev.accrue.core.time.ProrationPolicy;

import java.math.BigDecimal;
import java.util.List;
import java.util.Map;

/**
 * Something sold on top of a plan.
 * <ul>
 *   <li>PACKAGE: a recurring package such as 50,000 broadcast emails a month: {@code price} per period,
 *       {@code grants} of allowance; email packages are calendar-aligned and never prorated (full price and full
 *       allowance whenever bought). Packages of one {@code group} are ranked so a move up is an upgrade.</li>
 *   <li>BUNDLE: a one-time purchase such as 300 minutes: {@code price} once plus {@code upFrontFee}, granting
 *       its {@code grants}, consumed after the plan's allowance, expiring per {@code expiry}.</li>
 *   <li>RENTAL: a rentable resource such as a phone number, priced per {@link Rental}.</li>
 * </ul>
 * Any add-on may bring {@code charges} of its own (the SMS add-on's metered, rate-table-priced usage).
 * {@code availableOn} lists the plans it may be bought with (empty = any plan): the seeds' SMS add-on only on
 * CRM Plus and Pro.
 */
public record AddOn(String code, String name, AddOnType type, String description, List<String> availableOn,
                    String group, int rank, Map<String, BigDecimal> price, Map<String, BigDecimal> upFrontFee,
                    ProrationPolicy proration, Alignment alignment, boolean canStartNextPeriod,
                    List<Grant> grants, List<String> includes, BundleExpiry expiry, Rental rental, List<Charge> charges,
                    TaxCategory taxCategory) {
    public AddOn {
        availableOn = Lists.orEmpty("available_on", availableOn);
        price = Lists.orEmpty("price", price);
        upFrontFee = Lists.orEmpty("up_front_fee", upFrontFee);
        grants = Lists.orEmpty("grants", grants);
        charges = Lists.orEmpty("charges", charges);
        includes = Lists.orEmpty("includes", includes);
        proration = proration == null ? (type == AddOnType.PACKAGE ? ProrationPolicy.NEVER : ProrationPolicy.BY_DAY) : proration;
        expiry = expiry == null ? BundleExpiry.END_OF_BILLING_PERIOD : expiry;
    }

    public boolean availableOnPlan(String planCode) {
        return availableOn.isEmpty() || availableOn.contains(planCode);
    }
}
