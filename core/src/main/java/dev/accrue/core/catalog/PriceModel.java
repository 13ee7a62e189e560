package dev.accrue.core.catalog;

/**
 * How a metered charge's usage becomes money. The first four price a quantity of units; the last three price
 * <em>transactions</em>: the metric sums a money amount each event carries (a payment's amount, a resold call's price),
 * and the count of events is the number of transactions.
 */
public enum PriceModel {
    PER_UNIT, GRADUATED, VOLUME, PACKAGE,
    /** A share ({@code rate} %) of the amount processed, plus a {@code fixed_fee} per transaction, past free amounts and transactions. */
    PERCENTAGE,
    /** Tiers of the amount processed, each with its own {@code rate} % (and an optional flat price for reaching it). */
    GRADUATED_PERCENTAGE,
    /** The events carry their own price: the amount summed is what is billed. */
    DYNAMIC;

    /** Whether this model prices transactions (an amount and a count) rather than a quantity of units. */
    public boolean pricesTransactions() {
        return this == PERCENTAGE || this == GRADUATED_PERCENTAGE || this == DYNAMIC;
    }
}
