package dev.accrue.core.customer;

/** Collection method plus the days after issue an invoice falls due (0 = due on receipt). */
public record PaymentTerms(CollectionMethod collectionMethod, int netDays) {
    public static final int MAX_NET_DAYS = 365;
}
