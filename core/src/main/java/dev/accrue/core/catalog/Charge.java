package dev.accrue.core.catalog;

import dev.accrue.core.tax.TaxCategory;

/**
 * One priced component of a plan. RECURRING charges bill a fixed price per period, METERED charges rate a
 * metric's usage after its allowances, COUNTED charges price the period by a counted quantity at renewal
 * (contacts). Codes are unique within a plan and are what overrides and invoice lines refer to.
 */
public sealed interface Charge permits RecurringCharge, MeteredCharge, CountedCharge {
    String code();

    String name();

    /** How the charge is taxed (catalog {@code tax_category}); null means {@code standard}. */
    TaxCategory taxCategory();
}
